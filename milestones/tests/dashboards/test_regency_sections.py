"""The regency page's sections: the view gathers their data and says who may act, before rendering.

Each test signs in a persona who sees Barito Timur but acts on nothing (the Balai), checks what the
view decided and that the page offers no action, then renders the section template alone with the
same data and the opposite decision: the links follow the view's word, and the template runs no query.
"""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.template.loader import render_to_string
from django.urls import reverse

from milestones.models import NawasisSubmission
from milestones.services import documents as document_services
from milestones.services import nawasis as nawasis_services
from milestones.services import planning as planning_services
from milestones.tests import builders
from milestones.tests import clinic_builders as clinic_build
from milestones.tests import document_builders as document_build
from milestones.tests.shared_rows import building, rolled_back, users
from regencies.models import Province, Regency

REGENCY = reverse("regency", args=["62.13"])
FLAGS = ("can_submit", "can_review", "can_manage", "can_act", "can_add_monitoring")


@pytest.fixture(autouse=True)
def in_mid_2026():
    with time_machine.travel("2026-07-01 09:00 +0700", tick=False):
        yield


@pytest.fixture
def render_section(django_assert_num_queries):
    """Render one section template with the given context, asserting it runs no query."""

    def render(template: str, **context) -> str:
        with django_assert_num_queries(0):
            return render_to_string(template, context)

    return render


def as_reader(client_as):
    """The page as the Balai sees it: every section visible, no action allowed."""
    response = client_as("balai_kalteng").get(REGENCY)
    assert {flag: response.context[flag] for flag in FLAGS} == dict.fromkeys(FLAGS, False)
    return response, response.content.decode()


def test_the_milestone_section_offers_a_report_only_when_the_view_allows_it(client_as, bartim, render_section):
    milestone = builders.milestone(bartim, 4)
    report = reverse("update_create", args=[milestone.pk])
    response, html = as_reader(client_as)
    assert reverse("milestone", args=[milestone.pk]) in html and report not in html

    context = {key: response.context[key] for key in ("regency", "cohorts", "recent_updates")}
    assert report in render_section("milestones/milestones/regency_section.html", **context, can_submit=True)
    assert report not in render_section("milestones/milestones/regency_section.html", **context, can_submit=False)


def test_the_documents_section_offers_actions_only_when_the_view_allows_them(
    client_as, bartim, officer_bartim, pokja_kalteng, render_section
):
    cohort = builders.cohort(bartim, 2022)
    draft = document_build.draft(bartim, officer_bartim)
    in_qa = document_build.in_qa(bartim, officer_bartim, period_start=2027, period_end=2031)
    final = document_build.final(bartim, officer_bartim, pokja_kalteng, period_start=2032, period_end=2036)
    package = document_build.package(bartim, officer_bartim)
    record = document_services.record_monitoring(
        cohort=cohort, actor=pokja_kalteng, year_index=2, assessment="on_track"
    )
    actions = [
        reverse("document_create", args=["62.13"]),
        reverse("document_edit", args=[draft.pk]),
        reverse("document_submit", args=[draft.pk]),
        reverse("document_review", args=[in_qa.pk]),
        reverse("document_enact", args=[final.pk]),
        reverse("policy_create", args=["62.13"]),
        reverse("policy_edit", args=[package.pk]),
        reverse("monitoring_create", args=["62.13"]),
        reverse("monitoring_edit", args=[record.pk]),
    ]
    response, html = as_reader(client_as)
    assert reverse("document", args=[draft.pk]) in html and reverse("policy_package", args=[package.pk]) in html
    assert [url for url in actions if url in html] == []

    allowed = dict.fromkeys(("can_submit", "can_manage", "can_act", "can_add_monitoring"), True)
    section = render_section(
        "milestones/documents/regency_section.html", regency=bartim, section=response.context["documents"], **allowed
    )
    assert [url for url in actions if url not in section] == []


def test_the_clinics_section_offers_actions_only_when_the_view_allows_them(
    client_as, kalteng, bartim, pokja_kalteng, render_section
):
    clinic = clinic_build.clinic(kalteng, pokja_kalteng, regencies=[bartim])
    action = clinic_build.action(clinic, pokja_kalteng, owner=bartim)  # the regency's officer updates it
    update = reverse("follow_up", args=[action.pk]) + "#status"
    new_clinic = reverse("clinic_create", args=["62"])
    response, html = as_reader(client_as)
    section = response.context["clinics"]
    assert [(item.pk, item.may_update) for item in section.actions] == [(action.pk, False)]
    assert reverse("follow_up", args=[action.pk]) in html
    assert update not in html and new_clinic not in html

    officer = client_as("officer_bartim").get(REGENCY)
    assert [item.may_update for item in officer.context["clinics"].actions] == [True]
    assert update in officer.content.decode()

    for item in section.actions:
        item.may_update = True
    rendered = render_section(
        "milestones/clinics/regency_section.html", regency=bartim, section=section, can_manage=True
    )
    assert update in rendered and new_clinic in rendered


