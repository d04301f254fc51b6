"""Rupiah amounts as people type them, the Indonesian way: read exactly, and written back to read the same.

``formatting.rupiah`` shows an amount to read in the active language (whole rupiah, "Rp 1.234.567");
this module is for amounts that are typed and read back, in forms and workbooks alike, whatever the
language: dots group thousands and a comma starts at most two decimals ("1.250.000,50").
"""

import math
import re
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0.00")  # zero rupiah, to the sen: the blank of an optional amount, the start of a sum
CENT = Decimal("0.01")
# Every amount is below 10^16 rupiah: what DecimalField(max_digits=18, decimal_places=2) holds.
AMOUNT_LIMIT = Decimal("10000000000000000")

_GROUPED = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?$")  # 1.250.000 or 1.250.000,50
_PLAIN_COMMA = re.compile(r"^\d+(?:,\d{1,2})?$")  # 1250000 or 1250000,5
_PLAIN_POINT = re.compile(r"^\d+\.\d{1,2}$")  # 1250000.50 (one dot, one or two digits after it)


class ValueProblem(ValueError):
    """A typed value that cannot be used; ``code`` says why (the caller words the message)."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(code)


def parse_amount(raw: object) -> Decimal | None:
    """A rupiah amount from a number (a spreadsheet cell) or from text; None when empty.

    Text may be written the Indonesian way: dots group thousands, a comma starts at most two decimals
    ("1.250.000", "1.250.000,50", "1250000,5"); "Rp" and spaces are ignored. A single dot followed by
    one or two digits is a decimal point ("1250000.50"), so a dot followed by three digits always
    groups thousands ("1.250" is one thousand two hundred and fifty). Numbers are rounded to the sen.
    Raises ValueProblem "not_number", "negative" or "too_large".
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueProblem("not_number")
    if isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, float):
        if not math.isfinite(raw):
            raise ValueProblem("not_number")
        value = Decimal(repr(raw))
    elif isinstance(raw, Decimal):
        value = raw
    else:
        text = re.sub(r"^rp\.?", "", str(raw).strip(), flags=re.IGNORECASE)
        text = re.sub(r"\s+", "", text)
        if not text:
            return None
        negative = text.startswith("-")
        text = text.removeprefix("-")
        if _GROUPED.match(text) or _PLAIN_COMMA.match(text):
            value = Decimal(text.replace(".", "").replace(",", "."))
        elif _PLAIN_POINT.match(text):
            value = Decimal(text)
        else:
            raise ValueProblem("not_number")
        if negative and value:
            raise ValueProblem("negative")
    if not value.is_finite():
        raise ValueProblem("not_number")
    if value < 0:
        raise ValueProblem("negative")
    if value >= AMOUNT_LIMIT:
        raise ValueProblem("too_large")
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def format_amount(value: Decimal | int | str | None) -> str:
    """An amount the way parse_amount reads it back, Indonesian style: 1.250.000 or 1.250.000,50."""
    if value is None or value == "":
        return ""
    amount = Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    whole, cents = divmod(amount, 1)
    text = f"{int(whole):,}".replace(",", ".")
    return f"{text},{int(cents * 100):02d}" if cents else text
