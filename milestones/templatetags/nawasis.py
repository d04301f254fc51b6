"""Formatting for the NAWASIS pages (``{% load nawasis %}``): no database access, no permissions.

The data (the regency page's section, the lists and the province table) come from the views through
``milestones.selectors.nawasis``.
"""

from django import template

from ssk_tracker.lib import formatting

register = template.Library()

# 72.50 → "72,5%", 80.00 → "80%": the format the reports use too.
register.filter("completeness", formatting.completeness)
