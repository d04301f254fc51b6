"""The reports' layout, read back from the PDF: every audience in both languages, with the longest province
and regency names of the national list and long figures. ``pdftotext -bbox`` gives each word's box: no two
may overlap, none may cross the page's side margins, the summary's figures sit on one line, and the
provinces table has one column per header with its figures under their header.

The eight reports are compiled once for the module (about three seconds); the tests only read them."""

import datetime
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from milestones.models import (
    BudgetLine,
    CoachingClinic,
    FollowUpAction,
    NawasisSubmission,
    ProgrammeActivity,
    Recommendation,
)
from milestones.tests.shared_rows import rolled_back
from regencies.models import Balai, Province, Regency
from reports import render, services
from reports.tests.conftest import build_kalteng_progress

pytestmark = pytest.mark.django_db
PERIOD = (datetime.date(2022, 1, 1), datetime.date(2023, 12, 31))
AUDIENCES = ("national", "provincial", "balai", "regency")
LANGUAGES = ("id", "en")
REPORTS = [(audience, language) for audience in AUDIENCES for language in LANGUAGES]
# The longest names of regencies/data/wilayah_indonesia.csv, given to the test regions.
LONG_PROVINCE = "Daerah Khusus Ibukota Jakarta"
LONG_REGENCY = "Kabupaten Administrasi Kepulauan Seribu"
SIDE_MARGIN = 1.8 / 2.54 * 72  # report.typ: margin x 1.8cm, in points
TOLERANCE = 0.5  # points: glyph boxes of neighbouring words may touch, not overlap
_XHTML = "{http://www.w3.org/1999/xhtml}"


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    words: list[Word]


def read_pages(path: Path) -> list[Page]:
    xml = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True).stdout
    pages = []
    for number, page in enumerate(ET.fromstring(xml).iter(_XHTML + "page"), 1):
        words = [
            Word(w.text or "", *(float(w.get(k, "nan")) for k in ("xMin", "yMin", "xMax", "yMax")))
            for w in page.iter(_XHTML + "word")
        ]
        pages.append(Page(number, float(page.get("width", "nan")), float(page.get("height", "nan")), words))
    return pages


def overlaps(words: list[Word]) -> list[tuple[Word, Word]]:
    """Pairs of words whose boxes overlap by more than the tolerance both ways (a sweep down the page)."""
    found = []
    ordered = sorted(words, key=lambda w: w.y0)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if b.y0 >= a.y1 - TOLERANCE:
                break
            if min(a.x1, b.x1) - max(a.x0, b.x0) > TOLERANCE and min(a.y1, b.y1) - max(a.y0, b.y0) > TOLERANCE:
                found.append((a, b))
    return found


def line_of(words: list[Word], of: Word) -> list[Word]:
    """The words on the same line as ``of``, left to right (by their middles: "✓" comes from a fallback
    font with a taller box)."""
    middle = (of.y0 + of.y1) / 2
    return sorted((w for w in words if abs((w.y0 + w.y1) / 2 - middle) < 3), key=lambda w: w.x0)


def cells(line: list[Word], gap: float = 5.0) -> list[list[Word]]:
    """A table row's line split into cells: words of one cell are a space apart (about 2pt), neighbouring
    cells at least both cells' insets (8pt)."""
    groups: list[list[Word]] = []
    for word in line:
        if groups and word.x0 - groups[-1][-1].x1 < gap:
            groups[-1].append(word)
        else:
            groups.append([word])
    return groups