def test_the_planning_section_offers_the_upload_only_when_the_view_allows_it(client_as, bartim, render_section):
    planning_services.save_activity(
        regency=bartim,
        actor=None,
        code="AL-01",
        subsector="wastewater",
        name="IPLT Tamiang Layang",
        agency="Dinas PUPR",
        year_start=2025,
        year_end=2027,
        integrations=[planning_services.IntegrationInput("rpjmd", 2025, True)],
    )
    upload = reverse("activities_upload", args=["62.13"])
    response, html = as_reader(client_as)
    assert 'data-testid="budget-total"' in html and upload not in html

    context = {"regency": bartim, "summary": response.context["planning"]}
    assert upload in render_section("milestones/planning/regency_section.html", **context, can_act=True)


def test_the_nawasis_section_offers_recording_only_when_the_view_allows_it(
    client_as, bartim, officer_bartim, render_section
):
    nawasis_services.record_submission(
        regency=bartim,
        actor=officer_bartim,
        module=NawasisSubmission.Module.EHRA,
        submitted_on=datetime.date(2026, 6, 1),
        completeness=Decimal("72.50"),
    )
    record = reverse("nawasis_create", args=["62.13"])
    response, html = as_reader(client_as)
    assert 'data-completeness="72.50"' in html and record not in html

    context = {"regency": bartim, "latest": response.context["nawasis"], "can_see_province": True}
    assert record in render_section("milestones/nawasis/regency_section.html", **context, can_act=True)


# Before the sections' data moved from template tags into the view, the page with every section
# filled ran 23 queries for the regency's officer and 24 for the province's Pokja and the Balai.
class TestEverySectionFilled:
    """Barito Timur with something in every section, built once for the three personas."""

    @pytest.fixture(scope="class", autouse=True)
    @classmethod
    def every_section(cls, module_db, django_db_blocker):
        with rolled_back(django_db_blocker):
            with building(django_db_blocker, "2026-07-01 09:00 +0700"):
                people = users("officer_bartim", "pokja_kalteng")
                officer_bartim, pokja_kalteng = people["officer_bartim"], people["pokja_kalteng"]
                kalteng, bartim = Province.objects.get(code="62"), Regency.objects.get(code="62.13")
                cohort = builders.cohort(bartim, 2022)
                builders.approved(builders.milestone(bartim, 1), officer_bartim, pokja_kalteng, progress=100)
                builders.submitted(builders.milestone(bartim, 2), officer_bartim)
                document_build.reviewed(document_build.in_qa(bartim, officer_bartim), pokja_kalteng)
                document_build.package(bartim, officer_bartim)
                document_services.record_monitoring(
                    cohort=cohort, actor=pokja_kalteng, year_index=2, assessment="on_track"
                )
                clinic = clinic_build.clinic(kalteng, pokja_kalteng, regencies=[bartim])
                clinic_build.action(clinic, pokja_kalteng, owner=bartim)
                planning_services.save_activity(
                    regency=bartim,
                    actor=None,
                    code="AL-01",
                    subsector="wastewater",
                    name="IPLT Tamiang Layang",
                    agency="Dinas PUPR",
                    year_start=2025,
                    year_end=2027,
                    budget_lines=[planning_services.BudgetLineInput(2025, "dak", Decimal(1), Decimal(1), Decimal(1))],
                )
                nawasis_services.record_submission(
                    regency=bartim,
                    actor=officer_bartim,
                    module=NawasisSubmission.Module.SSK,
                    submitted_on=datetime.date(2026, 6, 1),
                    completeness=Decimal(60),
                )
            yield

    @pytest.mark.parametrize(
        ("persona", "before"), [("officer_bartim", 23), ("pokja_kalteng", 24), ("balai_kalteng", 24)]
    )
    def test_the_page_runs_no_more_queries_than_before(self, client_as, persona, before, django_assert_max_num_queries):
        client = client_as(persona)
        with django_assert_max_num_queries(before):
            assert client.get(REGENCY).status_code == 200
