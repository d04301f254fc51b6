import pytest

from milestones.tests import builders

ACCESS = {
    "national": 200,
    "administrator": 200,
    "pokja_kalteng": 200,
    "balai_kalteng": 200,
    "coordinator_kalteng": 200,
    "pokja_kalsel": 404,
    "officer_bartim": 200,
    "officer_mura": 404,
    "nobody": 404,
}


@pytest.mark.parametrize(("persona", "status"), ACCESS.items())
def test_milestone_page_access(client_as, bartim, kalsel, persona, status):
    milestone = builders.milestone(bartim, 4)
    assert client_as(persona).get(milestone.get_absolute_url()).status_code == status


def test_it_shows_the_whole_history_and_the_return_reason(client_as, bartim, officer_bartim, pokja_kalteng):
    milestone = builders.milestone(bartim, 4)
    builders.returned(milestone, officer_bartim, pokja_kalteng, reason="Lampirkan SK UPTD dan data cakupan.")
    html = client_as("officer_bartim").get(milestone.get_absolute_url()).content.decode()
    assert "Lampirkan SK UPTD dan data cakupan." in html
    for action in ("Draf dibuat", "Diajukan untuk direviu", "Dikembalikan untuk revisi"):
        assert action in html
    assert "Revisi laporan kemajuan yang dikembalikan" in html


def test_reviewers_see_the_decision_forms_and_officers_do_not(client_as, bartim, officer_bartim):
    milestone = builders.milestone(bartim, 4)
    builders.submitted(milestone, officer_bartim)
    assert "/setujui/" in client_as("pokja_kalteng").get(milestone.get_absolute_url()).content.decode()
    assert "/setujui/" not in client_as("officer_bartim").get(milestone.get_absolute_url()).content.decode()
    assert "/setujui/" not in client_as("national").get(milestone.get_absolute_url()).content.decode()


def test_a_late_milestone_is_flagged(client_as, bartim, time_machine_2024):
    milestone = builders.milestone(bartim, 1, year=2022)
    assert "Terlambat" in client_as("pokja_kalteng").get(milestone.get_absolute_url()).content.decode()


@pytest.fixture
def time_machine_2024():
    import datetime

    import time_machine

    with time_machine.travel(datetime.datetime(2024, 1, 10, 9, tzinfo=datetime.UTC), tick=False):
        yield


def test_history_shows_statuses_in_words(client_as, bartim, officer_bartim, pokja_kalteng):
    milestone = builders.milestone(bartim, 4)
    builders.returned(milestone, officer_bartim, pokja_kalteng)
    html = client_as("pokja_kalteng").get(milestone.get_absolute_url()).content.decode()
    assert "(Diajukan → Dikembalikan)" in html
    assert "submitted →" not in html


def test_a_decision_without_a_recorded_reviewer_shows_a_dash(client_as, bartim, officer_bartim, pokja_kalteng):
    """Older data (and the thin benchmark set) holds decided updates whose reviewer was never recorded:
    the page names nobody rather than failing."""
    milestone = builders.milestone(bartim, 4)
    update = builders.returned(milestone, officer_bartim, pokja_kalteng, reason="Lampirkan SK UPTD.")
    type(update).objects.filter(pk=update.pk).update(decided_by=None)
    response = client_as("pokja_kalteng").get(milestone.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lampirkan SK UPTD." in html and '<div class="small">– · ' in html


def approved_updates(milestone, officer, reviewer, count):
    for n in range(count):
        builders.approved(milestone, officer, reviewer, progress=10 + n, files=[builders.pdf(f"bukti-{n}.pdf")])


def test_updates_come_five_a_page_newest_first_and_history_is_cut(client_as, bartim, officer_bartim, pokja_kalteng):
    milestone = builders.milestone(bartim, 4)
    approved_updates(milestone, officer_bartim, pokja_kalteng, 7)  # 3 history entries each
    client = client_as("pokja_kalteng")
    first = client.get(milestone.get_absolute_url()).content.decode()
    second = client.get(milestone.get_absolute_url(), {"page": 2}).content.decode()
    assert first.count('<article class="card') == 5 and second.count('<article class="card') == 2
    assert first.index("· 16%") < first.index("· 12%")  # newest first
    assert "· 10%" in second
    history = first[first.index('id="history"') :]
    assert history.count('<li class="list-group-item">') == 20 + 1  # 20 entries and the link to them all
    assert "riwayat=semua" in history
    full = client.get(milestone.get_absolute_url(), {"riwayat": "semua"}).content.decode()
    assert full[full.index('id="history"') :].count('<li class="list-group-item">') == 21
    assert "riwayat=semua#history" not in full


def test_the_milestone_page_runs_the_same_queries_with_more_updates(
    client_as, bartim, officer_bartim, pokja_kalteng, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    milestone = builders.milestone(bartim, 4)
    approved_updates(milestone, officer_bartim, pokja_kalteng, 1)
    builders.submitted(milestone, officer_bartim, progress=100)
    client = client_as("pokja_kalteng")
    with CaptureQueriesContext(connection) as small:
        client.get(milestone.get_absolute_url())
    update = milestone.updates.get(status="submitted")
    type(update).objects.filter(pk=update.pk).delete()
    approved_updates(milestone, officer_bartim, pokja_kalteng, 8)
    builders.submitted(milestone, officer_bartim, progress=100)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(milestone.get_absolute_url())


def test_each_update_shows_its_own_claims_and_the_page_only_its_own_files(
    client_as, bartim, officer_bartim, pokja_kalteng
):
    milestone = builders.milestone(bartim, 4)
    requirements = list(milestone.definition.requirements.all())
    assert len(requirements) >= 2
    approved_updates(milestone, officer_bartim, pokja_kalteng, 5)  # bukti-0 … bukti-4, bukti-0 on page 2
    builders.submitted(milestone, officer_bartim, progress=70, requirements=requirements[:1])
    client = client_as("pokja_kalteng")
    first = client.get(milestone.get_absolute_url()).content.decode()
    submitted = first[first.index('<article class="card') : first.index("</article>")]
    claimed, unclaimed = 'badge text-bg-light border">', 'badge text-bg-light border text-muted">'
    assert submitted.count(claimed) == 1 and submitted.count(unclaimed) == len(requirements) - 1
    assert first.count(claimed) == 1  # the approved updates below claimed nothing
    assert "bukti-4.pdf" in first and "bukti-0.pdf" not in first
    second = client.get(milestone.get_absolute_url(), {"page": 2}).content.decode()
    assert "bukti-0.pdf" in second and "bukti-4.pdf" not in second


def test_history_labels_read_both_vocabularies_and_leave_dates_as_they_are():
    from django.utils import translation

    from milestones.models import HistoryEntry, MilestoneStatus, MilestoneUpdate

    entry = HistoryEntry(from_status="verified", to_status="returned")
    with translation.override("en"):
        assert entry.from_label == str(MilestoneStatus.VERIFIED.label)
        assert entry.to_label == str(MilestoneUpdate.Status.RETURNED.label)
        # A value both know reads as the update's, as before.
        assert HistoryEntry(from_status="submitted").from_label == str(MilestoneUpdate.Status.SUBMITTED.label)
    assert HistoryEntry(from_status="2024-05-01", to_status="").from_label == "2024-05-01"
    assert HistoryEntry(to_status="").to_label == ""
