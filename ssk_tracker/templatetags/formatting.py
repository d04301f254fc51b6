"""Filters available in every template (registered as a builtin in settings)."""

from django import template

from ssk_tracker.lib import formatting

register = template.Library()

register.filter("rupiah", formatting.rupiah)
register.filter("percent", formatting.percent)
register.filter("roman", formatting.roman)
register.filter("width_class", formatting.width_class)
register.filter("person", formatting.person)
