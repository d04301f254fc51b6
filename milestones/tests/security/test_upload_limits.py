"""Limits per submission on every upload form (files, their total), checked before any file is read or
stored, and the hard walls before a form sees anything (request size, Django's file count), answered with
a message page."""

from unittest import mock

import pytest
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

from milestones.forms.clinics import ActionStatusForm, ClinicForm
from milestones.forms.documents import DocumentForm
from milestones.forms.milestones import UpdateForm
from milestones.forms.planning import WorkbookUploadForm
from milestones.models import FollowUpAction
from milestones.tests import builders

FORMS = {  # form → (its file field, the form bound to some files)
    "milestone-evidence": ("files", lambda r, f: UpdateForm({}, f, milestone=builders.milestone(r["bartim"], 4))),
    "follow-up-evidence": ("files", lambda r, f: ActionStatusForm({}, f, action=FollowUpAction(status="open"))),
    "clinic-minutes": ("minutes_file", lambda r, f: ClinicForm({}, f, province=r["kalteng"])),
    "ssk-document": ("file", lambda r, f: DocumentForm({}, f, regency=r["bartim"])),
    "planning-workbook": ("file", lambda r, f: WorkbookUploadForm({}, f, regency=r["bartim"])),
}


@pytest.fixture
def regions(bartim, kalteng):
    return {"bartim": bartim, "kalteng": kalteng}


def refusal(regions, name, files):
    field, make = FORMS[name]
    form = make(regions, MultiValueDict({field: files}))
    with (
        mock.patch("milestones.evidence.identify", side_effect=AssertionError("a file was read")),
        mock.patch("milestones.forms.planning_upload.read_upload", side_effect=AssertionError("a file was read")),
    ):
        assert not form.is_valid()
    return form.errors[field]


@pytest.mark.parametrize("name", FORMS)
def test_too_many_files_are_refused_before_any_is_read(regions, settings, name):
    settings.UPLOAD_MAX_FILES = 3
    files = [builders.pdf(f"bukti-{n}.pdf") for n in range(4)]
    assert refusal(regions, name, files) == ["Anda memilih 4 berkas; paling banyak 3 dapat dikirim sekaligus."]


@pytest.mark.parametrize("name", FORMS)
def test_files_too_large_together_are_refused_before_any_is_read(regions, settings, name):
    settings.UPLOAD_MAX_TOTAL_BYTES = 1024
    files = [builders.pdf("bukti.pdf", builders.PDF_BYTES + b"0" * 1100)]
    [message] = refusal(regions, name, files)
    assert "1,0\xa0KB" in message


def test_extra_file_parts_count_too(client_as, bartim, settings, stores_nothing):
    # A hand-made request may add file parts under names the form does not have; they count.
    settings.UPLOAD_MAX_FILES = 2
    milestone = builders.milestone(bartim, 4)
    data = {"progress": "70", "narrative": "LLTT", "save": "", "files": [builders.pdf()]}
    data.update({f"extra{n}": builders.pdf(f"x{n}.pdf") for n in range(2)})
    response = client_as("officer_bartim").post(reverse("update_create", args=[milestone.pk]), data)
    assert response.status_code == 200
    assert "paling banyak 2" in " ".join(response.context["form"].errors["files"])


def test_a_request_above_the_size_wall_gets_a_message_page(client_as, bartim, settings, stores_nothing):
    settings.UPLOAD_MAX_REQUEST_BYTES = 2048
    milestone = builders.milestone(bartim, 4)
    data = {
        "progress": "70",
        "narrative": "LLTT",
        "save": "",
        "files": [builders.pdf("besar.pdf", b"%PDF-" + b"0" * 4000)],
    }
    response = client_as("officer_bartim").post(reverse("update_create", args=[milestone.pk]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "2,0\xa0KB" in page and "Tidak ada yang disimpan." in page and "<nav" in page


def test_more_files_than_django_parses_get_a_message_page(client_as, bartim, settings, stores_nothing):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 4
    settings.UPLOAD_MAX_FILES = 2
    milestone = builders.milestone(bartim, 4)
    files = [builders.pdf(f"bukti-{n}.pdf") for n in range(5)]
    data = {"progress": "70", "narrative": "LLTT", "save": "", "files": files}
    response = client_as("officer_bartim").post(reverse("update_create", args=[milestone.pk]), data)
    assert response.status_code == 400
    assert "Lebih dari 4 berkas" in response.content.decode()
