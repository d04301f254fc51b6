"""The update form sent by static/js/drafts.js (header X-Draft-Submit): redirects answer as JSON
(ssk_tracker/lib/kept_forms.py, ScriptSubmitMiddleware), a resend with the same token lands on what the first
one saved, and a form with errors comes back as the page. The browser side: test_browser_drafts.py."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from milestones.models import Evidence, MilestoneUpdate
from milestones.tests import builders
from milestones.tests.form_client import FormClient, hidden_marks
from milestones.tests.milestones.test_update_form import form_data
from ssk_tracker.lib import kept_forms

SCRIPT = {"HTTP_X_DRAFT_SUBMIT": "1"}


@pytest.fixture
def officer(officer_bartim):
    client = FormClient()
    client.force_login(officer_bartim)
    return client


def test_a_saved_form_answers_the_script_with_where_to_go_and_keeps_the_message(officer, bartim):
    milestone = builders.milestone(bartim, 4)
    url = reverse("update_create", args=[milestone.pk])
    response = officer.submit(url, {**form_data(), "submit": ""}, **SCRIPT)
    assert response.status_code == 200
    assert response.json() == {"redirect": milestone.get_absolute_url(), "login": False}
    assert response["Cache-Control"] == "no-store"
    assert MilestoneUpdate.objects.get(milestone=milestone).status == "submitted"
    # The message waits for the page the script opens (a followed redirect would have read it away).
    page = officer.get(milestone.get_absolute_url())
    assert "Laporan kemajuan Anda sudah diajukan" in page.content.decode()


def test_without_the_header_the_form_redirects_as_before(officer, bartim):
    milestone = builders.milestone(bartim, 4)
    response = officer.submit(reverse("update_create", args=[milestone.pk]), {**form_data(), "save": ""})
    assert response.status_code == 302 and response["Location"] == milestone.get_absolute_url()


def test_a_resend_whose_first_answer_was_lost_lands_on_the_saved_update(officer, bartim):
    milestone = builders.milestone(bartim, 4)
    url = reverse("update_create", args=[milestone.pk])
    sent = {**officer.marks(url), **form_data(), "save": ""}
    first = officer.post(url, {**sent, "files": [builders.pdf()]}, **SCRIPT)
    again = officer.post(url, {**sent, "files": [builders.pdf()]}, **SCRIPT)
    assert first.json()["redirect"] == again.json()["redirect"] == milestone.get_absolute_url()
    assert MilestoneUpdate.objects.count() == 1 and Evidence.objects.count() == 1
    assert "sudah tersimpan" in " ".join(str(m) for m in get_messages(again.wsgi_request))


def test_the_edit_form_carries_a_token_and_a_resend_attaches_its_files_once(officer, bartim, officer_bartim):
    milestone = builders.milestone(bartim, 4)
    update = builders.draft(milestone, officer_bartim)
    url = reverse("update_edit", args=[update.pk])
    marks = officer.marks(url)
    assert marks.get("form_token")
    sent = {**marks, **form_data(narrative="Direvisi."), "save": ""}
    first = officer.post(url, {**sent, "files": [builders.pdf("SK.pdf")]}, **SCRIPT)
    again = officer.post(url, {**sent, "files": [builders.pdf("SK.pdf")]}, **SCRIPT)
    assert first.json()["redirect"] == again.json()["redirect"] == milestone.get_absolute_url()
    assert update.evidence.count() == 1
    update.refresh_from_db()
    assert update.narrative == "Direvisi."


def test_the_edit_form_without_a_token_saves_as_before(officer, bartim):
    milestone = builders.milestone(bartim, 4)
    officer.submit(reverse("update_create", args=[milestone.pk]), {**form_data(), "save": ""})
    update = MilestoneUpdate.objects.get()
    response = officer.post(
        reverse("update_edit", args=[update.pk]), {**form_data(narrative="Tanpa token."), "save": ""}
    )
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.narrative == "Tanpa token."


def test_a_submitted_update_sent_again_lands_on_the_milestone(officer, bartim):
    milestone = builders.milestone(bartim, 4)
    officer.submit(reverse("update_create", args=[milestone.pk]), {**form_data(), "save": ""})
    update = MilestoneUpdate.objects.get()
    url = reverse("update_edit", args=[update.pk])
    sent = {**officer.marks(url), **form_data(), "submit": ""}
    assert officer.post(url, sent, **SCRIPT).json()["redirect"] == milestone.get_absolute_url()
    assert officer.post(url, sent, **SCRIPT).json()["redirect"] == milestone.get_absolute_url()
    update.refresh_from_db()
    assert update.status == "submitted"


def test_a_form_with_errors_comes_back_as_the_page_with_the_servers_message(officer, bartim, settings):
    settings.EVIDENCE_MAX_BYTES = 100
    milestone = builders.milestone(bartim, 4)
    big = builders.pdf("besar.pdf", builders.PDF_BYTES + b"0" * 200)
    response = officer.submit(reverse("update_create", args=[milestone.pk]), {**form_data(), "files": [big]}, **SCRIPT)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "besar.pdf" in html and "<main" in html
    assert hidden_marks(html)["form_token"]  # a fresh token: the refused POST used none
    assert not MilestoneUpdate.objects.exists()


def test_an_expired_session_answers_the_script_with_the_login_and_keeps_the_form(client, bartim, officer_bartim):
    milestone = builders.milestone(bartim, 4)
    url = reverse("update_create", args=[milestone.pk])
    response = client.post(url, {**form_data(), "save": ""}, **SCRIPT)  # anonymous: the session has ended
    assert response.json() == {"redirect": f"{reverse('login')}?next={url}", "login": True}
    assert client.session[kept_forms.SESSION_KEY][url]["narrative"] == ["LLTT berjalan di 10 kecamatan."]
    login = client.get(response.json()["redirect"])
    assert "Sesi Anda telah berakhir" in login.content.decode()  # the message was not read away


def test_the_forms_name_their_draft_per_user_and_record(officer, bartim, officer_bartim):
    milestone = builders.milestone(bartim, 4)
    html = officer.get(reverse("update_create", args=[milestone.pk])).content.decode()
    assert f'data-draft="update:{milestone.pk}:new" data-draft-user="{officer_bartim.pk}"' in html
    assert "js/drafts.js" in html and "js/uploads.js" in html
    assert "Pertahankan foto asli" in html and "Buang draf" in html


def test_signing_out_clears_the_drafts_kept_on_the_device(officer):
    response = officer.post(reverse("logout"))
    assert response.status_code == 302 and response["Clear-Site-Data"] == '"storage"'
