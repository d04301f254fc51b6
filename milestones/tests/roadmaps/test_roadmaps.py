"""The province's own documents: its roadmap, prepared by the province's Pokja and reviewed by the national
Pokja (submit; its quality-assurance review verifies or returns it with a reason; reopen; the history), its
policy package, who may do what, and where they show (the province page)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from conftest import make_user
from milestones import evidence
from milestones.models import ProvincialPolicy, ProvincialRoadmap, ReviewState, ReviewStep
from milestones.selectors import roadmaps as selectors
from milestones.services import ActionRefused
from milestones.services import documents as document_services
from milestones.services import roadmaps as services
from milestones.tests.builders import pdf
from regencies import scoping
from regencies.models import Role


def roadmap(province, pokja, *, with_file=True, start=2025):
    upload = pdf("roadmap.pdf") if with_file else None
    return services.save_roadmap(
        province=province,
        actor=pokja,
        title="Roadmap Sanitasi Provinsi Kalimantan Tengah",
        period_start=start,
        period_end=start + 4,
        upload=upload,
        file_kind=evidence.identify(upload) if upload else None,
    )


def qa_review(made, reviewer, *, reason="", inadequate=None):
    """The national Pokja's QA review of a submitted roadmap: ``inadequate`` {chapter: finding} (the others
    adequate); accepted when none is inadequate and no ``reason`` is given, else revise with ``reason`` as
    its summary (so a revise with all chapters adequate returns it with exactly ``reason``)."""
    inadequate = inadequate or {}
    return document_services.record_quality_review(
        roadmap=made,
        reviewer=reviewer,
        outcome="revise" if inadequate or reason else "accepted",
        summary=reason,
        findings=[
            document_services.ChapterFinding(c, c not in inadequate, inadequate.get(c, ""))
            for c in document_services.Chapter.values
        ],
    )


@pytest.fixture
def kalteng_roadmap(kalteng, pokja_kalteng):
    return roadmap(kalteng, pokja_kalteng)


def test_submit_needs_the_file(kalteng, pokja_kalteng):
    draft = roadmap(kalteng, pokja_kalteng, with_file=False)
    with pytest.raises(ActionRefused):
        services.submit_roadmap(roadmap=draft, actor=pokja_kalteng)
    assert ProvincialRoadmap.objects.get(pk=draft.pk).review_state == ReviewState.DRAFT


def test_return_with_reason_then_resubmit_and_verify_then_reopen(kalteng_roadmap, pokja_kalteng, national):
    services.submit_roadmap(roadmap=kalteng_roadmap, actor=pokja_kalteng)
    with pytest.raises(ActionRefused):  # a revise review without a finding or a summary: no reason
        document_services.record_quality_review(
            roadmap=kalteng_roadmap,
            reviewer=national,
            outcome="revise",
            summary="  ",
            findings=[document_services.ChapterFinding(c, True) for c in document_services.Chapter.values],
        )
    assert not kalteng_roadmap.quality_reviews.exists()
    qa_review(kalteng_roadmap, national, reason="Lengkapi bab strategi.")
    assert kalteng_roadmap.review_state == ReviewState.RETURNED
    assert kalteng_roadmap.return_reason == "Lengkapi bab strategi."
    # A returned roadmap can be changed and sent again.
    services.save_roadmap(
        province=kalteng_roadmap.province,
        actor=pokja_kalteng,
        roadmap=kalteng_roadmap,
        title="Roadmap (revisi)",
        period_start=2025,
        period_end=2029,
    )
    services.submit_roadmap(roadmap=kalteng_roadmap, actor=pokja_kalteng)
    qa_review(kalteng_roadmap, national)
    assert kalteng_roadmap.is_verified
    with pytest.raises(ActionRefused):  # locked once verified
        services.save_roadmap(
            province=kalteng_roadmap.province,
            actor=pokja_kalteng,
            roadmap=kalteng_roadmap,
            title="x",
            period_start=2025,
            period_end=2029,
        )
    with pytest.raises(ActionRefused):
        services.reopen_roadmap(roadmap=kalteng_roadmap, actor=national, reason="")
    services.reopen_roadmap(roadmap=kalteng_roadmap, actor=national, reason="RPJMD berubah.")
    assert kalteng_roadmap.is_draft
    steps = [s.action for s in selectors.province_documents(kalteng_roadmap.province).history]
    assert steps == ["submitted", "returned", "submitted", "verified", "reopened"]


def test_enacted_policy_needs_number_and_date(kalteng, pokja_kalteng):
    with pytest.raises(ActionRefused):
        services.save_policy(province=kalteng, actor=pokja_kalteng, kind="pergub", title="Pergub", status="enacted")
    assert not ProvincialPolicy.objects.exists()


# --- who may do what -------------------------------------------------------------------------------


def test_the_rules(kalteng, personas):
    nation_coordinator = make_user("coord_nation", Role.COORDINATOR)
    assert scoping.can_prepare_roadmap(personas["pokja_kalteng"], "62")
    assert not scoping.can_prepare_roadmap(personas["pokja_kalsel"], "62")
    assert not scoping.can_prepare_roadmap(personas["national"], "62")
    assert scoping.can_review_roadmap(personas["national"], "62")
    assert scoping.can_review_roadmap(nation_coordinator, "62")
    for name in ("pokja_kalteng", "coordinator_kalteng", "balai_kalteng", "officer_bartim", "administrator"):
        assert not scoping.can_review_roadmap(personas[name], "62"), name


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("pokja_kalteng", 200),
        ("national", 200),
        ("balai_kalteng", 200),
        ("coordinator_kalteng", 200),
        ("pokja_kalsel", 404),
        ("officer_bartim", 404),
        ("nobody", 404),
    ],
)
def test_page_access(client_as, kalteng_roadmap, persona, status):
    assert client_as(persona).get(reverse("province_documents", args=["62"])).status_code == status


@pytest.mark.parametrize(("persona", "status"), [("pokja_kalsel", 404), ("balai_kalteng", 403), ("national", 403)])
def test_others_cannot_prepare(client_as, kalteng_roadmap, persona, status):
    client = client_as(persona)
    assert client.post(reverse("roadmap_submit", args=[kalteng_roadmap.pk])).status_code == status
    assert client.post(reverse("roadmap_save", args=["62"]), {}).status_code == status
    assert ProvincialRoadmap.objects.get(pk=kalteng_roadmap.pk).is_draft


def all_adequate(**changes):
    """The roadmap QA form's data: every chapter adequate, accepted (``changes`` replace or add fields)."""
    data = {f"adequate_{c}": "yes" for c in document_services.Chapter.values} | {"outcome": "accepted"}
    return data | changes


