"""Filters of the outcome indicators (``{% load indicators %}``): a value as entered, "72,5%" in Indonesian."""

from django import template

from ssk_tracker.lib import formatting

register = template.Library()
register.filter("indicator_value", formatting.completeness)
