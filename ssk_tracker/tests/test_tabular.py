import datetime
import io
from decimal import Decimal

from openpyxl import load_workbook

from ssk_tracker.lib import tabular

HEADER = ["name", "amount", "date"]
ROWS = [['=HYPERLINK("http://x","klik")', Decimal("1250000"), datetime.date(2023, 6, 23)], ["-1+1", None, None]]


def test_csv_quotes_text_that_starts_like_a_formula():
    text = tabular.write_csv(HEADER, ROWS).decode("utf-8-sig")
    assert text.splitlines() == [
        "name,amount,date",
        '"\'=HYPERLINK(""http://x"",""klik"")",1250000,2023-06-23',
        "'-1+1,,",
    ]


def test_xlsx_keeps_formula_like_text_as_text_and_numbers_as_numbers():
    sheet = load_workbook(io.BytesIO(tabular.write_xlsx(HEADER, ROWS, "62.13"))).active
    assert sheet.title == "62-13"
    assert sheet["A2"].data_type == "s" and sheet["A2"].value.startswith("=HYPERLINK")
    assert sheet["B2"].value == 1250000 and sheet["C2"].value.date() == datetime.date(2023, 6, 23)


def test_download_names_the_attachment():
    response = tabular.download("csv", HEADER, ROWS, stem="nawasis-62", sheet="62")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="nawasis-62-')