@pytest.mark.parametrize("persona", ["pokja_kalteng", "balai_kalteng", "coordinator_kalteng"])
def test_only_the_nation_reviews(client_as, kalteng_roadmap, pokja_kalteng, persona):
    services.submit_roadmap(roadmap=kalteng_roadmap, actor=pokja_kalteng)
    response = client_as(persona).post(reverse("roadmap_review", args=[kalteng_roadmap.pk]), all_adequate())
    assert response.status_code == 403
    assert ProvincialRoadmap.objects.get(pk=kalteng_roadmap.pk).is_submitted


def test_the_workflow_through_the_pages(client_as, kalteng):
    pokja = client_as("pokja_kalteng")
    upload = pdf("roadmap.pdf")
    response = pokja.post(
        reverse("roadmap_save", args=["62"]),
        {"title": "Roadmap Kalteng", "period_start": 2025, "period_end": 2029, "file": upload},
    )
    assert response.status_code == 302
    made = ProvincialRoadmap.objects.get(province=kalteng)
    assert made.file_name == "roadmap.pdf"
    assert pokja.post(reverse("roadmap_submit", args=[made.pk])).status_code == 302
    national = client_as("national")
    page = national.get(reverse("province_documents", args=["62"]))
    assert reverse("roadmap_review", args=[made.pk]) in page.content.decode()
    # A return without a reason (no inadequate chapter, no summary) is refused on the form.
    assert national.post(reverse("roadmap_review", args=[made.pk]), all_adequate(outcome="revise")).status_code == 400
    national.post(reverse("roadmap_review", args=[made.pk]), all_adequate(outcome="revise", summary="Bab 3 kurang."))
    made.refresh_from_db()
    assert made.is_returned
    page = client_as("pokja_kalteng").get(reverse("province_documents", args=["62"])).content.decode()
    assert "Bab 3 kurang." in page
    assert 'data-testid="roadmap-history"' in page
    assert ReviewStep.objects.filter(object_id=made.pk, action="returned").count() == 1
    # The download is the province's readers'.
    assert client_as("balai_kalteng").get(reverse("roadmap_download", args=[made.pk])).status_code == 200
    assert client_as("pokja_kalsel").get(reverse("roadmap_download", args=[made.pk])).status_code == 404


def test_policy_added_through_the_page(client_as, kalteng):
    response = client_as("pokja_kalteng").post(
        reverse("province_policy_add", args=["62"]),
        {
            "kind": "pergub",
            "title": "Pergub Kalteng No. 5/2024",
            "status": "enacted",
            "number": "5/2024",
            "enacted_on": "2024-05-02",
        },
    )
    assert response.status_code == 302
    assert ProvincialPolicy.objects.get(province=kalteng).status == "enacted"
    response = client_as("officer_bartim").post(reverse("province_policy_add", args=["62"]), {})
    assert response.status_code == 404


def test_province_page_shows_the_roadmap_and_package(client_as, kalteng_roadmap, kalteng, pokja_kalteng):
    services.submit_roadmap(roadmap=kalteng_roadmap, actor=pokja_kalteng)
    services.save_policy(province=kalteng, actor=pokja_kalteng, kind="sk", title="SK Pokja", status="draft")
    page = client_as("national").get(reverse("province", args=["62"])).content.decode()
    assert 'data-testid="province-roadmap"' in page
    assert reverse("province_documents", args=["62"]) in page
    assert 'data-state="submitted"' in page and "1 dokumen, 0 ditetapkan" in page


def test_national_table_rows(kalteng_roadmap, kalsel):
    rows = {row.province.code: row for row in selectors.roadmap_statuses(scoping.Scope(nation=True))}
    assert rows["62"].roadmap == kalteng_roadmap
    assert rows["63"].roadmap is None
    assert get_user_model().objects.exists()
