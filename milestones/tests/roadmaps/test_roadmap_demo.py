"""The demo's provincial documents (milestones/demo/data/roadmaps.toml): Kalimantan Tengah's roadmap, returned
once and verified after its revision, with its history, and the province's policy package."""

from django.urls import reverse

from milestones.demo.roadmaps import seed_roadmaps
from milestones.models import ProvincialPolicy, ProvincialRoadmap, ReviewState
from milestones.selectors import roadmaps as selectors
from milestones.tests.demo_fixtures import seed_once

demo = seed_once(seed_roadmaps)


def test_kalteng_roadmap_and_its_review(demo, db):
    roadmap = ProvincialRoadmap.objects.get(province="62")
    assert roadmap.review_state == ReviewState.VERIFIED and roadmap.file_id
    documents = selectors.province_documents(roadmap.province)
    assert [s.action for s in documents.history] == ["submitted", "returned", "submitted", "verified"]
    assert "Bab strategi belum memuat target akses aman" in documents.history[1].comment
    assert roadmap.return_reason == ""  # verified since
    # The returned and the verified round are QA reviews with a finding per chapter.
    revise, accepted = sorted(documents.quality_reviews, key=lambda r: r.reviewed_at)
    assert (revise.outcome, accepted.outcome) == ("revise", "accepted")
    assert {i.chapter for i in revise.items.all() if not i.adequate} == {"strategy", "programmes"}
    assert all(i.adequate for i in accepted.items.all()) and accepted.items.count() == 6
    assert revise.items.get(chapter="strategy").finding in documents.history[1].comment
    assert documents.history[1].actor.ssk_role.role == "national"
    assert ProvincialPolicy.objects.filter(province="62").count() == 3 and documents.enacted_policies == 2


def test_seeding_again_adds_nothing(demo, db):
    assert seed_roadmaps() == []
    assert ProvincialPolicy.objects.filter(province="62").count() == 3


def test_the_demo_page(demo, db, client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="nasional"))
    page = client.get(reverse("province_documents", args=["62"])).content.decode()
    assert "Roadmap Sanitasi Provinsi Kalimantan Tengah 2025–2029" in page and "Pergub No. 31 Tahun 2025" in page
    assert 'data-testid="roadmap-quality-reviews"' in page and "Lengkapi matriks program indikatif" in page
