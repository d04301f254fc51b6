"""Hostile planning workbooks: each is refused with a message on the upload form that names the limit
(or says the file is damaged), quickly, and nothing is imported or stored."""

import io
import time
import zipfile
from unittest import mock

import pytest

from milestones.tests.planning.workbooks import as_file, counts, upload, valid_workbook
from milestones.tests.security import hostile_files as hostile


@pytest.fixture
def officer(client_as, bartim):
    return client_as("officer_bartim")


@pytest.fixture
def valid_bytes(officer):
    return as_file(valid_workbook(officer)).read()


def refused(client, content, name="kegiatan.xlsx"):
    started = time.process_time()
    response = upload(client, hostile.SimpleUploadedFile(name, content))
    assert time.process_time() - started < 3  # the unchecked import of such files took 6–60 s
    assert response.status_code == 200
    assert counts() == (0, 0, 0, 0)
    return " ".join(response.context["form"].errors["file"])


def test_a_huge_shared_strings_table_is_refused_before_openpyxl_parses_it(officer, valid_bytes, stores_nothing):
    # 60 000 distinct entries: 163 KB on disk, compressed like honest XML (8:1), past the 50 000 limit.
    content = hostile.with_shared_strings(valid_bytes, 60_000, distinct=True)
    with mock.patch("milestones.forms.planning_upload.load_workbook", side_effect=AssertionError("parsed")):
        message = refused(officer, content)
    assert "50000" in message and "kegiatan.xlsx" in message


def test_millions_of_repeated_shared_strings_are_refused(officer, valid_bytes, settings, stores_nothing):
    # A million entries in 45 KB (3 million in 131 KB took 62 s). With the ratio check off, the count stops it.
    content = hostile.with_shared_strings(valid_bytes, 1_000_000)
    assert len(content) < 200 * 1024
    assert "bom ZIP" in refused(officer, content)
    settings.UPLOAD_MAX_COMPRESSION_RATIO = 10_000
    assert "50000" in refused(officer, content)


def test_too_many_cells_are_refused(officer, valid_bytes, settings, stores_nothing):
    settings.SPREADSHEET_MAX_CELLS = 20
    assert "20 sel" in refused(officer, valid_bytes)


def test_an_xlsx_zip_bomb_is_refused_without_inflating_it(officer, stores_nothing):
    bomb = hostile.zip_bomb("xlsx").read()
    with mock.patch.object(zipfile.ZipExtFile, "read", side_effect=AssertionError("inflated")):
        message = refused(officer, bomb)
    assert "60,0\xa0MB" in message


def test_a_sheet_that_declares_a_million_rows_and_columns_is_read_within_bounds(officer, valid_bytes, stores_nothing):
    sheet = zipfile.ZipFile(io.BytesIO(valid_bytes)).read("xl/worksheets/sheet2.xml")  # Kegiatan
    sheet = sheet.replace(b'<dimension ref="A1:G3" />', b'<dimension ref="A1:XFD1048576" />')
    last = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    sheet = sheet.replace(b"</sheetData>", last + b"</sheetData>")
    message = refused(officer, hostile.replace_parts(valid_bytes, {"xl/worksheets/sheet2.xml": sheet}))
    assert "Kegiatan" in message and "10001" in message


def test_rows_past_a_too_small_declared_dimension_are_read(officer, valid_bytes):
    # The dimension is not trusted either way: a row past it is read (and checked), not dropped.
    sheet = zipfile.ZipFile(io.BytesIO(valid_bytes)).read("xl/worksheets/sheet5.xml")  # APBD
    sheet = sheet.replace(b'<dimension ref="A1:B2" />', b'<dimension ref="A1:B1" />')
    assert b'<dimension ref="A1:B1" />' in sheet
    response = upload(
        officer,
        hostile.SimpleUploadedFile(
            "kegiatan.xlsx", hostile.replace_parts(valid_bytes, {"xl/worksheets/sheet5.xml": sheet})
        ),
    )
    assert response.status_code == 302
    preview = officer.get(response.url)
    assert preview.context["plan"].sheet("APBD").created == 1


def test_the_time_budget_stops_a_slow_read(officer, valid_bytes, settings, stores_nothing):
    settings.SPREADSHEET_MAX_SECONDS = 5
    clock = iter(range(0, 1000, 3))  # every look at the clock is three seconds later
    with mock.patch("milestones.forms.planning_upload.time.monotonic", side_effect=lambda: next(clock)):
        assert "5 detik" in refused(officer, valid_bytes)


@pytest.mark.parametrize(
    "damage",
    [
        lambda v: hostile.replace_parts(v, {"xl/worksheets/sheet2.xml": b"<worksheet><sheetData><row r="}),
        lambda v: hostile.replace_parts(v, {"xl/worksheets/sheet3.xml": None}),
        lambda v: hostile.replace_parts(v, {"xl/workbook.xml": None}),
        lambda v: v[: len(v) // 2],
        lambda v: v.replace(b"PK\x01\x02", b"PK\x01\x03", 1),
        lambda v: hostile.replace_parts(
            v, {"xl/worksheets/sheet2.xml": b'<!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet>&a;</worksheet>'}
        ),
    ],
    ids=["bad-xml", "missing-sheet-part", "missing-workbook-part", "truncated", "bad-directory", "dtd-entities"],
)
def test_a_damaged_workbook_is_answered_with_a_message(officer, valid_bytes, stores_nothing, damage):
    message = refused(officer, damage(valid_bytes))
    assert "kegiatan.xlsx" in message or "Integrasi" in message  # the missing sheet part: a missing sheet
