"""Yearly monitoring after M4: the provincial Pokja records, everyone in scope reads."""

from collections.abc import Iterator

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse

from milestones.models import MonitoringRecord
from milestones.services import documents as services
from milestones.tests.builders import cohort
from milestones.tests.shared_rows import rolled_back
from regencies.models import Regency

OUTSIDERS = [("officer_mura", 404), ("pokja_kalsel", 404), ("nobody", 404)]
READ_ONLY = ["national", "administrator", "balai_kalteng", "coordinator_kalteng", "officer_bartim"]
ACCESS = [("pokja_kalteng", 200)] + [(p, 403) for p in READ_ONLY] + OUTSIDERS


MID_2025 = "2025-07-01 09:00 +0700"


@pytest.fixture(autouse=True)
def in_mid_2025():
    with time_machine.travel(MID_2025, tick=False):
        yield


def barito_timur_in_mid_2025(django_db_blocker, with_record: bool) -> Iterator[int | None]:
    """Barito Timur's cohort (and, with_record, a record of its third year) for a class of tests."""
    with rolled_back(django_db_blocker):
        with django_db_blocker.unblock(), time_machine.travel(MID_2025, tick=False):
            bartim = Regency.objects.get(code="62.13")
            if with_record:
                pokja_kalteng = get_user_model().objects.get(username="pokja_kalteng")
                record = services.record_monitoring(
                    cohort=cohort(bartim), actor=pokja_kalteng, year_index=3, assessment="on_track"
                )
            else:
                cohort(bartim, 2022)
        yield record.pk if with_record else None


@pytest.fixture(scope="class")
def cohort_once(module_db, django_db_blocker) -> Iterator[int | None]:
    yield from barito_timur_in_mid_2025(django_db_blocker, with_record=False)


@pytest.fixture(scope="class")
def record_pk(module_db, django_db_blocker) -> Iterator[int | None]:
    yield from barito_timur_in_mid_2025(django_db_blocker, with_record=True)


def record_data(cohort, year_index=3, assessment="speed_up", summary="Cakupan LLTT baru 40% dari target."):
    return {"cohort": cohort.pk, "year_index": year_index, "assessment": assessment, "summary": summary}


@pytest.mark.usefixtures("cohort_once")
class TestTheCreateForm:
    """Who may open the form for a new record of Barito Timur's 2022 cohort (built once for the class)."""

    @pytest.mark.parametrize(("persona", "status"), ACCESS)
    def test_create_form_access(self, client_as, bartim, persona, status):
        assert client_as(persona).get(reverse("monitoring_create", args=["62.13"])).status_code == status


class TestTheEditForm:
    """Who may open the form of a record (built once for the class)."""

    @pytest.mark.parametrize(("persona", "status"), ACCESS)
    def test_edit_form_access(self, client_as, bartim, record_pk, persona, status):
        assert client_as(persona).get(reverse("monitoring_edit", args=[record_pk])).status_code == status


def test_province_records_year_three_of_a_2022_cohort(client_as, bartim, pokja_kalteng):
    c = cohort(bartim, 2022)
    response = client_as("pokja_kalteng").submit(reverse("monitoring_create", args=["62.13"]), record_data(c))
    assert response.status_code == 302 and response.url == reverse("regency", args=["62.13"])
    record = MonitoringRecord.objects.get()
    assert (record.year_index, record.year, record.assessment) == (3, 2024, "speed_up")
    assert record.recorded_by == pokja_kalteng


def test_a_year_already_recorded_is_rejected(client_as, bartim, pokja_kalteng):
    c = cohort(bartim, 2022)
    services.record_monitoring(cohort=c, actor=pokja_kalteng, year_index=3, assessment="on_track")
    response = client_as("pokja_kalteng").submit(reverse("monitoring_create", args=["62.13"]), record_data(c))
    assert response.context["form"].has_error("year_index")
    assert MonitoringRecord.objects.get().assessment == "on_track"


def test_a_year_that_has_not_begun_is_rejected(client_as, bartim):
    c = cohort(bartim, 2022)
    response = client_as("pokja_kalteng").submit(reverse("monitoring_create", args=["62.13"]), record_data(c, 5))
    assert response.context["form"].has_error("year_index")
    assert not MonitoringRecord.objects.exists()


@pytest.mark.parametrize("year_index", [1, 6])
def test_only_years_two_to_five_are_offered(client_as, bartim, year_index):
    c = cohort(bartim, 2022)
    response = client_as("pokja_kalteng").submit(
        reverse("monitoring_create", args=["62.13"]), record_data(c, year_index)
    )
    assert response.context["form"].has_error("year_index")


def test_the_cohort_of_another_regency_is_not_accepted(client_as, bartim, mura):
    cohort(bartim, 2022)
    other = cohort(mura, 2022)
    response = client_as("pokja_kalteng").submit(reverse("monitoring_create", args=["62.13"]), record_data(other))
    assert response.context["form"].has_error("cohort")
    assert not MonitoringRecord.objects.exists()


def test_province_corrects_a_record(client_as, bartim, pokja_kalteng):
    c = cohort(bartim, 2022)
    record = services.record_monitoring(cohort=c, actor=pokja_kalteng, year_index=2, assessment="on_track")
    data = record_data(c, year_index=2, assessment="fix_method", summary="Metode penagihan retribusi perlu diubah.")
    client_as("pokja_kalteng").submit(reverse("monitoring_edit", args=[record.pk]), data)
    record.refresh_from_db()
    assert (record.assessment, record.summary) == ("fix_method", "Metode penagihan retribusi perlu diubah.")


def test_a_regency_without_cohort_has_nothing_to_monitor(client_as, bartim):
    response = client_as("pokja_kalteng").get(reverse("monitoring_create", args=["62.13"]))
    assert response.status_code == 200 and response.context["has_cohorts"] is False


def test_the_service_refuses_a_duplicate_year(bartim, pokja_kalteng):
    c = cohort(bartim, 2022)
    services.record_monitoring(cohort=c, actor=pokja_kalteng, year_index=2, assessment="on_track")
    with pytest.raises(services.ActionRefused):
        services.record_monitoring(cohort=c, actor=pokja_kalteng, year_index=2, assessment="change")
