"""NAWASIS submissions of a regency: record, verify, the list page and the regency page's section."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from milestones.models import NawasisSubmission
from milestones.selectors import nawasis as selectors
from milestones.services import nawasis as services

JAKARTA = datetime.timezone(datetime.timedelta(hours=7))
Module = NawasisSubmission.Module


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2024, 5, 31, 10, tzinfo=JAKARTA), tick=False):
        yield


def day(d, month=5):
    return datetime.date(2024, month, d)


def submission(regency, user, module=Module.SSK, on=None, completeness="60", verified_by=None, notes=""):
    s = services.record_submission(
        regency=regency,
        actor=user,
        module=module,
        submitted_on=on or day(1),
        completeness=Decimal(completeness),
        notes=notes,
    )
    if verified_by:
        services.verify_submission(submission=s, actor=verified_by)
    return s


def form_data(**overrides):
    return {"module": "ehra", "submitted_on": "2024-05-20", "completeness": "72,5", "notes": "EHRA 2023", **overrides}


# --- Services ------------------------------------------------------------------------------------


def test_recording_keeps_what_was_entered(bartim, officer_bartim):
    s = submission(bartim, officer_bartim, Module.EHRA, day(20), "72.50", notes="  Laporan EHRA 2023  ")
    s.refresh_from_db()
    assert (s.module, s.submitted_on, s.completeness) == ("ehra", day(20), Decimal("72.50"))
    assert s.notes == "Laporan EHRA 2023"
    assert s.recorded_by == officer_bartim and s.verified_at is None


@pytest.mark.parametrize("completeness", ["-0.01", "100.01"])
def test_completeness_must_be_a_percentage(bartim, officer_bartim, completeness):
    with pytest.raises(services.ActionRefused):
        submission(bartim, officer_bartim, completeness=completeness)


def test_the_date_of_entry_cannot_be_in_the_future(bartim, officer_bartim):
    with pytest.raises(services.ActionRefused):
        submission(bartim, officer_bartim, on=day(1, month=6))


def test_verifying_records_who_and_when(bartim, officer_bartim, pokja_kalteng):
    s = submission(bartim, officer_bartim, verified_by=pokja_kalteng)
    s.refresh_from_db()
    assert s.verified_by == pokja_kalteng
    assert s.verified_at == datetime.datetime(2024, 5, 31, 3, tzinfo=datetime.UTC)


def test_a_second_verification_is_refused_and_keeps_the_first(bartim, officer_bartim, pokja_kalteng, national):
    s = submission(bartim, officer_bartim)
    stale_copy = NawasisSubmission.objects.get(pk=s.pk)
    services.verify_submission(submission=s, actor=pokja_kalteng)
    with pytest.raises(services.ActionRefused):
        services.verify_submission(submission=stale_copy, actor=national)
    assert NawasisSubmission.objects.get(pk=s.pk).verified_by == pokja_kalteng


def test_the_latest_per_module_is_the_latest_entry_date(bartim, officer_bartim):
    submission(bartim, officer_bartim, Module.SSK, day(20), "80")
    submission(bartim, officer_bartim, Module.SSK, day(10), "90")  # recorded later, entered earlier
    submission(bartim, officer_bartim, Module.EHRA, day(5), "40")
    submission(bartim, officer_bartim, Module.EHRA, day(5), "45")  # same day: the later record
    latest = {cell.module: cell.submission for cell in selectors.regency_latest(bartim)}
    assert latest[Module.SSK].completeness == Decimal("80")
    assert latest[Module.EHRA].completeness == Decimal("45")
    assert latest[Module.INVESTMENT] is None
    assert list(latest) == list(Module)


# --- Who may do what -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("officer_bartim", 200),
        ("pokja_kalteng", 200),
        ("national", 200),
        ("balai_kalteng", 200),
        ("coordinator_kalteng", 200),
        ("administrator", 200),
        ("officer_mura", 404),
        ("pokja_kalsel", 404),
        ("nobody", 404),
    ],
)
def test_who_sees_a_regencys_submissions(client_as, bartim, officer_bartim, persona, status):
    submission(bartim, officer_bartim)
    assert client_as(persona).get(reverse("nawasis_regency", args=["62.13"])).status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("officer_bartim", 302),
        ("pokja_kalteng", 302),
        ("national", 403),
        ("balai_kalteng", 403),
        ("coordinator_kalteng", 403),
        ("administrator", 403),
        ("officer_mura", 404),
        ("pokja_kalsel", 404),
        ("nobody", 404),
    ],
)
def test_who_may_record(client_as, bartim, persona, status):
    response = client_as(persona).submit(reverse("nawasis_create", args=["62.13"]), form_data())
    assert response.status_code == status
    assert NawasisSubmission.objects.filter(regency=bartim).count() == (1 if status == 302 else 0)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("pokja_kalteng", 302),
        ("officer_bartim", 403),
        ("national", 403),
        ("balai_kalteng", 403),
        ("coordinator_kalteng", 403),
        ("administrator", 403),
        ("officer_mura", 404),
        ("pokja_kalsel", 404),
        ("nobody", 404),
    ],
)
def test_who_may_verify(client_as, bartim, officer_bartim, persona, status):
    s = submission(bartim, officer_bartim)
    response = client_as(persona).post(reverse("nawasis_verify", args=[s.pk]))
    assert response.status_code == status
    s.refresh_from_db()
    assert (s.verified_at is not None) == (status == 302)


def test_verifying_needs_a_post(client_as, bartim, officer_bartim):
    s = submission(bartim, officer_bartim)
    assert client_as("pokja_kalteng").get(reverse("nawasis_verify", args=[s.pk])).status_code == 405


# --- The pages -----------------------------------------------------------------------------------


def test_the_officer_records_a_submission_with_an_indonesian_decimal(client_as, bartim):
    response = client_as("officer_bartim").submit(reverse("nawasis_create", args=["62.13"]), form_data())
    assert response["Location"] == reverse("nawasis_regency", args=["62.13"])
    s = NawasisSubmission.objects.get()
    assert (s.module, s.submitted_on, s.completeness, s.notes) == ("ehra", day(20), Decimal("72.5"), "EHRA 2023")


@pytest.mark.parametrize(
    "bad",
    [{"completeness": "101"}, {"completeness": "-1"}, {"completeness": "abc"}, {"submitted_on": "2024-06-01"}],
)
def test_the_form_refuses_bad_values_and_keeps_the_rest(client_as, bartim, bad):
    response = client_as("officer_bartim").submit(reverse("nawasis_create", args=["62.13"]), form_data(**bad))
    assert response.status_code == 200 and not NawasisSubmission.objects.exists()
    assert "EHRA 2023" in response.content.decode()


def test_the_form_page_opens_with_today(client_as, bartim):
    html = client_as("officer_bartim").get(reverse("nawasis_create", args=["62.13"])).content.decode()
    assert 'value="2024-05-31"' in html


def test_the_list_shows_the_latest_per_module_and_every_submission(client_as, bartim, officer_bartim, pokja_kalteng):
    submission(bartim, officer_bartim, Module.SSK, day(10), "70", verified_by=pokja_kalteng)
    submission(bartim, officer_bartim, Module.SSK, day(20), "85.25")
    html = client_as("pokja_kalteng").get(reverse("nawasis_regency", args=["62.13"])).content.decode()
    latest = html[html.index('data-testid="nawasis-latest"') : html.index('data-module="wastewater"')]
    assert "85,25%" in latest and "70%" not in latest
    assert html.count('data-testid="submission"') == 2
    assert html.count(reverse("nawasis_verify", args=[NawasisSubmission.objects.get(completeness=85.25).pk])) == 1


def test_the_officer_sees_no_verify_button(client_as, bartim, officer_bartim):
    s = submission(bartim, officer_bartim)
    html = client_as("officer_bartim").get(reverse("nawasis_regency", args=["62.13"])).content.decode()
    assert reverse("nawasis_verify", args=[s.pk]) not in html
    assert reverse("nawasis_create", args=["62.13"]) in html


def test_the_regency_page_shows_the_latest_completeness(client_as, bartim, officer_bartim, pokja_kalteng):
    submission(bartim, officer_bartim, Module.FULL_SCALE, day(20), "100", verified_by=pokja_kalteng)
    html = client_as("officer_bartim").get(reverse("regency", args=["62.13"])).content.decode()
    section = html[html.index('id="nawasis"') :]
    assert 'data-module="full_scale"' in section and "100%" in section
    assert 'data-testid="verified"' in section
    assert reverse("nawasis_create", args=["62.13"]) in section
    assert reverse("nawasis_province", args=["62"]) not in section  # an officer does not see the province


def test_the_regency_page_offers_the_province_table_to_provincial_readers(client_as, bartim):
    html = client_as("balai_kalteng").get(reverse("regency", args=["62.13"])).content.decode()
    section = html[html.index('id="nawasis"') :]
    assert reverse("nawasis_province", args=["62"]) in section
    assert reverse("nawasis_create", args=["62.13"]) not in section
