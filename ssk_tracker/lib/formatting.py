"""Number formats that users read: rupiah amounts and percentages in the active language."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats, numberformat
from django.utils.translation import gettext

# What the formats accept: model values, and "" or None from a template (shown as a dash).
type Number = Decimal | int | float | str | None


def _separators() -> tuple[str, str]:
    return str(formats.get_format("DECIMAL_SEPARATOR")), str(formats.get_format("THOUSAND_SEPARATOR"))


def rupiah(amount: Number) -> str:
    """Rp 1.234.567 in Indonesian (Rp 1,234,567 in English); rupiah are shown whole."""
    if amount is None or amount == "":
        return "–"
    value = Decimal(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    # Whole rupiah grouped by three: what numberformat.format(..., grouping=3, force_grouping=True) writes,
    # at a fraction of its cost (a page of activities shows about a hundred amounts).
    number = f"{abs(int(value)):,}".replace(",", _separators()[1])
    return f"{'-' if value < 0 else ''}Rp {number}"


def percent(value: Number, places: int = 0) -> str:
    """45 % → "45%", 12.5 with one place → "12,5%" in Indonesian."""
    if value is None or value == "":
        return "–"
    decimal_sep, thousand_sep = _separators()
    number = numberformat.format(
        Decimal(value), decimal_sep, decimal_pos=places, grouping=3, thousand_sep=thousand_sep, force_grouping=True
    )
    return f"{number}%"


def completeness(value: Number) -> str:
    """A recorded completeness as entered: 72.50 → "72,5%", 80.00 → "80%" (in Indonesian), at most two decimals."""
    if value is None or value == "":
        return "–"
    exact = Decimal(value)
    exponent = exact.normalize().as_tuple().exponent  # a letter for NaN and infinity, which no record holds
    places = min(2, max(0, -exponent)) if isinstance(exponent, int) else 0
    return percent(exact, places)


_ROMAN = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def roman(number: int) -> str:
    """1..39 as Roman numerals, as coaching clinics are often numbered (CC VI)."""
    result = []
    for value, letters in _ROMAN:
        while number >= value:
            result.append(letters)
            number -= value
    return "".join(result)


def clinic_name(number: int | str | None) -> str:
    """6 → "Coaching Clinic 6 (CC VI)": on the pages and in the clinic form's choices of number."""
    if number is None:
        return ""
    try:
        whole = int(number)
    except (TypeError, ValueError):  # a template may hand over "" or anything else
        return ""
    return gettext("Coaching Clinic %(number)s (CC %(roman)s)") % {"number": whole, "roman": roman(whole)}


def width_class(value: Number) -> str:
    """The class that sets a bar's width to ``value`` per cent (``w-pct-0`` … ``w-pct-100`` in app.css): the
    Content-Security-Policy blocks ``style="width: …"`` attributes. Rounded half up, held within 0–100."""
    try:
        share = Decimal(str(value)) if value not in (None, "") else Decimal(0)
    except ArithmeticError:
        share = Decimal(0)
    if not share.is_finite():
        share = Decimal(0)
    return f"w-pct-{min(100, max(0, int(share.quantize(Decimal(1), ROUND_HALF_UP))))}"


def person(user: object) -> str:
    """Who did something, as the pages name them: the full name, else the username; a dash when nobody is
    recorded (updates decided before reviewers were kept, or a ``None`` from a missing row)."""
    if user is None or user == "":
        return "–"
    get_full_name = getattr(user, "get_full_name", None)
    name = get_full_name() if callable(get_full_name) else ""
    return str(name or getattr(user, "username", "") or "–")
