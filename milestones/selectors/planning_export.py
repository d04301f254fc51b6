"""The planning workbook and the CSV ZIP written from a regency's rows (``selectors.planning.exchange_data``).

The workbook is the template and the XLSX export alike: a guide sheet and the four data sheets of
``forms.planning_workbook``, pre-filled, with code lists in the cells. The CSV ZIP holds the same four
tables for other programs; its cells go through ``ssk_tracker.lib.tabular``'s formula guard.
"""

import io
import zipfile
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from milestones.forms.planning_workbook import (
    ACTIVITIES,
    AMOUNT,
    APBD,
    BUDGET,
    CHOICE,
    DOCUMENT_CODES,
    GUIDE,
    GUIDE_REGENCY_LABEL,
    INTEGRATION,
    MAX_ROWS,
    NO,
    SOURCE_CODES,
    SUBSECTOR_CODES,
    TEXT,
    YEAR,
    YEAR_MAX,
    YEAR_MIN,
    YES,
    YESNO,
    Sheet,
    code_for,
)
from milestones.models import (
    BudgetLine,
    FundingSource,
    PlanningDocument,
    PlanningIntegration,
    ProgrammeActivity,
    RegionalBudget,
    Subsector,
)
from regencies.models import Regency
from ssk_tracker.lib import tabular
from ssk_tracker.lib.amounts import CENT

Cell = str | int | bool | Decimal | None

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="198754")


# --- One row of each sheet -----------------------------------------------------------------------


def activity_cells(activity: ProgrammeActivity) -> list[Cell]:
    return [
        activity.code,
        code_for(SUBSECTOR_CODES, activity.subsector),
        activity.name,
        activity.agency,
        activity.location,
        activity.year_start,
        activity.year_end,
    ]


def integration_cells(integration: PlanningIntegration) -> list[Cell]:
    return [
        integration.activity.code,
        code_for(DOCUMENT_CODES, integration.document),
        integration.year,
        YES if integration.included else NO,
        integration.nomenclature,
        integration.amount,
    ]


def budget_cells(line: BudgetLine) -> list[Cell]:
    return [
        line.activity.code,
        line.year,
        code_for(SOURCE_CODES, line.source),
        line.indicative,
        line.allocated,
        line.realised,
    ]


def apbd_cells(budget: RegionalBudget) -> list[Cell]:
    return [budget.year, budget.total_apbd]


# --- The workbook --------------------------------------------------------------------------------


def _money_format(value: object) -> str:
    return "#,##0.00" if isinstance(value, Decimal) and value != value.to_integral_value() else "#,##0"


def _write_sheet(worksheet: Worksheet, sheet: Sheet, rows: Iterable[list[Cell]]) -> None:
    worksheet.append([c.header for c in sheet.columns])
    for cell in worksheet[1]:
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    worksheet.freeze_panes = "A2"
    for position, column in enumerate(sheet.columns, start=1):
        worksheet.column_dimensions[get_column_letter(position)].width = column.width
    # Cells by (row, column): worksheet.max_row and worksheet[row] scan every cell written so far, which
    # made a regency's export quadratic in its rows (0.6 s for 30 activities with five years of lines).
    for row, values in enumerate(rows, start=2):
        worksheet.append(values)
        for position, column in enumerate(sheet.columns, start=1):
            cell = worksheet.cell(row=row, column=position)
            if column.kind == AMOUNT:
                cell.number_format = _money_format(cell.value)
            elif column.kind == TEXT:
                cell.number_format = "@"
                if cell.data_type == "f":  # openpyxl takes text starting with "=" for a formula: keep it text
                    cell.data_type = "s"
    last = MAX_ROWS + 1
    for position, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(position)
        if column.kind in (CHOICE, YESNO):
            choices = list(column.codes) if column.codes else [YES, NO]
            validation = DataValidation(
                type="list", formula1='"' + ",".join(choices) + '"', allow_blank=not column.required
            )
            validation.error = _("Choose one of: %(codes)s") % {"codes": ", ".join(choices)}
        elif column.kind == YEAR:
            validation = DataValidation(
                type="whole", operator="between", formula1=str(YEAR_MIN), formula2=str(YEAR_MAX)
            )
            validation.error = _("A year between %(first)s and %(last)s.") % {"first": YEAR_MIN, "last": YEAR_MAX}
        else:
            continue
        validation.showErrorMessage = True
        worksheet.add_data_validation(validation)
        validation.add(f"{letter}2:{letter}{last}")


