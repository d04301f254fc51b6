"""The remaining reads of the REST API: a regency's cohorts, its milestones as of a day, its SSK documents,
coaching clinics with their recommendations and follow-up actions, the follow-ups, and report jobs."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from milestones.tests import builders
from regencies import tokens

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
    with django_assert_max_num_queries(6):
        response = token_client(officer_key).get(
            reverse("api_regency_milestones", args=["62.13"]), {"as_of": "2024-01-01"}
        )
    assert response.json()["count"] == 4 * len(years)
