import pytest
from django.urls import reverse

from milestones.models import MilestoneUpdate
from milestones.tests import builders


@pytest.fixture
def waiting(bartim, officer_bartim):
    return builders.submitted(builders.milestone(bartim, 4), officer_bartim, progress=65)


def test_the_reviewer_approves(client_as, waiting):
    client_as("pokja_kalteng").post(reverse("update_approve", args=[waiting.pk]), {"comment": "Lengkap."})
    waiting.refresh_from_db()
    waiting.milestone.refresh_from_db()
    assert waiting.status == "approved"
    assert (waiting.milestone.progress, waiting.milestone.status) == (65, "in_progress")


def test_the_reviewer_returns_with_a_reason(client_as, waiting):
    client_as("pokja_kalteng").post(reverse("update_return", args=[waiting.pk]), {"reason": "Tambahkan data cakupan."})
    waiting.refresh_from_db()
    assert (waiting.status, waiting.return_reason) == ("returned", "Tambahkan data cakupan.")


def test_returning_without_a_reason_is_refused_with_a_message(client_as, waiting):
    response = client_as("pokja_kalteng").post(reverse("update_return", args=[waiting.pk]), {"reason": ""})
    assert response.status_code == 400
    assert "Sebutkan alasan" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == "submitted"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("officer_bartim", 403),
        ("officer_mura", 404),
        ("national", 403),
        ("balai_kalteng", 403),
        ("coordinator_kalteng", 403),
        ("pokja_kalsel", 404),
        ("administrator", 403),
    ],
)
def test_only_the_provincial_pokja_decides(client_as, waiting, persona, status):
    client = client_as(persona)
    assert client.post(reverse("update_approve", args=[waiting.pk])).status_code == status
    assert client.post(reverse("update_return", args=[waiting.pk]), {"reason": "x"}).status_code == status
    assert MilestoneUpdate.objects.get(pk=waiting.pk).status == "submitted"


def test_decisions_need_post(client_as, waiting):
    assert client_as("pokja_kalteng").get(reverse("update_approve", args=[waiting.pk])).status_code == 405


def test_reopen_is_for_the_province_only(client_as, bartim, officer_bartim, pokja_kalteng):
    milestone = builders.milestone(bartim, 1)
    builders.approved(milestone, officer_bartim, pokja_kalteng, progress=100)
    url = reverse("milestone_reopen", args=[milestone.pk])
    assert client_as("officer_bartim").post(url, {"reason": "x", "progress": 50}).status_code == 403
    client_as("pokja_kalteng").post(url, {"reason": "Perbup direvisi.", "progress": 90})
    milestone.refresh_from_db()
    assert (milestone.status, milestone.progress) == ("in_progress", 90)


def test_the_province_changes_the_plan_on_the_record(client_as, bartim):
    milestone = builders.milestone(bartim, 4)
    client_as("pokja_kalteng").post(
        reverse("milestone_plan", args=[milestone.pk]), {"planned_date": "2023-12-15", "comment": "Kesepakatan CC6"}
    )
    milestone.refresh_from_db()
    assert str(milestone.planned_date) == "2023-12-15"
    assert milestone.history.filter(action="planned", comment="Kesepakatan CC6").exists()


def test_the_full_story(client_as, bartim, mailoutbox, django_capture_on_commit_callbacks):
    """Officer submits with a PDF → returned with a reason → revised → resubmitted → approved."""
    with django_capture_on_commit_callbacks(execute=True):
        _play_the_full_story(client_as, bartim)
    assert len(mailoutbox) == 4  # submitted, returned, resubmitted, approved


def _play_the_full_story(client_as, bartim):
    milestone = builders.milestone(bartim, 4)
    officer, reviewer = client_as("officer_bartim"), None
    officer.submit(
        reverse("update_create", args=[milestone.pk]),
        {"progress": "70", "narrative": "LLTT di 10 kecamatan.", "files": [builders.pdf()], "submit": ""},
    )
    update = MilestoneUpdate.objects.get()
    reviewer = client_as("pokja_kalteng")
    reviewer.post(reverse("update_return", args=[update.pk]), {"reason": "Lampirkan SK UPTD."})
    officer = client_as("officer_bartim")
    assert "Lampirkan SK UPTD." in officer.get(milestone.get_absolute_url()).content.decode()
    officer.submit(
        reverse("update_edit", args=[update.pk]),
        {"progress": "75", "narrative": "SK UPTD terlampir.", "files": [builders.pdf("SK.pdf")], "submit": ""},
    )
    reviewer = client_as("pokja_kalteng")
    reviewer.post(reverse("update_approve", args=[update.pk]))
    milestone.refresh_from_db()
    assert (milestone.progress, milestone.status) == (75, "in_progress")
    html = reviewer.get(milestone.get_absolute_url()).content.decode()
    assert html.count("Diajukan untuk direviu") == 2 and "Disetujui" in html and "Lampirkan SK UPTD." in html
