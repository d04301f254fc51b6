"""The one rounding of every figure the tracker shows, on pages and in reports alike."""

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

# What a figure is computed from: exact model values (Decimal amounts and percentages, whole counts).
type Number = Decimal | int


def rounded(value: Number, places: int = 0) -> Decimal:
    """The one rounding of a figure: half up to ``places`` decimals (67.5 → 68, 66.65 → 66.7)."""
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def percentage(part: Number, whole: Number | None, places: int = 0) -> Decimal | None:
    """part ÷ whole × 100, exactly, then ``rounded``; None when there is nothing to divide by."""
    if not whole:
        return None
    return rounded(Decimal(part) * 100 / Decimal(whole), places)


def average(values: Iterable[Number], places: int = 0) -> Decimal | None:
    """The mean of ``values`` (exact Decimals), ``rounded``; None for no values."""
    exact = [Decimal(v) for v in values]
    return rounded(sum(exact, Decimal(0)) / len(exact), places) if exact else None
