"""The Balai's DAK verification: the officer uploads and submits readiness documents, the Balai covering
the province verifies them or returns them with a reason (another Balai: 404; officer or province: 403),
the Balai's home lists what waits, and the Balai page and report read the same figures."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import make_user
from milestones.models import BudgetLine, DakReadiness, DakReadinessFile, ReviewState, ReviewStep
from milestones.selectors import dak as selectors
from milestones.selectors import reminders
from milestones.services import ActionRefused
from milestones.services import dak as services
from milestones.services.planning import save_activity
from milestones.tests import builders
from regencies import scoping
from regencies.models import Balai, Province, Role
from reports import data as report_data


@pytest.fixture
def dak_line(bartim):
    activity = save_activity(
        regency=bartim,
        actor=None,
        code="AL-03",
        subsector="wastewater",
        name="Pengadaan truk tinja",
        agency="Dinas PUPR",
        year_start=2024,
        year_end=2024,
    )
    return BudgetLine.objects.create(
        activity=activity, year=2024, source="dak", allocated=Decimal(1000), realised=Decimal(400)
    )


@pytest.fixture
def apbd_line(dak_line):
    return BudgetLine.objects.create(activity=dak_line.activity, year=2024, source="apbd_regency", allocated=5)


@pytest.fixture
def other_balai_user(kalsel):
    balai = Balai.objects.create(name="BPPW Kalimantan Selatan", short_name="BPPW Kalsel")
    balai.provinces.add(Province.objects.get(code="63"))
    return make_user("balai_kalsel", Role.BALAI_STAFF, balai=balai)


def upload(client, line, *files):
    return client.post(reverse("dak_line", args=[line.pk]), {"documents": list(files) or [builders.pdf("DED.pdf")]})


def submitted(line, officer) -> DakReadiness:
    readiness = services.upload_readiness(line=line, actor=officer, files=[(builders.pdf(), _pdf_kind())])
    return services.submit_readiness(readiness=readiness, actor=officer)


def _pdf_kind():
    from milestones import evidence

    return evidence.PDF


def test_officer_uploads_and_submits(client_as, dak_line):
    client = client_as("officer_bartim")
    response = upload(client, dak_line)
    assert response.status_code == 302
    readiness = DakReadiness.objects.get(budget_line=dak_line)
    assert readiness.review_state == ReviewState.DRAFT
    assert list(readiness.files.values_list("original_name", flat=True)) == ["DED.pdf"]
    response = client.post(reverse("dak_submit", args=[dak_line.pk]))
    assert response.status_code == 302
    readiness.refresh_from_db()
    assert readiness.is_submitted and readiness.submitted_at is not None
    page = client.get(reverse("dak_line", args=[dak_line.pk]))
    assert page.status_code == 200 and b'data-step="submitted"' in page.content
    file_response = client.get(reverse("dak_file", args=[readiness.files.get().pk]))
    assert file_response.status_code == 200 and "attachment" in file_response["Content-Disposition"]


def test_a_bad_file_is_refused_in_indonesian_and_nothing_is_saved(client_as, dak_line):
    bad = builders.pdf("catatan.pdf", content=b"bukan pdf sama sekali")
    response = upload(client_as("officer_bartim"), dak_line, bad)
    assert response.status_code == 400
    assert "catatan.pdf" in response.content.decode() and "bukan jenis berkas" in response.content.decode()
    assert not DakReadiness.objects.exists() and not DakReadinessFile.objects.exists()


def test_submit_without_files_is_refused(client_as, dak_line):
    response = client_as("officer_bartim").post(reverse("dak_submit", args=[dak_line.pk]), follow=True)
    assert not DakReadiness.objects.exists()
    assert any("Unggah" in str(m) for m in response.context["messages"])


def test_upload_only_for_a_dak_line(apbd_line, officer_bartim):
    with pytest.raises(ActionRefused):
        services.upload_readiness(line=apbd_line, actor=officer_bartim, files=[(builders.pdf(), _pdf_kind())])


def test_the_balai_verifies(client_as, dak_line, officer_bartim, balai_kalteng):
    readiness = submitted(dak_line, officer_bartim)
    response = client_as("balai_kalteng").post(
        reverse("dak_decide", args=[dak_line.pk]), {"decision": "verify", "comment": "Lengkap."}
    )
    assert response.status_code == 302
    readiness.refresh_from_db()
    assert readiness.is_verified and readiness.decided_by == balai_kalteng
    assert [s.action for s in selectors.history(readiness)] == ["submitted", "verified"]


def test_return_needs_a_reason_then_the_officer_corrects_and_resubmits(client_as, dak_line, officer_bartim):
    readiness = submitted(dak_line, officer_bartim)
    balai = client_as("balai_kalteng")
    response = balai.post(reverse("dak_decide", args=[dak_line.pk]), {"decision": "return", "comment": " "})
    assert response.status_code == 400 and response.context["decision_form"].has_error("comment")
    readiness.refresh_from_db()
    assert readiness.is_submitted
    balai.post(reverse("dak_decide", args=[dak_line.pk]), {"decision": "return", "comment": "UKL-UPL belum ada."})
    readiness.refresh_from_db()
    assert readiness.is_returned and readiness.return_reason == "UKL-UPL belum ada."
    step = ReviewStep.objects.get(object_id=readiness.pk, action="returned")
    assert step.comment == "UKL-UPL belum ada."
    with pytest.raises(ActionRefused):
        services.return_readiness(readiness=readiness, reviewer=step.actor, reason="lagi")
    officer = client_as("officer_bartim")
    assert upload(officer, dak_line, builders.pdf("UKL-UPL.pdf", content=builders.PDF_BYTES + b"2")).status_code == 302
    officer.post(reverse("dak_submit", args=[dak_line.pk]))
    readiness.refresh_from_db()
    assert readiness.is_submitted and readiness.files.count() == 2


def test_submitted_documents_take_no_more_files(dak_line, officer_bartim):
    submitted(dak_line, officer_bartim)
    with pytest.raises(ActionRefused):
        services.upload_readiness(line=dak_line, actor=officer_bartim, files=[(builders.pdf(), _pdf_kind())])


@pytest.mark.parametrize(
    ("persona", "status"), [("officer_bartim", 403), ("pokja_kalteng", 403), ("officer_mura", 404)]
)
def test_only_the_balai_decides(client_as, dak_line, officer_bartim, persona, status):
    readiness = submitted(dak_line, officer_bartim)
    response = client_as(persona).post(reverse("dak_decide", args=[dak_line.pk]), {"decision": "verify"})
    assert response.status_code == status
    readiness.refresh_from_db()
    assert readiness.is_submitted


def test_another_balai_gets_404(client, dak_line, officer_bartim, other_balai_user):
    readiness = submitted(dak_line, officer_bartim)
    client.force_login(other_balai_user)
    assert client.post(reverse("dak_decide", args=[dak_line.pk]), {"decision": "verify"}).status_code == 404
    assert client.get(reverse("dak_line", args=[dak_line.pk])).status_code == 404
    assert client.get(reverse("dak_file", args=[readiness.files.get().pk])).status_code == 404
    assert not scoping.can_verify_dak(other_balai_user, dak_line.activity.regency)
    assert list(selectors.waiting_for_balai(other_balai_user)) == []


def test_the_balai_home_shows_what_waits(client_as, dak_line, officer_bartim, balai_kalteng):
    submitted(dak_line, officer_bartim)
    response = client_as("balai_kalteng").get(reverse("home"))
    assert response.status_code == 200
    groups = {g.rule: g for g in response.context["groups"]}
    group = groups[reminders.Rule.DAK_WAITING]
    assert group.count == 1
    assert reverse("dak_line", args=[dak_line.pk]) in response.content.decode()
    assert reverse("dak_overview") in response.content.decode()
    overview = client_as("balai_kalteng").get(reverse("dak_overview"))
    assert overview.status_code == 200 and b'data-testid="dak-waiting-count">1<' in overview.content


def test_the_officer_is_reminded_of_returned_documents(dak_line, officer_bartim, balai_kalteng):
    readiness = submitted(dak_line, officer_bartim)
    services.return_readiness(readiness=readiness, reviewer=balai_kalteng, reason="Kurang DED.")
    groups = {g.rule: g for g in reminders.day_work(officer_bartim, Role.REGENCY_OFFICER, datetime.date.today())}
    group = groups[reminders.Rule.DAK_RETURNED]
    assert group.count == 1 and group.items[0].reason == "Kurang DED."
    assert group.items[0].get_absolute_url() == reverse("dak_line", args=[dak_line.pk])


def test_the_regency_page_shows_the_state(client_as, dak_line, officer_bartim, bartim):
    submitted(dak_line, officer_bartim)
    response = client_as("pokja_kalteng").get(reverse("regency", args=[bartim.code]))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-testid="dak-lines"' in content and "Menunggu" in content


def test_figures_on_the_page_and_in_the_report_are_the_same(client_as, dak_line, officer_bartim, balai_kalteng):
    readiness = submitted(dak_line, officer_bartim)
    services.verify_readiness(readiness=readiness, reviewer=balai_kalteng)
    scope = scoping.scope_for(balai_kalteng)
    figures = selectors.dak_figures(scope)
    (regency_row,) = figures.regencies
    assert (regency_row.allocated, regency_row.realised, regency_row.verified) == (1000, 400, 1000)
    assert figures.provinces[0].verified == 1000 and figures.total.lines == 1
    page = client_as("balai_kalteng").get(reverse("dak_overview"))
    assert page.context["figures"] == figures
    period = (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
    report = report_data.dak(scope, years=(2024, 2024))
    assert not report["empty"]
    assert report["regencies"][0]["verified"] == report["regencies"][0]["allocated"] != "–"
    assert report["total"]["share"] == "100%"
    assert report_data.dak(scope, years=(2020, 2021))["empty"]
    assert period  # the report's years come from its period (balai builder)


def test_the_balai_pdf_report_shows_dak_verified(dak_line, officer_bartim, balai_kalteng, balai):
    from reports import services as report_services
    from reports.tests.conftest import pdf_text

    readiness = submitted(dak_line, officer_bartim)
    services.verify_readiness(readiness=readiness, reviewer=balai_kalteng)
    job = report_services.request_report(
        audience="balai",
        balai=balai,
        period=(datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)),
        enqueue_job=False,
    )
    job = report_services.compile_job(job.pk)
    assert job.status == "done", job.error if hasattr(job, "error") else job.status
    text = " ".join(pdf_text(job).split())
    assert "DAK: alokasi, realisasi, dan verifikasi oleh Balai" in text
    assert "Kabupaten Barito Timur" in text and "Rp 1.000" in text and "100%" in text
