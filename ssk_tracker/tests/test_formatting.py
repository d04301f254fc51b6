import datetime
from decimal import Decimal

from django.template import Context, Template
from django.utils import translation

from ssk_tracker.lib.formatting import percent, roman, rupiah


def test_rupiah_in_indonesian():
    with translation.override("id"):
        assert rupiah(Decimal("1234567")) == "Rp 1.234.567"
        assert rupiah(0) == "Rp 0"
        assert rupiah(Decimal("-2500000.4")) == "-Rp 2.500.000"
        assert rupiah(None) == "–"


def test_rupiah_in_english():
    with translation.override("en"):
        assert rupiah(1234567) == "Rp 1,234,567"


def test_percent():
    with translation.override("id"):
        assert percent(Decimal("12.5"), 1) == "12,5%"
        assert percent(80) == "80%"


def test_roman():
    assert [roman(n) for n in (1, 4, 6, 7, 9)] == ["I", "IV", "VI", "VII", "IX"]


def test_dates_read_as_indonesians_write_them():
    with translation.override("id"):
        rendered = Template("{{ d|date }}").render(Context({"d": datetime.date(2023, 6, 23)}))
    assert rendered == "23 Juni 2023"


def test_filters_are_builtin_in_templates():
    with translation.override("id"):
        assert Template("{{ x|rupiah }}").render(Context({"x": 1234567})) == "Rp 1.234.567"


def test_person_names_a_user_and_a_dash_for_nobody():
    from django.contrib.auth.models import User

    from ssk_tracker.lib.formatting import person

    assert person(User(username="siti", first_name="Siti", last_name="Aminah")) == "Siti Aminah"
    assert person(User(username="budi")) == "budi"
    assert person(None) == "–"
    assert Template("{{ u.decided_by|person }}").render(Context({"u": {"decided_by": None}})) == "–"


def test_rupiah_groups_every_three_digits_up_to_the_largest_amount():
    with translation.override("id"):
        assert rupiah(Decimal("9999999999999999.99")) == "Rp 10.000.000.000.000.000"
        assert rupiah(Decimal("999.5")) == "Rp 1.000"
        assert rupiah(Decimal("100")) == "Rp 100"
        assert rupiah("1234") == "Rp 1.234"
