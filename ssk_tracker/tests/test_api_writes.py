"""The API's writes (ssk_tracker/api/writes.py): the same forms, services, history and notifications as the
pages; 404 outside the scope, 403 without the role, 400 per field, 409 when the service refuses."""

import datetime

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from milestones.forms.clinics import ActionStatusForm
from milestones.forms.edits import TOKEN_FIELD
from milestones.forms.indicators import ActualForm
from milestones.forms.milestones import UpdateForm
from milestones.models import (
    Evidence,
    FollowUpAction,
    HistoryEntry,
    IndicatorActual,
    Milestone,
    MilestoneUpdate,
    Notice,
    OutboxMessage,
)
from milestones.services import edits
from milestones.tests import builders, clinic_builders, indicator_builders
from regencies import tokens
from reports.forms import ReportRequestForm
from reports.models import ReportJob
from ssk_tracker.api import writes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def client_for(user) -> Client:
    _token, key = tokens.create_token(user=user, name="skrip")
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


@pytest.fixture
def officer(officer_bartim) -> Client:
    return client_for(officer_bartim)


@pytest.fixture
def pokja(pokja_kalteng) -> Client:
    return client_for(pokja_kalteng)


def post_json(client: Client, url: str, body: dict | None = None):
    return client.post(url, body or {}, content_type="application/json")


def updates_url(milestone: Milestone) -> str:
    return reverse("api_milestone_updates", args=[milestone.pk])


# --- Updates ------------------------------------------------------------------------------------------------


def test_an_officer_writes_a_draft_as_json_then_submits_it_with_files(officer, bartim):
    milestone = builders.milestone(bartim, 1)
    requirement = milestone.definition.requirements.first()
    response = post_json(
        officer,
        updates_url(milestone),
        {"progress": 40, "narrative": "Rapat Pokja.", "requirements_met": [requirement.pk], "submit": False},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["progress"], body["requirements_met"]) == ("draft", 40, [requirement.pk])
    assert [entry["action"] for entry in body["history"]] == ["created"]
    update = MilestoneUpdate.objects.get(pk=body["id"])
    # The edit: multipart with two files, submitted at once.
    response = officer.patch(
        reverse("api_update", args=[update.pk]),
        data=_multipart(
            {"progress": "60", "narrative": "SK Pokja terbit.", "submit": "true"},
            files=[builders.pdf("sk.pdf"), builders.pdf("foto.pdf", b"%PDF-1.4 lain")],
        ),
        content_type=_MULTIPART,
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["progress"]) == ("submitted", 60)
    assert sorted(item["name"] for item in body["evidence"]) == ["foto.pdf", "sk.pdf"]
    assert [entry["action"] for entry in body["history"]] == ["created", "edited", "submitted"]
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.SUBMITTED
    assert officer.get(reverse("api_update", args=[update.pk])).json()["status"] == "submitted"


_MULTIPART = "multipart/form-data; boundary=BoUnDaRy"


def _multipart(fields: dict[str, str], files=()) -> bytes:
    """A multipart body (the test client encodes multipart for POST only, not for PATCH)."""
    from django.test.client import BOUNDARY, encode_multipart

    assert BOUNDARY
    return encode_multipart("BoUnDaRy", {**fields, "files": list(files)})


def test_bad_input_is_400_per_field_in_indonesian_and_saves_nothing(officer, bartim):
    milestone = builders.milestone(bartim, 1)
    response = post_json(officer, updates_url(milestone), {"progress": 150, "narrative": ""})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["message"] == "Permintaan tidak valid; lihat kesalahan per kolom."
    assert set(body["errors"]) == {"progress", "narrative"}
    assert "100" in body["errors"]["progress"][0]
    assert not MilestoneUpdate.objects.filter(milestone=milestone).exists()
    assert not HistoryEntry.objects.filter(milestone=milestone).exists()


