import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from milestones.tests import builders


def test_it_shows_the_milestone_timeline(client_as, bartim, officer_bartim, pokja_kalteng):
    builders.cohort(bartim, 2022)
    builders.approved(builders.milestone(bartim, 1), officer_bartim, pokja_kalteng, progress=100)
    builders.returned(builders.milestone(bartim, 4), officer_bartim, pokja_kalteng, reason="Lampirkan SK UPTD.")
    html = client_as("pokja_kalteng").get(bartim.get_absolute_url()).content.decode()
    assert "Mendapatkan komitmen kepala daerah" in html
    assert "Uji coba model layanan skala penuh" in html
    assert "status-verified" in html and "status-needs_revision" in html
    assert "Lampirkan SK UPTD." in html


def test_the_officer_gets_a_report_button(client_as, bartim):
    milestone = builders.milestone(bartim, 4)
    assert (
        f"/milestone/{milestone.pk}/laporan-baru/"
        in client_as("officer_bartim").get(bartim.get_absolute_url()).content.decode()
    )
    assert "/laporan-baru/" not in client_as("pokja_kalteng").get(bartim.get_absolute_url()).content.decode()


def test_a_regency_outside_the_programme_says_so(client_as, bartim):
    html = client_as("officer_bartim").get(bartim.get_absolute_url()).content.decode()
    assert "Kabupaten/kota ini belum mengikuti program implementasi SSK." in html


@pytest.mark.parametrize("persona", ["officer_bartim", "pokja_kalteng"])
def test_query_count_does_not_grow_with_updates(
    client_as, bartim, officer_bartim, pokja_kalteng, persona, django_assert_num_queries
):
    builders.approved(builders.milestone(bartim, 1, 2021), officer_bartim, pokja_kalteng, progress=50)
    client = client_as(persona)
    with CaptureQueriesContext(connection) as small:
        client.get(bartim.get_absolute_url())
    for number in (1, 2, 3, 4):
        milestone = builders.milestone(bartim, number, 2022)
        builders.approved(milestone, officer_bartim, pokja_kalteng, progress=100, files=[builders.pdf()])
    builders.submitted(builders.milestone(bartim, 4, 2021), officer_bartim)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(bartim.get_absolute_url())
