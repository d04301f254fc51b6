"""``deliveries.province_year``: the province dashboard's delivery rows in 2 queries, the same rows as
``regency_rows`` and ``province_rows`` give the reports pages."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from regencies.models import Regency
from reports import deliveries
from reports.tests.builders import done_report


def statuses(row: deliveries.PeriodRow) -> list[tuple[str, int | None]]:
    return [(status.choice.key, status.delivery.pk if status.delivery else None) for status in row.statuses]


def test_the_same_rows_as_regency_rows_and_province_rows_in_two_queries(
    kalteng, bartim, mura, balai, officer_bartim, officer_mura, pokja_kalteng
):
    keys = ["national", "provincial:62", f"balai:{balai.pk}"]
    deliveries.send_report(job=done_report(audience="regency", regency=bartim), recipients=keys, sent_by=officer_bartim)
    deliveries.send_report(job=done_report(audience="regency", regency=mura), recipients=keys[:1], sent_by=officer_mura)
    deliveries.send_report(
        job=done_report(audience="provincial", province=kalteng), recipients=[keys[2]], sent_by=pokja_kalteng
    )
    # Another year's report counts for neither.
    old = done_report(
        audience="regency", regency=bartim, period=(datetime.date(2021, 1, 1), datetime.date(2021, 12, 31))
    )
    deliveries.send_report(job=old, recipients=keys[:1], sent_by=officer_bartim)
    regencies = list(Regency.objects.filter(province=kalteng).select_related("province"))

    with CaptureQueriesContext(connection) as queries:
        found = deliveries.province_year(kalteng, regencies, 2023)
    assert len(queries) == 2

    expected_regencies = deliveries.regency_rows(regencies, 2023)
    (expected_province,) = deliveries.province_rows([kalteng], 2023)
    assert [(row.regency, row.province, statuses(row)) for row in found.regency_rows] == [
        (row.regency, row.province, statuses(row)) for row in expected_regencies
    ]
    assert (found.province_row.regency, found.province_row.province, statuses(found.province_row)) == (
        None,
        kalteng,
        statuses(expected_province),
    )
    by_code = {row.regency.code: row for row in found.regency_rows if row.regency}
    assert by_code[bartim.code].delivered and not by_code[mura.code].delivered and by_code[mura.code].delivered_anywhere
    assert not found.province_row.delivered and found.province_row.delivered_anywhere
    assert found.balai == [balai]


def test_a_year_without_deliveries_costs_one_query_with_the_same_rows(kalteng, bartim, balai, officer_bartim):
    # A delivery of another year: the Balai's read finds none for 2023 and the deliveries are not read.
    old = done_report(
        audience="regency", regency=bartim, period=(datetime.date(2021, 1, 1), datetime.date(2021, 12, 31))
    )
    deliveries.send_report(job=old, recipients=["national"], sent_by=officer_bartim)
    regencies = list(Regency.objects.filter(province=kalteng).select_related("province"))

    with CaptureQueriesContext(connection) as queries:
        found = deliveries.province_year(kalteng, regencies, 2023)
    assert len(queries) == 1

    assert [statuses(row) for row in found.regency_rows] == [
        statuses(row) for row in deliveries.regency_rows(regencies, 2023)
    ]
    assert not any(row.delivered_anywhere for row in found.regency_rows)
    assert statuses(found.province_row) == statuses(deliveries.province_rows([kalteng], 2023)[0])
    assert found.balai == [balai]
    # The year that has one is read as before.
    in_2021 = deliveries.province_year(kalteng, regencies, 2021).regency_rows
    assert [row.delivered_anywhere for row in in_2021 if row.regency == bartim] == [True]


def test_a_province_without_a_balai_gets_the_same_rows(kalsel, balai):
    assert not kalsel.balai_set.exists()
    regencies = list(Regency.objects.filter(province=kalsel).select_related("province"))

    with CaptureQueriesContext(connection) as queries:
        found = deliveries.province_year(kalsel, regencies, 2023)
    assert len(queries) == 1  # no delivery for the year: the answer comes with the province's row
    assert found.balai == []
    assert [statuses(row) for row in found.regency_rows] == [
        statuses(row) for row in deliveries.regency_rows(regencies, 2023)
    ]


def own_rows(rows: list[deliveries.PeriodRow]) -> list[tuple[object, list[tuple[str, int | None]]]]:
    return [((row.regency, row.province.code, row.province.name), statuses(row)) for row in rows]


def test_own_report_rows_are_province_rows_in_one_query_or_two(
    kalteng, kalsel, bartim, balai, pokja_kalteng, officer_bartim
):
    # Kalteng with a Balai, Kalsel without; a delivery of 2023 to the Balai only, one of 2021, one regency's.
    deliveries.send_report(
        job=done_report(audience="provincial", province=kalteng),
        recipients=[f"balai:{balai.pk}"],
        sent_by=pokja_kalteng,
    )
    old = done_report(
        audience="provincial", province=kalteng, period=(datetime.date(2021, 1, 1), datetime.date(2021, 12, 31))
    )
    deliveries.send_report(job=old, recipients=["national"], sent_by=pokja_kalteng)
    deliveries.send_report(
        job=done_report(audience="regency", regency=bartim), recipients=["national"], sent_by=officer_bartim
    )

    for year, count in ((2023, 2), (2021, 2), (2022, 1)):
        with CaptureQueriesContext(connection) as queries:
            found = deliveries.own_report_rows([kalsel.code, kalteng.code, kalteng.code], year)
        assert len(queries) == count
        assert own_rows(found) == own_rows(deliveries.province_rows([kalteng, kalsel], year))
    (kalteng_row,) = [row for row in deliveries.own_report_rows([kalteng.code], 2023)]
    assert kalteng_row.delivered_anywhere and kalteng_row.missing
    assert deliveries.own_report_rows([], 2023) == []