def test_a_file_that_is_not_what_it_says_is_refused_and_nothing_is_saved(officer, bartim):
    milestone = builders.milestone(bartim, 1)
    response = officer.post(
        updates_url(milestone),
        {"progress": "30", "narrative": "Foto.", "files": [builders.pdf("program.pdf", b"MZ\x90\x00 not a pdf")]},
    )
    assert response.status_code == 400
    assert "files" in response.json()["errors"]
    assert not MilestoneUpdate.objects.filter(milestone=milestone).exists()
    assert not Evidence.objects.exists()


def test_a_second_open_update_and_a_locked_milestone_are_409_refused(officer, officer_bartim, pokja_kalteng, bartim):
    milestone = builders.milestone(bartim, 1)
    draft = builders.draft(milestone, officer_bartim)
    response = post_json(officer, updates_url(milestone), {"progress": 50, "narrative": "Lagi."})
    assert (response.status_code, response.json()["code"]) == (409, "refused")
    assert str(draft.pk) in response.json()["message"]
    verified = builders.milestone(bartim, 2)
    Milestone.objects.filter(pk=verified.pk).update(status=Milestone.Status.VERIFIED, progress=100)
    response = post_json(officer, updates_url(verified), {"progress": 50, "narrative": "Lagi."})
    assert (response.status_code, response.json()["code"]) == (409, "refused")
    assert "terkunci" in response.json()["message"]


def test_the_pokja_approves_and_returns_and_a_decided_update_is_409(pokja, officer_bartim, bartim):
    milestone = builders.milestone(bartim, 1)
    update = builders.submitted(milestone, officer_bartim, progress=70)
    response = post_json(pokja, reverse("api_update_approve", args=[update.pk]), {"comment": "Baik."})
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "approved"
    milestone.refresh_from_db()
    assert (milestone.progress, milestone.status) == (70, Milestone.Status.IN_PROGRESS)
    again = post_json(pokja, reverse("api_update_return", args=[update.pk]), {"reason": "Kurang."})
    assert (again.status_code, again.json()["code"]) == (409, "refused")
    second = builders.submitted(milestone, officer_bartim, progress=80)
    empty = post_json(pokja, reverse("api_update_return", args=[second.pk]), {"reason": " "})
    assert (empty.status_code, set(empty.json()["errors"])) == (400, {"reason"})
    returned = post_json(pokja, reverse("api_update_return", args=[second.pk]), {"reason": "Lampirkan SK."})
    assert returned.json()["status"] == "returned"
    assert returned.json()["history"][-1]["comment"] == "Lampirkan SK."


def test_verifying_at_100_with_evidence_missing_is_409_with_what_is_missing(pokja, officer_bartim, bartim):
    milestone = builders.milestone(bartim, 1)
    update = builders.submitted(milestone, officer_bartim, progress=100)
    response = post_json(pokja, reverse("api_update_approve", args=[update.pk]))
    assert (response.status_code, response.json()["code"]) == (409, "refused")
    update.refresh_from_db()
    assert update.status == MilestoneUpdate.Status.SUBMITTED  # nothing half-done


def test_roles_the_officer_cannot_approve_and_the_pokja_cannot_write_an_update(officer, pokja, officer_bartim, bartim):
    milestone = builders.milestone(bartim, 1)
    update = builders.submitted(milestone, officer_bartim)
    response = post_json(officer, reverse("api_update_approve", args=[update.pk]))
    assert (response.status_code, response.json()["code"]) == (403, "forbidden")
    other = builders.milestone(bartim, 2)
    response = post_json(pokja, updates_url(other), {"progress": 10, "narrative": "x"})
    assert response.status_code == 403


def test_another_regencys_milestone_and_update_are_404_for_writes(officer, officer_mura, mura):
    milestone = builders.milestone(mura, 1)
    update = builders.submitted(milestone, officer_mura)
    assert post_json(officer, updates_url(milestone), {"progress": 10, "narrative": "x"}).status_code == 404
    for name in ("api_update_submit", "api_update_approve", "api_update_return"):
        response = post_json(officer, reverse(name, args=[update.pk]), {"reason": "x"})
        assert (response.status_code, response.json()["code"]) == (404, "not_found"), name
    assert officer.patch(reverse("api_update", args=[update.pk])).status_code == 404


