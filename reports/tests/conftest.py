import shutil
import subprocess

import pytest
from django.contrib.auth import get_user_model

from milestones.tests import builders
from milestones.tests.shared_rows import rolled_back
from regencies.models import Regency


def pdf_text(job) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(
        ["pdftotext", "-layout", job.file.path, "-"], capture_output=True, text=True, check=True
    ).stdout


def build_kalteng_progress(bartim, mura, officer_bartim, officer_mura, pokja_kalteng) -> None:
    for regency, officer in ((bartim, officer_bartim), (mura, officer_mura)):
        for number in (1, 2, 3):
            builders.approved(builders.milestone(regency, number, 2022), officer, pokja_kalteng, progress=100)
    builders.approved(builders.milestone(bartim, 4, 2022), officer_bartim, pokja_kalteng, progress=65)
    builders.returned(builders.milestone(mura, 4, 2022), officer_mura, pokja_kalteng, reason="Lampirkan SK UPTD.")


@pytest.fixture
def kalteng_progress(bartim, mura, officer_bartim, officer_mura, pokja_kalteng):
    """Barito Timur and Murung Raya in the 2022 cohort: M1–M3 verified, M4 under way."""
    build_kalteng_progress(bartim, mura, officer_bartim, officer_mura, pokja_kalteng)


@pytest.fixture(scope="class")
def kalteng_progress_for_the_class(module_db, django_db_blocker):
    """``kalteng_progress`` built once for a whole class (its own instances, none handed to the tests)."""
    with rolled_back(django_db_blocker):
        with django_db_blocker.unblock():
            users = get_user_model().objects.in_bulk(
                ["officer_bartim", "officer_mura", "pokja_kalteng"], field_name="username"
            )
            build_kalteng_progress(
                Regency.objects.get(code="62.13"),
                Regency.objects.get(code="62.12"),
                users["officer_bartim"],
                users["officer_mura"],
                users["pokja_kalteng"],
            )
        yield
