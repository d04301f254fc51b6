"""Integer query parameters (``?tahun=``, ``?page=``) read as ASCII digits only.

``str.isdigit()`` accepts "²" and "٣" and ``int()`` then fails or reads a digit the user never typed;
a 5,000-digit number makes ``int()`` raise. A bad value is treated like a missing one.
"""

from django.http import HttpRequest

_MAX_DIGITS = 18


def int_param(request: HttpRequest, name: str, *, minimum: int = 0, maximum: int = 10**_MAX_DIGITS) -> int | None:
    """The parameter as an int between minimum and maximum, or None when absent or not such a number."""
    raw = request.GET.get(name, "").strip()
    if not raw or len(raw) > _MAX_DIGITS or not (raw.isascii() and raw.isdigit()):
        return None
    value = int(raw)
    return value if minimum <= value <= maximum else None


def page_param(request: HttpRequest, name: str = "page") -> int:
    """The page number asked for, 1 when none or not a number (Paginator.get_page clamps the rest)."""
    return int_param(request, name, minimum=1) or 1
