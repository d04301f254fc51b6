"""Who may download which report, and which reports the status list shows: five compiled reports (one per
audience) built once for the whole module, since compiling is the costly part."""

import pytest
from django.urls import reverse

from regencies.models import Balai, Province, Regency
from reports import services


@pytest.fixture(scope="module")
def reports(module_db, django_db_blocker):
    def done(**scope):
        job = services.request_report(enqueue_job=False, **scope)
        return services.compile_job(job.pk)

    with django_db_blocker.unblock():
        return {
            "national": done(audience="national"),
            "provincial": done(audience="provincial", province=Province.objects.get(code="62")),
            "balai": done(audience="balai", balai=Balai.objects.get(short_name="BPPW Kalteng")),
            "bartim": done(audience="regency", regency=Regency.objects.get(code="62.13")),
            "mura": done(audience="regency", regency=Regency.objects.get(code="62.12")),
        }


DOWNLOADS = {
    "officer_mura": {"national": 404, "provincial": 404, "balai": 404, "bartim": 404, "mura": 200},
    "officer_bartim": {"national": 404, "provincial": 404, "balai": 404, "bartim": 200, "mura": 404},
    "coordinator_kalteng": {"national": 404, "provincial": 200, "balai": 200, "bartim": 200, "mura": 200},
    "balai_kalteng": {"national": 404, "provincial": 200, "balai": 200, "bartim": 200, "mura": 200},
    "pokja_kalsel": {"national": 404, "provincial": 404, "balai": 404, "bartim": 404, "mura": 404},
    "national": {"national": 200, "provincial": 200, "balai": 200, "bartim": 200, "mura": 200},
    "nobody": {"national": 404, "provincial": 404, "balai": 404, "bartim": 404, "mura": 404},
}


@pytest.mark.parametrize(
    ("persona", "report", "status"), [(p, r, s) for p, reports in DOWNLOADS.items() for r, s in reports.items()]
)
def test_downloads_check_the_scope(client_as, reports, persona, report, status):
    assert client_as(persona).get(reverse("report_download", args=[reports[report].pk])).status_code == status


@pytest.mark.parametrize("persona", list(DOWNLOADS))
def test_the_list_shows_exactly_the_downloadable_reports(client_as, reports, persona):
    html = client_as(persona).get(reverse("report_status")).content.decode() if persona != "nobody" else ""
    for report, status in DOWNLOADS[persona].items():
        assert (f'data-job="{reports[report].pk}"' in html) == (status == 200)
