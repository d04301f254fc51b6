"""One worksheet of plain values as an XLSX file, written row by row straight into the zip.

A national budget export is some 230,000 rows: openpyxl builds an XML element per cell and wrote
them at about 40,000 cells a second here (a minute for that export, longer than a request may take).
This writes the same SpreadsheetML as text: strings inline (so never formulas: a text that starts
like one stays text), numbers as numbers, dates as day serials in the yyyy-mm-dd format, the header
row bold and frozen. Memory stays flat: rows go into the compressed member as they come.
"""

import datetime
import re
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import IO

from openpyxl.utils import get_column_letter

CHUNK_ROWS = 500
EPOCH = datetime.datetime(1899, 12, 30)  # day 0 of Excel's 1900 date system (past its leap-year bug)
# Characters XML 1.0 cannot carry (Excel refuses the file): dropped from text.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_PLAIN_TEXT = re.compile('[^&<>"\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]*')
_NOT_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_CONTENT_TYPES = (
    _HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>'
)
_ROOT_RELS = (
    _HEAD + f'<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" '
    f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK_RELS = (
    _HEAD + f'<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/></Relationships>'
)
# Cell styles: 0 plain, 1 a date (yyyy-mm-dd), 2 bold (the header).
_STYLES = (
    _HEAD + f'<styleSheet xmlns="{_NS}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)


def _text(value: str) -> str:
    if _PLAIN_TEXT.fullmatch(value):  # most cells: nothing to escape or drop
        return value
    value = _NOT_XML.sub("", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _string(ref: str, value: str, s: str) -> str:
    text = _text(value)
    space = ' xml:space="preserve"' if text and (text[0].isspace() or text[-1].isspace()) else ""
    return f'<c r="{ref}" t="inlineStr"{s}><is><t{space}>{text}</t></is></c>'


def _cell(ref: str, value: object, style: int = 0) -> str:
    s = f' s="{style}"' if style else ""
    if type(value) is str:  # the common case first
        return _string(ref, value, s)
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"{s}><v>{int(value)}</v></c>'
    if isinstance(value, Decimal):  # whole rupiah as integers, the rest as numbers Excel can sum
        value = int(value) if value == value.to_integral() else float(value)
    if isinstance(value, int | float):
        return f'<c r="{ref}"{s}><v>{value!r}</v></c>'
    if isinstance(value, datetime.datetime):
        days = (value.replace(tzinfo=None) - EPOCH) / datetime.timedelta(days=1)
        return f'<c r="{ref}" s="1"><v>{days!r}</v></c>'
    if isinstance(value, datetime.date):
        return f'<c r="{ref}" s="1"><v>{(value - EPOCH.date()).days}</v></c>'
    return _string(ref, str(value), s)


def _row(number: int, letters: Sequence[str], values: Iterable[object], style: int = 0) -> str:
    cells = "".join(
        _cell(f"{letter}{number}", value, style)
        for letter, value in zip(letters, values, strict=False)
        if value is not None and value != ""
    )
    return f'<row r="{number}">{cells}</row>'


def sheet_name(name: str) -> str:
    """A name Excel accepts for a sheet: no []:*?/\\ (and no dot, like the older exports), at most 31."""
    return _NOT_IN_SHEET_NAME.sub("-", name.replace(".", "-"))[:31] or "Sheet1"


def write(out: IO[bytes], header: Sequence[str], rows: Iterable[Iterable[object]], sheet: str) -> None:
    """The table as an XLSX file into ``out`` (seekable: a temporary file or a BytesIO)."""
    letters = [get_column_letter(index) for index in range(1, max(len(header), 1) + 1)]
    widths = "".join(
        f'<col min="{i}" max="{i}" width="{max(12, min(40, len(name) + 2))}" customWidth="1"/>'
        for i, name in enumerate(header, start=1)
    )
    workbook = (
        _HEAD + f'<workbook xmlns="{_NS}" xmlns:r="{_REL}"><sheets>'
        f'<sheet name="{_text(sheet_name(sheet))}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", _CONTENT_TYPES)
        package.writestr("_rels/.rels", _ROOT_RELS)
        package.writestr("xl/workbook.xml", workbook)
        package.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        package.writestr("xl/styles.xml", _STYLES)
        with package.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            member.write(
                (
                    _HEAD + f'<worksheet xmlns="{_NS}"><sheetViews><sheetView workbookViewId="0">'
                    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                    f"</sheetView></sheetViews>{f'<cols>{widths}</cols>' if widths else ''}<sheetData>"
                    + _row(1, letters, header, style=2)
                ).encode()
            )
            piece: list[str] = []
            for number, row in enumerate(rows, start=2):
                piece.append(_row(number, letters, row))
                if len(piece) == CHUNK_ROWS:
                    member.write("".join(piece).encode())
                    piece = []
            member.write(("".join(piece) + "</sheetData></worksheet>").encode())
