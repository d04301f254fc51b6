import shutil
import subprocess

import pytest

from milestones.tests import builders


def pdf_text(job) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(
        ["pdftotext", "-layout", job.file.path, "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def kalteng_progress(bartim, mura, officer_bartim, officer_mura, pokja_kalteng):
    """Barito Timur and Murung Raya in the 2022 cohort: M1–M3 verified, M4 under way."""
    for regency, officer in ((bartim, officer_bartim), (mura, officer_mura)):
        for number in (1, 2, 3):
            builders.approved(builders.milestone(regency, number, 2022), officer, pokja_kalteng, progress=100)
    builders.approved(builders.milestone(bartim, 4, 2022), officer_bartim, pokja_kalteng, progress=65)
    builders.returned(builders.milestone(mura, 4, 2022), officer_mura, pokja_kalteng, reason="Lampirkan SK UPTD.")
