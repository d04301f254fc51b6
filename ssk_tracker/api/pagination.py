"""The API's pages: 50 rows (settings PAGE_SIZE), ``?page=``, the parameter described in the user's language."""

from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    page_query_description = _("The page's number, from 1 (each page holds 50 rows).")