def test_a_balai_token_cannot_write(balai_kalteng, officer_bartim, pokja_kalteng, bartim, kalteng):
    """The Balai reads the regencies of its provinces; it writes none of the officer's or the province's acts."""
    balai = client_for(balai_kalteng)
    milestone = builders.milestone(bartim, 1)
    update = builders.submitted(milestone, officer_bartim)
    indicator_builders.ssk(bartim, officer_bartim)
    indicator_builders.indicator(bartim, officer_bartim)
    clinic = clinic_builders.clinic(kalteng, pokja_kalteng, regencies=[bartim])
    action = clinic_builders.action(clinic, pokja_kalteng, owner=bartim, regency=bartim)
    assert balai.get(reverse("api_milestone", args=[milestone.pk])).status_code == 200  # it reads
    writes_ = [
        (updates_url(builders.milestone(bartim, 2)), {"progress": 10, "narrative": "x"}),
        (reverse("api_update_submit", args=[update.pk]), {}),
        (reverse("api_update_approve", args=[update.pk]), {}),
        (reverse("api_update_return", args=[update.pk]), {"reason": "x"}),
        (reverse("api_indicator_actuals", args=["62.13", "akses_layak"]), {"year": 2023, "value": 1, "source": "x"}),
        (reverse("api_follow_up_close", args=[action.pk]), {"closing_note": "x", "proofs": [f"update:{update.pk}"]}),
    ]
    for url, body in writes_:
        response = post_json(balai, url, body)
        assert (response.status_code, response.json()["code"]) == (403, "forbidden"), url
    update.refresh_from_db()
    assert update.status == MilestoneUpdate.Status.SUBMITTED
    assert not IndicatorActual.objects.exists()
    action.refresh_from_db()
    assert action.status == FollowUpAction.Status.OPEN


def test_a_revoked_token_cannot_write(officer_bartim, bartim):
    token, key = tokens.create_token(user=officer_bartim, name="lama")
    tokens.revoke_token(user=officer_bartim, pk=token.pk)
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    milestone = builders.milestone(bartim, 1)
    response = post_json(client, updates_url(milestone), {"progress": 10, "narrative": "x"})
    assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")
    assert not MilestoneUpdate.objects.exists()


def _trail(milestone: Milestone) -> list[tuple]:
    entries = HistoryEntry.objects.filter(milestone=milestone).order_by("at", "pk")
    return [
        (e.action, e.from_status, e.to_status, e.actor_id, e.comment, e.status_after, e.progress_after) for e in entries
    ]


def _notices(update: MilestoneUpdate) -> list[object]:
    kinds = OutboxMessage.objects.filter(payload__update_id=update.pk).order_by("pk").values_list("kind", flat=True)
    notices = [n for n in Notice.objects.order_by("pk") if n.target_args[:1] == [update.milestone_id]]
    assert notices  # the submission's and the decision's in-app notices
    return [*kinds, *((n.kind, n.recipient_id) for n in notices)]