@pytest.fixture(scope="module")
def reports(module_db, django_db_blocker, tmp_path_factory) -> dict[tuple[str, str], Path]:
    """The Kalteng progress of conftest.py, renamed to the longest names, with a follow-up, NAWASIS
    entries and budgets in the billions; compiled for every audience and language."""
    folder = tmp_path_factory.mktemp("layout")
    found = {}
    with rolled_back(django_db_blocker), django_db_blocker.unblock():
        users = get_user_model().objects.in_bulk(
            ["officer_bartim", "officer_mura", "pokja_kalteng"], field_name="username"
        )
        bartim, mura = Regency.objects.get(code="62.13"), Regency.objects.get(code="62.12")
        build_kalteng_progress(bartim, mura, users["officer_bartim"], users["officer_mura"], users["pokja_kalteng"])
        province = Province.objects.get(code="62")
        Province.objects.filter(pk=province.pk).update(name=LONG_PROVINCE)
        Regency.objects.filter(pk=bartim.pk).update(name=LONG_REGENCY)
        clinic = CoachingClinic.objects.create(
            province=province,
            number=6,
            title="Coaching Clinic 6",
            date=datetime.date(2023, 6, 23),
            created_by=users["pokja_kalteng"],
        )
        FollowUpAction.objects.create(
            recommendation=Recommendation.objects.create(clinic=clinic, text="Masukkan program SSK ke RKPD."),
            province=province,
            regency=bartim,
            assigned_regency=bartim,
            description="Pastikan kegiatan SSK masuk RKPD 2024 dan Renja-PD dinas terkait. " * 3,
            due_date=datetime.date(2023, 9, 30),
        )
        for module in ("ssk", "wastewater", "solid_waste"):
            NawasisSubmission.objects.create(
                regency=bartim,
                module=module,
                submitted_on=datetime.date(2023, 5, 15),
                completeness=Decimal(87),
                recorded_by=users["officer_bartim"],
            )
        activity = ProgrammeActivity.objects.create(
            regency=bartim,
            code="K-01",
            subsector="wastewater",
            name="Pembangunan IPLT",
            agency="Dinas PUPR",
            year_start=2022,
            year_end=2026,
        )
        for source in ("apbn", "dak", "apbd_regency"):
            BudgetLine.objects.create(
                activity=activity,
                year=2023,
                source=source,
                indicative=Decimal("987654321000000"),
                allocated=Decimal("876543210000000"),
                realised=Decimal("765432100000000"),
            )
        scopes: dict[str, dict[str, Any]] = {
            "national": {},
            "provincial": {"province": province},
            "balai": {"balai": Balai.objects.filter(provinces=province).first()},
            "regency": {"regency": bartim},
        }
        for audience, language in REPORTS:
            job = services.request_report(
                audience=audience, period=PERIOD, language=language, enqueue_job=False, **scopes[audience]
            )
            job = services.compile_job(job.pk)
            found[audience, language] = folder / f"{audience}-{language}.pdf"
            shutil.copyfile(job.file.path, found[audience, language])
    return found


@pytest.fixture(scope="module", autouse=True)
def _poppler():
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")


@pytest.mark.parametrize(("audience", "language"), REPORTS)
def test_no_two_words_overlap_and_none_crosses_the_margins(reports, audience, language):
    pages = read_pages(reports[audience, language])
    assert len(pages) >= 2
    for page in pages:
        pairs = [f"{a.text!r}/{b.text!r}" for a, b in overlaps(page.words)]
        assert not pairs, f"page {page.number}: overlapping words {pairs[:10]}"
        outside = [
            w.text
            for w in page.words
            if w.x0 < SIDE_MARGIN - TOLERANCE
            or w.x1 > page.width - SIDE_MARGIN + TOLERANCE
            or w.y0 < 0
            or w.y1 > page.height
        ]
        assert not outside, f"page {page.number}: words outside the text area {outside[:10]}"


@pytest.mark.parametrize(("audience", "language"), REPORTS)
def test_the_summary_figures_sit_on_one_line_however_their_labels_wrap(reports, audience, language):
    summary = read_pages(reports[audience, language])[1]
    figures = [w for w in summary.words if w.y1 - w.y0 > 17]  # the 16pt figures; headings are 14pt
    boxes = 6 if audience == "regency" else 5
    assert len(figures) == boxes
    assert max(w.y0 for w in figures) - min(w.y0 for w in figures) < TOLERANCE


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("audience", ["national", "provincial", "balai"])
def test_the_provinces_table_has_a_column_per_header_and_its_figures_under_it(reports, audience, language):
    with translation.override(language):
        labels = render.labels()
    page = read_pages(reports[audience, language])[1]
    code = next(w for w in page.words if w.text == labels["code"])
    header = cells(line_of(page.words, code))
    expected = [labels[k] for k in ("code", "province", "regencies", "in_programme")]
    expected += [f"M{n} ✓" for n in range(1, 5)] + [labels[k] for k in ("late", "pending", "follow_up")]
    expected += ["NAWASIS"]
    tops = [" ".join(w.text for w in cell).replace("\xa0", " ") for cell in header]
    assert len(tops) == len(expected), tops
    for top, label in zip(tops, expected, strict=True):
        assert label.startswith(top), (top, label)  # a header's first line, in the headers' order
    # The first province's row: its code under "Code", then one cell per column, each figure right-aligned
    # under its right-aligned header (the name alone in its column, left-aligned under "Province").
    first = min((w for w in page.words if w.y0 > code.y1 and abs(w.x0 - code.x0) < TOLERANCE), key=lambda w: w.y0)
    row = cells(line_of(page.words, first))
    assert len(row) == len(header)
    assert row[1][0].text == LONG_PROVINCE.split()[0] and len(row[1]) <= len(LONG_PROVINCE.split())
    for i, (head, value) in enumerate(zip(header, row, strict=True)):
        if i < 2:
            assert abs(head[0].x0 - value[0].x0) < TOLERANCE, (i, head, value)
        else:
            assert abs(head[-1].x1 - value[-1].x1) < TOLERANCE, (i, head, value)
