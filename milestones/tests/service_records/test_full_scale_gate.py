"""M4's required item "coverage reaches the full scale the province set": blocked below the threshold,
verified at or above it, and a gap asking the province to set it when none is set; M3 shows, never blocks."""

import pytest
from django.urls import reverse
from django.utils import translation

from milestones.models import Milestone
from milestones.selectors import milestones as selectors
from milestones.services import milestones as services
from milestones.tests import builders
from milestones.tests import service_builders as sb


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def waiting_m4(bartim, officer_bartim, pokja_kalteng):
    """M4 at 100 % with every item accepted and M3 verified: only the coverage can stop it."""
    m4 = builders.milestone(bartim, 4)
    Milestone.objects.filter(cohort=m4.cohort, definition__number=3).update(status="verified", progress=100)
    update = builders.submitted(m4, officer_bartim, progress=100, requirements=list(m4.definition.requirements.all()))
    for requirement in m4.definition.requirements.all():  # not builders.accept_all: it sets the full scale too
        services.judge_evidence(update=update, requirement=requirement, reviewer=pokja_kalteng, verdict="accepted")
    return update


def test_without_a_threshold_the_gap_says_the_province_must_set_it(waiting_m4, pokja_kalteng):
    sb.service(waiting_m4.milestone.regency)
    gaps = selectors.verification_gaps(waiting_m4)
    assert gaps and not gaps.missing and gaps.previous is None
    assert "province has not set what counts as full scale" in " ".join(gaps.reasons())
    with pytest.raises(services.ActionRefused, match="must set it first"):
        services.approve_update(update=waiting_m4, reviewer=pokja_kalteng)
    assert Milestone.objects.get(pk=waiting_m4.milestone_id).status == "submitted"


def test_below_the_threshold_verification_is_refused(waiting_m4, pokja_kalteng):
    regency = waiting_m4.milestone.regency
    sb.service(regency, covered=3)  # 3 of 5 kecamatan: 60 %
    sb.threshold(regency, percent=80)
    with pytest.raises(services.ActionRefused, match=r"has not reached the full scale.*3 of 5 kecamatan \(60 %\)"):
        services.approve_update(update=waiting_m4, reviewer=pokja_kalteng)
    waiting_m4.refresh_from_db()
    assert waiting_m4.status == "submitted"


def test_households_below_the_threshold_block_too(waiting_m4, pokja_kalteng):
    regency = waiting_m4.milestone.regency
    sb.service(regency, households=900)
    sb.threshold(regency, percent=None, households=1000)
    with pytest.raises(services.ActionRefused, match="≥ 1,000 households"):
        services.approve_update(update=waiting_m4, reviewer=pokja_kalteng)


def test_a_threshold_without_its_service_record_blocks(waiting_m4, pokja_kalteng):
    sb.threshold(waiting_m4.milestone.regency, percent=50)
    with pytest.raises(services.ActionRefused, match="No service record"):
        services.approve_update(update=waiting_m4, reviewer=pokja_kalteng)


def test_exactly_at_the_threshold_verifies(waiting_m4, pokja_kalteng):
    regency = waiting_m4.milestone.regency
    sb.service(regency, covered=4, households=1000)  # 4 of 5: 80 %
    sb.threshold(regency, percent=80, households=1000)
    services.approve_update(update=waiting_m4, reviewer=pokja_kalteng)
    assert Milestone.objects.get(pk=waiting_m4.milestone_id).status == "verified"


def test_the_exact_share_counts_not_the_rounded_one(waiting_m4, pokja_kalteng):
    regency = waiting_m4.milestone.regency
    sb.kecamatan(regency, [*sb.NAMES, "Dusun Tengah", "Paku", "Awang Dua"])  # 8 kecamatan
    sb.service(regency, covered=5)  # 62.5 %: shown as 63 %, below a 63 % threshold
    sb.threshold(regency, percent=63)
    assert selectors.verification_gaps(waiting_m4).coverage


def test_the_page_shows_the_item_and_disables_the_button_then_refuses_the_post(client_as, waiting_m4):
    regency = waiting_m4.milestone.regency
    sb.service(regency, covered=3)
    sb.threshold(regency, percent=80)
    client = client_as("pokja_kalteng")
    page = client.get(waiting_m4.milestone.get_absolute_url()).content.decode()
    assert 'data-testid="full-scale-gap"' in page
    button = page[page.index(reverse("update_approve", args=[waiting_m4.pk])) :]
    button = button[: button.index("</form>")]
    assert "disabled" in button and "belum mencapai skala penuh" in button
    response = client.post(reverse("update_approve", args=[waiting_m4.pk]), follow=True)
    assert "belum mencapai skala penuh" in response.content.decode()
    assert Milestone.objects.get(pk=waiting_m4.milestone_id).status == "submitted"


def test_at_the_threshold_the_page_shows_it_reached_and_the_button_verifies(client_as, waiting_m4):
    regency = waiting_m4.milestone.regency
    sb.service(regency)
    sb.threshold(regency, percent=100)
    client = client_as("pokja_kalteng")
    page = client.get(waiting_m4.milestone.get_absolute_url()).content.decode()
    assert 'data-testid="full-scale-reached"' in page and 'data-testid="coverage-lltt"' in page
    client.post(reverse("update_approve", args=[waiting_m4.pk]))
    assert Milestone.objects.get(pk=waiting_m4.milestone_id).status == "verified"


def test_m3_shows_the_coverage_and_is_not_blocked(client_as, bartim, officer_bartim, pokja_kalteng):
    m3 = builders.milestone(bartim, 3)
    Milestone.objects.filter(cohort=m3.cohort, definition__number=2).update(status="verified", progress=100)
    sb.service(bartim, covered=1)
    update = builders.submitted(m3, officer_bartim, progress=100, requirements=list(m3.definition.requirements.all()))
    builders.accept_all(update, pokja_kalteng)
    page = client_as("pokja_kalteng").get(m3.get_absolute_url()).content.decode()
    assert 'id="service-coverage"' in page and "1/5" in page
    assert 'data-testid="full-scale-gap"' not in page
    assert not selectors.verification_gaps(update)
    services.approve_update(update=update, reviewer=pokja_kalteng)
    assert Milestone.objects.get(pk=m3.pk).status == "verified"


def test_m1_shows_no_coverage(client_as, bartim):
    page = client_as("pokja_kalteng").get(builders.milestone(bartim, 1).get_absolute_url()).content.decode()
    assert 'id="service-coverage"' not in page