def test_submit_and_approve_through_the_api_leave_what_the_pages_leave(
    officer, pokja, officer_bartim, pokja_kalteng, bartim, django_capture_on_commit_callbacks
):
    by_page, by_api = builders.milestone(bartim, 1), builders.milestone(bartim, 2)
    web_officer, web_pokja = Client(), Client()
    web_officer.force_login(officer_bartim)
    web_pokja.force_login(pokja_kalteng)
    fields = {"progress": "60", "narrative": "SK Pokja terbit.", "obstacles": "", "next_steps": ""}
    with django_capture_on_commit_callbacks(execute=True):
        once = {TOKEN_FIELD: edits.issue_token(officer_bartim)}  # the create page's one-time token
        web_officer.post(reverse("update_create", args=[by_page.pk]), {**fields, **once, "submit": "1"})
        page_update = MilestoneUpdate.objects.get(milestone=by_page)
        web_pokja.post(reverse("update_approve", args=[page_update.pk]), {"comment": "Baik."})
    page_mail = [(m.to, m.subject.replace(by_page.definition.name, "M")) for m in mail.outbox]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        created = post_json(officer, updates_url(by_api), {**fields, "submit": True})
        assert created.status_code == 201, created.json()
        approved = post_json(pokja, reverse("api_update_approve", args=[created.json()["id"]]), {"comment": "Baik."})
        assert approved.status_code == 200
    api_update = MilestoneUpdate.objects.get(milestone=by_api)
    api_mail = [(m.to, m.subject.replace(by_api.definition.name, "M")) for m in mail.outbox]

    assert _trail(by_page) == _trail(by_api)
    assert [row[0] for row in _trail(by_api)] == ["created", "submitted", "approved"]
    assert _notices(page_update) == _notices(api_update)
    assert {"update_submitted", "update_decided"} <= set(_notices(api_update))
    assert page_mail and len(page_mail) == len(api_mail)
    assert sorted(to for to, _subject in page_mail) == sorted(to for to, _subject in api_mail)


# --- Indicators -----------------------------------------------------------------------------------------


@pytest.fixture
def baseline(bartim, officer_bartim):
    indicator_builders.ssk(bartim, officer_bartim)
    return indicator_builders.indicator(bartim, officer_bartim)


def actuals_url(code="62.13", indicator="akses_layak") -> str:
    return reverse("api_indicator_actuals", args=[code, indicator])


def test_an_actual_is_recorded_and_sent_to_the_province(officer, pokja, baseline):
    response = post_json(
        officer, actuals_url(), {"year": 2023, "value": "64.5", "source": "Susenas 2023", "submit": True}
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["year"], response.json()["review_state"]) == (2023, "submitted")
    assert response.json()["value"] == "64.50"
    by_pokja = post_json(pokja, actuals_url(), {"year": 2024, "value": 66, "source": "EHRA"})
    assert (by_pokja.status_code, by_pokja.json()["review_state"]) == (201, "draft")


def test_bad_actuals_are_400_per_field_and_nothing_is_saved(officer, baseline):
    response = post_json(officer, actuals_url(), {"year": 2040, "value": 150, "source": ""})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"year", "value", "source"}
    assert response.json()["errors"]["value"] == ["Persentase harus antara 0 dan 100."]
    post_json(officer, actuals_url(), {"year": 2023, "value": 60, "source": "EHRA"})
    twice = post_json(officer, actuals_url(), {"year": 2023, "value": 61, "source": "EHRA"})
    assert (twice.status_code, list(twice.json()["errors"])) == (400, ["year"])
    assert IndicatorActual.objects.count() == 1


def test_an_actual_without_a_baseline_is_409_and_an_unknown_indicator_404(officer, bartim, officer_bartim):
    indicator_builders.ssk(bartim, officer_bartim)
    response = post_json(officer, actuals_url(), {"year": 2023, "value": 60, "source": "EHRA"})
    assert (response.status_code, response.json()["code"]) == (409, "refused")
    assert post_json(officer, actuals_url(indicator="tidak_ada"), {}).status_code == 404
    assert post_json(officer, actuals_url(code="62.12"), {}).status_code == 404


# --- Follow-ups ------------------------------------------------------------------------------------------


@pytest.fixture
def action(kalteng, bartim, pokja_kalteng):
    clinic = clinic_builders.clinic(kalteng, pokja_kalteng, regencies=[bartim])
    return clinic_builders.action(clinic, pokja_kalteng, owner=bartim, regency=bartim)


def close_url(action) -> str:
    return reverse("api_follow_up_close", args=[action.pk])


