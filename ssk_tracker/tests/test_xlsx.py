import datetime
import io
from decimal import Decimal

from openpyxl import load_workbook

from ssk_tracker.lib import xlsx


def read(header, rows, sheet="62.13"):
    out = io.BytesIO()
    xlsx.write(out, header, rows, sheet)
    return load_workbook(io.BytesIO(out.getvalue())).active


def test_values_keep_their_kind():
    row = ['  Kota <Palangka> & "Raya"\x01', Decimal("12.50"), Decimal("1250000"), 2024, True, None, "=1+1"]
    sheet = read(list("abcdefg"), [row])
    assert [c.value for c in sheet[2]] == ['  Kota <Palangka> & "Raya"', 12.5, 1250000, 2024, True, None, "=1+1"]
    assert sheet["G2"].data_type == "s"  # text that looks like a formula stays text


def test_dates_and_moments_show_their_day():
    sheet = read(["day", "moment"], [[datetime.date(2024, 2, 29), datetime.datetime(2023, 6, 1, 12, 0)]])
    assert sheet["A2"].value == datetime.datetime(2024, 2, 29) and sheet["A2"].number_format == "yyyy-mm-dd"
    assert sheet["B2"].value == datetime.datetime(2023, 6, 1, 12, 0)


def test_header_bold_and_frozen_sheet_named_safely():
    sheet = read(["province_code"], [["62"]] * 1_200, sheet="62.13/[x]")  # more rows than one piece
    assert sheet.title == "62-13--x-" and sheet.freeze_panes == "A2" and sheet["A1"].font.b
    assert sheet.max_row == 1_201 and sheet["A1201"].value == "62"
