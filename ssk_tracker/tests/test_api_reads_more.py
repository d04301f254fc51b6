"""The remaining reads of the REST API: a regency's cohorts, its milestones as of a day, its SSK documents,
coaching clinics with their recommendations and follow-up actions, the follow-ups, and report jobs."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from rest_framework.pagination import PageNumberPagination

from milestones import evidence
from milestones.services.clinics import ParticipantInput
from milestones.tests import builders, clinic_builders, document_builders
from regencies import tokens
from regencies.models import Regency
from reports.models import ReportJob
from reports.tests.builders import done_report

pytestmark = pytest.mark.django_db

INVALID_ID = "Permintaan tidak valid; lihat kesalahan per kolom."


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()  # the throttle's counters
    yield
    cache.clear()


def token_client(key: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def key_of(user) -> str:
    _token, key = tokens.create_token(user=user, name="skrip")
    return key


@pytest.fixture
def officer_key(officer_bartim) -> str:
    return key_of(officer_bartim)


@pytest.fixture
def mura_key(officer_mura) -> str:
    return key_of(officer_mura)


@pytest.fixture
def pokja_key(pokja_kalteng) -> str:
    return key_of(pokja_kalteng)


def assert_invalid(response, field: str, message: str) -> None:
    assert response.status_code == 400, response.content
    body = response.json()
    assert (body["code"], body["message"]) == ("invalid", INVALID_ID)
    assert body["errors"][field] == [message]


def assert_not_found(response) -> None:
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


# --- Cohorts -----------------------------------------------------------------------------------------


def test_a_regencys_cohorts_newest_first(officer_key, bartim):
    builders.cohort(bartim, 2022, decree_number="050/12/2022", decree_date=datetime.date(2022, 2, 1))
    builders.cohort(bartim, 2024)
    response = token_client(officer_key).get(reverse("api_regency_cohorts", args=["62.13"]))
    assert response.status_code == 200
    newest, oldest = response.json()["results"]
    assert (newest["year_m1_m3"], newest["year_m4"], newest["decree_number"], newest["decree_date"]) == (
        2024,
        2025,
        "",
        None,
    )
    assert (oldest["regency"], oldest["decree_number"], oldest["decree_date"]) == ("62.13", "050/12/2022", "2022-02-01")


def test_another_regencys_cohorts_are_404(mura_key, bartim):
    builders.cohort(bartim, 2022)
    assert_not_found(token_client(mura_key).get(reverse("api_regency_cohorts", args=["62.13"])))


@pytest.mark.parametrize("years", [(2022,), (2018, 2019, 2020, 2021, 2022)])
def test_the_cohorts_cost_the_same_queries_for_few_or_many(years, officer_key, bartim, django_assert_max_num_queries):
    for year in years:
        builders.cohort(bartim, year)
    with django_assert_max_num_queries(6):
        response = token_client(officer_key).get(reverse("api_regency_cohorts", args=["62.13"]))
    assert response.json()["count"] == len(years)


# --- Milestones as of a day --------------------------------------------------------------------------


def test_the_milestones_as_of_a_day_come_from_their_history(officer_key, officer_bartim, pokja_kalteng, bartim):
    milestone = builders.milestone(bartim, 1, year=2023)
    with time_machine.travel("2023-03-10 10:00 +07:00", tick=False):
        builders.approved(milestone, officer_bartim, pokja_kalteng, progress=40)
    with time_machine.travel("2023-06-20 10:00 +07:00", tick=False):
        builders.submitted(milestone, officer_bartim, 80)
    client = token_client(officer_key)
    url = reverse("api_regency_milestones", args=["62.13"])

    def m1(**query):
        rows = client.get(url, query).json()["results"]
        return next(row for row in rows if row["id"] == milestone.pk)

    before = m1(as_of="2023-01-31")
    assert (before["status"], before["progress"]) == ("not_started", 0)
    march = m1(as_of="2023-03-10")  # the end of that day: the approval counts
    assert (march["status"], march["progress"]) == ("in_progress", 40)
    now = m1()
    assert (now["status"], now["progress"]) == ("submitted", 40)  # progress moves on an approval only
    june = m1(as_of="2023-06-20")
    assert (june["status"], june["progress"], june["planned_date"], june["actual_date"]) == (
        now["status"],
        now["progress"],
        now["planned_date"],
        now["actual_date"],
    )
    assert {"late", "planned_date", "actual_date"} <= set(now)
    in_march = client.get(url, {"as_of": "2023-03-31", "status": "in_progress"}).json()["results"]
    assert [row["id"] for row in in_march] == [milestone.pk]
    assert client.get(url, {"status": "in_progress"}).json()["count"] == 0  # now it is submitted


@pytest.mark.parametrize("value", ["31-12-2023", "2023-02-30", "kemarin"])
def test_a_bad_as_of_is_400_invalid_in_indonesian(value, officer_key, bartim):
    builders.milestone(bartim, 1)
    response = token_client(officer_key).get(reverse("api_regency_milestones", args=["62.13"]), {"as_of": value})
    assert_invalid(response, "as_of", "Bukan tanggal: tulis sebagai YYYY-MM-DD.")


def test_a_bad_milestone_status_is_400_and_english_on_request(officer_key, bartim):
    client = token_client(officer_key)
    url = reverse("api_regency_milestones", args=["62.13"])
    assert_invalid(client.get(url, {"status": "selesai"}), "status", "“selesai” bukan status milestone.")
    client.cookies["django_language"] = "en"
    body = client.get(url, {"as_of": "x"}).json()
    assert body["message"] == "The request is not valid; see the errors per field."
    assert body["errors"]["as_of"] == ["Not a date: write it as YYYY-MM-DD."]


@pytest.mark.parametrize("years", [(2022,), (2019, 2020, 2021, 2022)])
def test_the_milestones_as_of_a_day_cost_the_same_queries(
    years, officer_key, officer_bartim, pokja_kalteng, bartim, django_assert_max_num_queries
):
    for year in years:
        builders.approved(builders.milestone(bartim, 1, year=year), officer_bartim, pokja_kalteng, progress=50)
    with django_assert_max_num_queries(7):  # with the definitions' required evidence
        response = token_client(officer_key).get(
            reverse("api_regency_milestones", args=["62.13"]), {"as_of": "2024-01-01"}
        )
    assert response.json()["count"] == 4 * len(years)


# --- SSK documents -----------------------------------------------------------------------------------


def test_a_regencys_documents_with_review_and_file_metadata(officer_key, officer_bartim, pokja_kalteng, bartim):
    final = document_builders.final(bartim, officer_bartim, pokja_kalteng, period_start=2022, period_end=2026)
    document_builders.draft(bartim, officer_bartim, period_start=2027, period_end=2031, file=False)
    response = token_client(officer_key).get(reverse("api_regency_documents", args=["62.13"]))
    assert response.status_code == 200
    newest, older = response.json()["results"]
    assert (newest["period_start"], newest["status"], newest["file"], newest["latest_review_outcome"]) == (
        2027,
        "draft",
        None,
        None,
    )
    assert (older["id"], older["status"], older["kind"], older["regency"]) == (final.pk, "final", "new", "62.13")
    assert older["latest_review_outcome"] == "accepted" and older["latest_reviewed_at"]
    file = older["file"]
    assert (file["name"], file["size"], file["content_type"]) == (
        "SSK 2022-2026.pdf",
        len(builders.PDF_BYTES),
        "application/pdf",
    )
    assert len(file["sha256"]) == 64
    assert file["download_url"] == f"http://testserver{reverse('document_download', args=[final.pk])}"


def test_the_documents_download_url_is_scope_checked(officer_key, officer_bartim, officer_mura, bartim):
    document_builders.draft(bartim, officer_bartim)
    body = token_client(officer_key).get(reverse("api_regency_documents", args=["62.13"])).json()
    url = body["results"][0]["file"]["download_url"].removeprefix("http://testserver")
    own, other = Client(), Client()
    own.force_login(officer_bartim)
    other.force_login(officer_mura)
    assert own.get(url).status_code == 200
    assert other.get(url).status_code == 404


def test_another_regencys_documents_are_404(mura_key, officer_bartim, bartim):
    document_builders.draft(bartim, officer_bartim)
    assert_not_found(token_client(mura_key).get(reverse("api_regency_documents", args=["62.13"])))


@pytest.mark.parametrize("count", [1, 5])
def test_the_documents_cost_the_same_queries_for_few_or_many(
    count, officer_key, officer_bartim, pokja_kalteng, bartim, django_assert_max_num_queries
):
    for n in range(count):
        document_builders.final(
            bartim, officer_bartim, pokja_kalteng, period_start=2000 + 5 * n, period_end=2004 + 5 * n
        )
    with django_assert_max_num_queries(6):
        response = token_client(officer_key).get(reverse("api_regency_documents", args=["62.13"]))
    assert response.json()["count"] == count


# --- Coaching clinics --------------------------------------------------------------------------------


def test_a_clinic_with_participants_recommendations_actions_and_minutes(
    officer_key, officer_bartim, pokja_kalteng, kalteng, bartim, mura
):
    minutes = builders.pdf("berita acara CC6.pdf")
    clinic = clinic_builders.clinic(
        kalteng,
        pokja_kalteng,
        regencies=[bartim, mura],
        participants=[ParticipantInput("Sekda"), ParticipantInput("Kepala Bappeda", online=True)],
        minutes=minutes,
        minutes_kind=evidence.identify(minutes),
    )
    own = clinic_builders.action(
        clinic, pokja_kalteng, owner=bartim, regency=bartim, due_date=datetime.date(2023, 9, 1)
    )
    clinic_builders.action(clinic, pokja_kalteng, owner=mura, regency=mura)  # Murung Raya's: hidden from Bartim
    closed = clinic_builders.closed(
        clinic_builders.action(clinic, pokja_kalteng, owner=bartim, description="Susun Perbup."),
        officer_bartim,
        accept=False,
    )
    response = token_client(officer_key).get(reverse("api_clinic", args=[clinic.pk]))
    assert response.status_code == 200
    body = response.json()
    assert (body["number"], body["province"], body["regencies"], body["participant_count"]) == (
        6,
        "62",
        ["62.12", "62.13"],
        2,
    )
    assert body["minutes"]["name"] == "berita acara CC6.pdf"
    assert body["minutes"]["download_url"] == f"http://testserver{reverse('clinic_minutes', args=[clinic.pk])}"
    actions = [action for recommendation in body["recommendations"] for action in recommendation["actions"]]
    assert [action["id"] for action in actions] == [own.pk, closed.pk]
    first, second = actions
    assert (first["owner_kind"], first["owner"], first["due_date"], first["status"], first["closing_state"]) == (
        "regency",
        str(bartim),
        "2023-09-01",
        "open",
        None,
    )
    assert first["overdue"] is True  # open, its due date long past
    assert (second["status"], second["closing_state"], second["overdue"]) == ("closing", "submitted", False)
    assert (second["closing_note"], second["closed_at"]) == ("Program masuk RKPD 2024.", None)  # not accepted yet
    assert all(recommendation["text"] for recommendation in body["recommendations"])


def test_another_regencys_clinic_is_404(mura_key, pokja_kalteng, kalteng, bartim):
    clinic = clinic_builders.clinic(kalteng, pokja_kalteng, regencies=[bartim])
    assert_not_found(token_client(mura_key).get(reverse("api_clinic", args=[clinic.pk])))
    assert_not_found(token_client(mura_key).get(reverse("api_clinic", args=[999999])))


def test_the_clinic_list_is_scoped_and_filtered(officer_key, pokja_key, pokja_kalteng, kalteng, bartim, mura):
    cc5 = clinic_builders.clinic(kalteng, pokja_kalteng, regencies=[bartim], number=5, date=datetime.date(2022, 11, 3))
    cc6 = clinic_builders.clinic(kalteng, pokja_kalteng, regencies=[bartim, mura])
    mura_only = clinic_builders.clinic(kalteng, pokja_kalteng, regencies=[mura], date=datetime.date(2024, 2, 1))
    url = reverse("api_clinics")

    def ids(key, **query):
        response = token_client(key).get(url, query)
        assert response.status_code == 200
        return [row["id"] for row in response.json()["results"]]

    assert ids(officer_key) == [cc6.pk, cc5.pk]  # newest first, none that did not cover Barito Timur
    assert ids(pokja_key) == [mura_only.pk, cc6.pk, cc5.pk]
    assert ids(pokja_key, regency="62.12") == [mura_only.pk, cc6.pk]
    assert ids(pokja_key, year="", province="") == [mura_only.pk, cc6.pk, cc5.pk]  # empty: no filter
    assert ids(pokja_key, province="62", year=2023) == [cc6.pk]
    assert ids(pokja_key, province="63") == []
    assert ids(pokja_key, **{"from": "2023-01-01", "to": "2023-12-31"}) == [cc6.pk]
    assert ids(pokja_key, **{"from": "2023-06-24"}) == [mura_only.pk]
    assert ids(pokja_key, to="2023-06-23") == [cc6.pk, cc5.pk]
    row = token_client(officer_key).get(url).json()["results"][0]
    assert (row["regencies"], row["mode"], row["milestone"], row["minutes"]) == (
        ["62.12", "62.13"],
        "in_person",
        4,
        None,
    )


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"year": "duaribu"}, "year", "Bukan tahun: tulis dengan empat angka (misalnya 2024)."),
        ({"year": "99"}, "year", "Bukan tahun: tulis dengan empat angka (misalnya 2024)."),
        ({"from": "1/1/2023"}, "from", "Bukan tanggal: tulis sebagai YYYY-MM-DD."),
        ({"from": "2023-12-31", "to": "2023-01-01"}, "to", "Akhir periode lebih awal daripada awalnya."),
    ],
)
def test_bad_clinic_filters_are_400_invalid_in_indonesian(query, field, message, pokja_key):
    assert_invalid(token_client(pokja_key).get(reverse("api_clinics"), query), field, message)


@pytest.mark.parametrize("count", [1, 6])
def test_the_clinics_cost_the_same_queries_for_few_or_many(
    count, pokja_key, pokja_kalteng, kalteng, bartim, mura, django_assert_max_num_queries
):
    for n in range(count):
        minutes = builders.pdf(f"ba{n}.pdf", builders.PDF_BYTES + str(n).encode())
        clinic_builders.clinic(
            kalteng,
            pokja_kalteng,
            regencies=[bartim, mura],
            date=datetime.date(2023, 1, 1 + n),
            minutes=minutes,
            minutes_kind=evidence.identify(minutes),
        )
    with django_assert_max_num_queries(6):
        response = token_client(pokja_key).get(reverse("api_clinics"))
    assert response.json()["count"] == count


@pytest.mark.parametrize("count", [1, 6])
def test_a_clinic_costs_the_same_queries_for_few_or_many_actions(
    count, pokja_key, pokja_kalteng, kalteng, bartim, django_assert_max_num_queries
):
    clinic = clinic_builders.clinic(
        kalteng, pokja_kalteng, regencies=[bartim], participants=[ParticipantInput("Sekda")]
    )
    for n in range(count):
        clinic_builders.action(clinic, pokja_kalteng, owner=clinic_builders.regency_pokja(bartim), regency=bartim)
        clinic_builders.action(clinic, pokja_kalteng, owner=bartim, description=f"Tindak lanjut {n}")
    with django_assert_max_num_queries(9):
        response = token_client(pokja_key).get(reverse("api_clinic", args=[clinic.pk]))
    assert len(response.json()["recommendations"]) == 2 * count


# --- Follow-up actions -------------------------------------------------------------------------------


@pytest.fixture
def follow_ups(officer_bartim, pokja_kalteng, kalteng, bartim, mura):
    clinic = clinic_builders.clinic(kalteng, pokja_kalteng, regencies=[bartim, mura])
    late = clinic_builders.action(
        clinic, pokja_kalteng, owner=bartim, regency=bartim, due_date=datetime.date(2023, 9, 1)
    )
    later = clinic_builders.action(
        clinic, pokja_kalteng, owner=bartim, regency=bartim, due_date=datetime.date(2099, 1, 1)
    )
    done = clinic_builders.closed(
        clinic_builders.action(clinic, pokja_kalteng, owner=bartim, due_date=datetime.date(2023, 10, 1)),
        officer_bartim,
    )
    mura_action = clinic_builders.action(clinic, pokja_kalteng, owner=mura, regency=mura)
    return {"late": late, "later": later, "done": done, "mura": mura_action}


def test_the_follow_ups_are_scoped_and_filtered(officer_key, pokja_key, follow_ups):
    url = reverse("api_follow_ups")

    def ids(key, **query):
        response = token_client(key).get(url, query)
        assert response.status_code == 200
        return [row["id"] for row in response.json()["results"]]

    late, later, done, mura_action = (follow_ups[name].pk for name in ("late", "later", "done", "mura"))
    assert ids(officer_key) == [late, done, later]  # soonest due first; never Murung Raya's
    assert ids(pokja_key) == [late, done, mura_action, later]
    assert ids(pokja_key, status="done") == [done]
    assert ids(pokja_key, regency="62.12") == [mura_action]
    assert ids(pokja_key, overdue="true") == [late, mura_action]
    assert ids(officer_key, overdue="false") == [done, later]
    assert ids(officer_key, regency="62.13", status="open", overdue="true") == [late]
    row = token_client(officer_key).get(url, {"status": "done"}).json()["results"][0]
    assert (row["status"], row["closing_state"], row["overdue"], row["regency"]) == ("done", "verified", False, "62.13")
    assert row["closed_at"] and row["owner"] == str(follow_ups["done"].assigned_regency)
    assert row["clinic"] == follow_ups["done"].recommendation.clinic_id


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"status": "selesai"}, "status", "“selesai” bukan status tindak lanjut."),
        ({"overdue": "mungkin"}, "overdue", "Tulis true atau false."),
    ],
)
def test_bad_follow_up_filters_are_400_invalid_in_indonesian(query, field, message, officer_key):
    client = token_client(officer_key)
    assert_invalid(client.get(reverse("api_follow_ups"), query), field, message)
    assert_invalid(client.get(reverse("api_follow_ups"), query, HTTP_ACCEPT_LANGUAGE="id"), field, message)
    english = client.get(reverse("api_follow_ups"), query, HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["message"] == "The request is not valid; see the errors per field."
    assert english["errors"][field] != [message]


@pytest.mark.parametrize("count", [1, 6])
def test_the_follow_ups_cost_the_same_queries_for_few_or_many(
    count, officer_key, officer_bartim, pokja_kalteng, kalteng, bartim, django_assert_max_num_queries
):
    clinic = clinic_builders.clinic(kalteng, pokja_kalteng, regencies=[bartim])
    for n in range(count):
        action = clinic_builders.action(clinic, pokja_kalteng, owner=bartim, description=f"Langkah {n}")
        clinic_builders.closed(action, officer_bartim, accept=n % 2 == 0)
        clinic_builders.action(clinic, pokja_kalteng, owner=clinic_builders.regency_pokja(bartim), regency=bartim)
    with django_assert_max_num_queries(6):
        response = token_client(officer_key).get(reverse("api_follow_ups"))
    assert response.json()["count"] == 2 * count


def test_the_follow_ups_are_paginated(pokja_key, follow_ups, monkeypatch):
    monkeypatch.setattr(PageNumberPagination, "page_size", 3)
    first = token_client(pokja_key).get(reverse("api_follow_ups")).json()
    assert (first["count"], len(first["results"]), bool(first["next"])) == (4, 3, True)


# --- Report jobs -------------------------------------------------------------------------------------


def test_the_reports_a_user_may_see(officer_key, pokja_key, bartim, mura, kalteng):
    own = done_report(audience="regency", regency=bartim)
    ReportJob.objects.filter(pk=own.pk).update(sha256="ab" * 32)
    other = done_report(audience="regency", regency=mura)
    provincial = done_report(audience="provincial", province=kalteng)
    queued = ReportJob.objects.queue(
        audience="regency",
        regency=bartim,
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 6, 30),
    )
    response = token_client(officer_key).get(reverse("api_reports"))
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [
        queued.pk,
        own.pk,
    ]  # newest request first; not Murung Raya's, nor the province's
    waiting, done = rows
    assert (waiting["status"], waiting["download_url"], waiting["sha256"], waiting["size"]) == (
        "queued",
        None,
        None,
        None,
    )
    assert (done["audience"], done["regency"], done["province"], done["scope_name"]) == (
        "regency",
        "62.13",
        None,
        bartim.name,
    )
    assert (done["period_start"], done["period_end"], done["status"], done["size"]) == (
        "2023-01-01",
        "2023-12-31",
        "done",
        21,
    )
    assert done["sha256"] == "ab" * 32 and done["requested_at"]
    assert done["download_url"] == f"http://testserver{reverse('report_download', args=[own.pk])}"
    pokja_ids = {row["id"] for row in token_client(pokja_key).get(reverse("api_reports")).json()["results"]}
    assert {own.pk, other.pk, provincial.pk, queued.pk} <= pokja_ids


def test_one_report_and_another_regencys_is_404(officer_key, mura_key, bartim):
    job = done_report(audience="regency", regency=bartim)
    response = token_client(officer_key).get(reverse("api_report", args=[job.pk]))
    assert (response.status_code, response.json()["id"], response.json()["status"]) == (200, job.pk, "done")
    assert_not_found(token_client(mura_key).get(reverse("api_report", args=[job.pk])))
    assert_not_found(token_client(officer_key).get(reverse("api_report", args=[999999])))


def test_the_reports_download_url_is_scope_checked(officer_key, officer_bartim, officer_mura, bartim):
    job = done_report(audience="regency", regency=bartim)
    url = token_client(officer_key).get(reverse("api_report", args=[job.pk])).json()["download_url"]
    own, other = Client(), Client()
    own.force_login(officer_bartim)
    other.force_login(officer_mura)
    assert own.get(url.removeprefix("http://testserver")).status_code == 200
    assert other.get(url.removeprefix("http://testserver")).status_code == 404


def test_without_a_working_area_the_reports_are_403(nobody):
    response = token_client(key_of(nobody)).get(reverse("api_reports"))
    assert (response.status_code, response.json()["code"]) == (403, "forbidden")


@pytest.mark.parametrize("count", [1, 6])
def test_the_reports_cost_the_same_queries_for_few_or_many(count, pokja_key, bartim, django_assert_max_num_queries):
    for regency in Regency.objects.filter(province="62").order_by("code")[:count]:
        done_report(audience="regency", regency=regency)
    with django_assert_max_num_queries(5):
        response = token_client(pokja_key).get(reverse("api_reports"))
    assert response.json()["count"] == count


# --- The schema --------------------------------------------------------------------------------------


def test_the_schema_describes_the_new_reads_in_indonesian(client, officer_bartim):
    client.force_login(officer_bartim)
    schema = client.get(reverse("api_schema"), {"format": "json"}).json()
    assert {
        "/api/v1/regencies/{code}/cohorts/",
        "/api/v1/regencies/{code}/documents/",
        "/api/v1/clinics/",
        "/api/v1/clinics/{pk}/",
        "/api/v1/follow-ups/",
        "/api/v1/reports/",
        "/api/v1/reports/{pk}/",
    } <= set(schema["paths"])
    components = schema["components"]["schemas"]
    assert components["ReportJob"]["properties"]["sha256"]["description"] == (
        "SHA-256 berkas PDF, dalam heksadesimal, untuk memeriksa salinannya (null: belum selesai)."
    )
    assert components["FollowUpAction"]["properties"]["overdue"]["description"] == (
        "Terbuka atau sedang berjalan melewati tenggatnya."
    )
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/clinics/"]["get"]["parameters"]}
    assert {"province", "regency", "year", "from", "to"} <= set(parameters)
    as_of = next(
        p for p in schema["paths"]["/api/v1/regencies/{code}/milestones/"]["get"]["parameters"] if p["name"] == "as_of"
    )
    assert as_of["schema"] == {"type": "string", "format": "date"}
