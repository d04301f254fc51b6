"""How the workbook's cells are read: rupiah amounts (numbers and Indonesian text), years, Ya/Tidak."""

from decimal import Decimal

import pytest

from milestones.forms.planning_workbook import BUDGET, INTEGRATION, clean_cell, parse_year, parse_yes_no
from ssk_tracker.lib.amounts import ValueProblem, format_amount, parse_amount


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (1250000, "1250000.00"),
        (1250000.5, "1250000.50"),
        ("1250000", "1250000.00"),
        ("1.250.000", "1250000.00"),
        ("1.250.000,50", "1250000.50"),
        ("1.250.000,5", "1250000.50"),
        ("1250000,75", "1250000.75"),
        ("1250000.75", "1250000.75"),  # one dot and two digits: a decimal point
        ("1.250", "1250.00"),  # a dot and three digits: always thousands
        ("Rp 1.250.000", "1250000.00"),
        ("Rp. 2.000.000,00", "2000000.00"),
        (" 3 000 000 ", "3000000.00"),
        (0.1 + 0.2, "0.30"),  # a float computed in Excel is rounded to the sen
        ("9.999.999.999.999.999,99", "9999999999999999.99"),
    ],
)
def test_amounts_are_read_exactly(raw, expected):
    assert parse_amount(raw) == Decimal(expected)
    assert isinstance(parse_amount(raw), Decimal)


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("dua juta", "not_number"),
        ("1,250,000", "not_number"),
        ("1.25.000", "not_number"),
        ("1.250.000,505", "not_number"),
        ("12,5%", "not_number"),
        (True, "not_number"),
        (float("nan"), "not_number"),
        ("-1.000", "negative"),
        (-5, "negative"),
        ("10.000.000.000.000.000", "too_large"),
    ],
)
def test_bad_amounts_say_why(raw, problem):
    with pytest.raises(ValueProblem) as caught:
        parse_amount(raw)
    assert caught.value.code == problem


@pytest.mark.parametrize("raw", [None, "", "   ", "Rp"])
def test_an_empty_amount_is_none(raw):
    assert parse_amount(raw) is None


@pytest.mark.parametrize("value", ["0", "1250000", "1250000.5", "1234567890123.45", "999"])
def test_formatted_amounts_read_back_to_the_same_value(value):
    assert parse_amount(format_amount(Decimal(value))) == Decimal(value)


def test_amounts_are_formatted_the_indonesian_way():
    assert format_amount(Decimal("1250000.50")) == "1.250.000,50"
    assert format_amount(Decimal("1250000.00")) == "1.250.000"


@pytest.mark.parametrize(("raw", "expected"), [(2024, 2024), (2024.0, 2024), ("2024", 2024), (" 2025 ", 2025)])
def test_years(raw, expected):
    assert parse_year(raw) == expected


@pytest.mark.parametrize(("raw", "problem"), [("dua ribu", "not_year"), (2024.5, "not_year"), (1999, "year_range")])
def test_bad_years(raw, problem):
    with pytest.raises(ValueProblem) as caught:
        parse_year(raw)
    assert caught.value.code == problem


@pytest.mark.parametrize(("raw", "expected"), [("Ya", True), ("ya", True), (True, True), ("Tidak", False), (0, False)])
def test_yes_and_no(raw, expected):
    assert parse_yes_no(raw) is expected


def test_codes_are_read_whatever_their_case_and_separators():
    column = INTEGRATION.column("document")
    assert clean_cell(column, "renstra pd") == "renstra_pd"
    assert clean_cell(column, "RENJA-PD") == "renja_pd"
    source = BUDGET.column("source")
    assert clean_cell(source, "apbd kabkota") == "apbd_regency"