def _write_guide(worksheet: Worksheet, regency: Regency) -> None:
    worksheet.column_dimensions["A"].width = 26
    worksheet.column_dimensions["B"].width = 60
    worksheet.column_dimensions["C"].width = 40
    worksheet.append([_("SSK programme activities, planning integration and budget")])
    worksheet["A1"].font = Font(bold=True, size=13)
    worksheet.append([GUIDE_REGENCY_LABEL, regency.code, regency.name])
    worksheet["A2"].font = worksheet["B2"].font = Font(bold=True)
    worksheet.append([_("Made on"), timezone.localdate().isoformat()])
    worksheet.append([])
    lines = [
        _("Fill in the sheets Kegiatan, Integrasi, Anggaran and APBD; keep their names and the headers in row 1."),
        _("One row per activity in Kegiatan; its code (e.g. AL-01) links the rows of Integrasi and Anggaran."),
        _("Integrasi: one row per activity, planning document and year; say Ya or Tidak, with its name and pagu."),
        _("Anggaran: one row per activity, year and funding source: indicative (SSK), allocated and realised."),
        _("APBD: the regency's total APBD of each year, to compute the sanitation share."),
        _("Amounts in rupiah: a number, or text such as 1.250.000 or 1.250.000,50. An empty amount is zero."),
        _("Rows are added or changed after you check the preview and confirm; an upload never deletes anything."),
        _("Use the codes listed below; the cells offer them in a list."),
    ]
    for line in lines:
        worksheet.append(["", line])
        worksheet.cell(worksheet.max_row, 2).alignment = Alignment(wrap_text=True, vertical="top")
    for title, codes in (
        ("Subsektor", {code: Subsector(value).label for code, value in SUBSECTOR_CODES.items()}),
        ("Dokumen", {code: PlanningDocument(value).label for code, value in DOCUMENT_CODES.items()}),
        ("Sumber dana", {code: FundingSource(value).label for code, value in SOURCE_CODES.items()}),
        ("Masuk dokumen", {YES: _("included in the document"), NO: _("not included")}),
    ):
        worksheet.append([])
        worksheet.append([title])
        worksheet.cell(worksheet.max_row, 1).font = Font(bold=True)
        for code, label in codes.items():
            worksheet.append([code, str(label)])


def build_workbook(
    *,
    regency: Regency,
    activities: Iterable[ProgrammeActivity],
    integrations: Iterable[PlanningIntegration],
    budget_lines: Iterable[BudgetLine],
    regional_budgets: Iterable[RegionalBudget],
) -> bytes:
    """The workbook (template and export alike): a guide sheet and the four data sheets, pre-filled."""
    workbook = Workbook()
    guide = workbook.worksheets[0]  # a new workbook starts with one sheet
    _write_guide(guide, regency)
    guide.title = GUIDE
    sheets: tuple[tuple[Sheet, Iterable[list[Cell]]], ...] = (
        (ACTIVITIES, (activity_cells(a) for a in activities)),
        (INTEGRATION, (integration_cells(i) for i in integrations)),
        (BUDGET, (budget_cells(b) for b in budget_lines)),
        (APBD, (apbd_cells(r) for r in regional_budgets)),
    )
    for sheet, rows in sheets:
        _write_sheet(workbook.create_sheet(sheet.name), sheet, rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- The CSV ZIP ---------------------------------------------------------------------------------

CSV_HEADERS = {
    "kegiatan.csv": [
        "kode_wilayah",
        "kode_kegiatan",
        "subsektor",
        "nama_kegiatan",
        "opd",
        "lokasi",
        "tahun_mulai",
        "tahun_selesai",
    ],
    "integrasi.csv": ["kode_wilayah", "kode_kegiatan", "dokumen", "tahun", "masuk_dokumen", "nomenklatur", "pagu"],
    "anggaran.csv": ["kode_wilayah", "kode_kegiatan", "tahun", "sumber_dana", "indikatif", "dialokasikan", "realisasi"],
    "apbd.csv": ["kode_wilayah", "tahun", "total_apbd"],
}


def _csv_cell(value: Cell) -> Cell:
    """Amounts as 1250000.50 (tabular.write_csv quotes text that starts like a formula)."""
    return f"{value.quantize(CENT):f}" if isinstance(value, Decimal) else value


def _csv_rows[Item](
    regency: Regency, items: Iterable[Item], cells: Callable[[Item], list[Cell]]
) -> Iterable[Sequence[Cell]]:
    return ([regency.code, *(_csv_cell(v) for v in cells(item))] for item in items)


def build_csv_zip(
    *,
    regency: Regency,
    activities: Iterable[ProgrammeActivity],
    integrations: Iterable[PlanningIntegration],
    budget_lines: Iterable[BudgetLine],
    regional_budgets: Iterable[RegionalBudget],
) -> bytes:
    """A ZIP of four CSV files (UTF-8 with BOM, comma-separated, amounts as 1250000.50)."""
    tables = {
        "kegiatan.csv": _csv_rows(regency, activities, activity_cells),
        "integrasi.csv": _csv_rows(regency, integrations, integration_cells),
        "anggaran.csv": _csv_rows(regency, budget_lines, budget_cells),
        "apbd.csv": _csv_rows(regency, regional_budgets, apbd_cells),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as package:
        for name, header in CSV_HEADERS.items():
            package.writestr(name, tabular.write_csv(header, tables[name]))
    return buffer.getvalue()