def test_an_owner_closes_a_follow_up_with_a_tracker_record_as_proof(officer, action, officer_bartim, bartim):
    proof = builders.submitted(builders.milestone(bartim, 1), officer_bartim)
    response = post_json(
        officer, close_url(action), {"closing_note": "Masuk RKPD 2024.", "proofs": [f"update:{proof.pk}"]}
    )
    assert response.status_code == 200, response.json()
    assert response.json() == {"id": action.pk, "status": "closing", "closing_note": "Masuk RKPD 2024."}
    again = post_json(officer, close_url(action), {"closing_note": "Lagi.", "proofs": [f"update:{proof.pk}"]})
    assert (again.status_code, again.json()["code"]) == (409, "refused")


def test_a_closing_with_a_file_as_proof(officer, action):
    response = officer.post(close_url(action), {"closing_note": "Berita acara.", "files": [builders.pdf("ba.pdf")]})
    assert response.status_code == 200, response.json()
    assert action.evidence_files.get().original_name == "ba.pdf"


def test_closings_without_proof_or_with_a_bad_one_are_refused_and_nothing_changes(officer, action, officer_mura, mura):
    none = post_json(officer, close_url(action), {"closing_note": "Sudah."})
    assert (none.status_code, list(none.json()["errors"])) == (400, ["proofs"])
    malformed = post_json(officer, close_url(action), {"closing_note": "Sudah.", "proofs": ["rkpd"]})
    assert (malformed.status_code, list(malformed.json()["errors"])) == (400, ["proofs"])
    elsewhere = builders.submitted(builders.milestone(mura, 1), officer_mura)
    foreign = post_json(officer, close_url(action), {"closing_note": "Sudah.", "proofs": [f"update:{elsewhere.pk}"]})
    assert (foreign.status_code, foreign.json()["code"]) == (409, "refused")
    action.refresh_from_db()
    assert (action.status, action.closing_note) == (FollowUpAction.Status.OPEN, "")


# --- Reports ---------------------------------------------------------------------------------------------


def test_a_report_is_requested_and_queued(officer):
    response = post_json(
        officer,
        reverse("api_reports"),
        {"audience": "regency", "regency": "62.13", "period_start": "2026-01-01", "period_end": "2026-06-30"},
    )
    assert response.status_code == 202, response.json()
    job = ReportJob.objects.get(pk=response.json()["id"])
    assert (job.audience, job.regency_id, job.period_end, job.language) == (
        "regency",
        "62.13",
        datetime.date(2026, 6, 30),
        "id",
    )


def test_a_report_outside_the_officers_reach_is_400_and_without_a_scope_403(officer, nobody):
    national = post_json(officer, reverse("api_reports"), {"audience": "national", "period_start": "2026-01-01"})
    assert (national.status_code, national.json()["code"]) == (400, "invalid")
    assert {"audience", "period_end"} <= set(national.json()["errors"])
    other = post_json(
        officer,
        reverse("api_reports"),
        {"audience": "regency", "regency": "62.12", "period_start": "2026-01-01", "period_end": "2026-06-30"},
    )
    assert (other.status_code, list(other.json()["errors"])) == (400, ["regency"])
    response = post_json(client_for(nobody), reverse("api_reports"), {"audience": "regency"})
    assert (response.status_code, response.json()["code"]) == (403, "forbidden")
    assert not ReportJob.objects.exists()


# --- The documented bodies are the forms' fields --------------------------------------------------------


@pytest.mark.parametrize(
    ("documented", "fields", "api_only"),
    [
        (writes.UpdateInput, set(UpdateForm.base_fields), {"submit"}),
        (writes.ActualInput, {"year", "source", "value"}, {"submit"}),  # ActualForm adds value in __init__
        (writes.ClosingInput, set(ActionStatusForm.base_fields) - {"status", "drop_reason"}, set()),
        (writes.ReportInput, set(ReportRequestForm.base_fields), set()),
    ],
)
def test_the_schemas_request_bodies_are_the_forms_fields(documented, fields, api_only):
    assert set(documented().fields) == fields | api_only


def test_the_actual_forms_fields(baseline):
    form = ActualForm(period=(2022, 2026), indicator=baseline)
    assert set(form.fields) == set(writes.ActualInput().fields) - {"submit"}
