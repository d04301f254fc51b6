"""Reminders of the province's roadmap: waiting for the national review (the national Pokja), returned to
the province (its Pokja), in the same style as the other rules (milestones.selectors.reminders)."""

from milestones.selectors.reminders import Mode, Rule, pending_items
from milestones.services import roadmaps as services
from milestones.tests.reminders.test_day_work import ALL
from milestones.tests.reminders.test_reminders import june
from milestones.tests.roadmaps.test_roadmaps import qa_review, roadmap


def who_gets(personas, rule):
    return {
        name
        for name in ALL
        if any(item.rule == rule for item in pending_items(personas[name], june(20), mode=Mode.NOW))
    }


def test_waiting_then_returned(personas, kalteng):
    made = roadmap(kalteng, personas["pokja_kalteng"])
    assert who_gets(personas, Rule.ROADMAP_WAITING) == set()
    services.submit_roadmap(roadmap=made, actor=personas["pokja_kalteng"])
    assert who_gets(personas, Rule.ROADMAP_WAITING) == {"national"}
    [item] = [i for i in pending_items(personas["national"], june(20), mode=Mode.NOW) if i.rule == Rule.ROADMAP_WAITING]
    assert item.get_absolute_url() == "/provinsi/62/roadmap/" and item.context_label == "Kalimantan Tengah"
    qa_review(made, personas["national"], reason="Lengkapi lampiran.")
    assert who_gets(personas, Rule.ROADMAP_WAITING) == set()
    assert who_gets(personas, Rule.ROADMAP_RETURNED) == {"pokja_kalteng"}
    [item] = [
        i for i in pending_items(personas["pokja_kalteng"], june(20), mode=Mode.NOW) if i.rule == Rule.ROADMAP_RETURNED
    ]
    assert item.reason == "Lengkapi lampiran."
    services.submit_roadmap(roadmap=made, actor=personas["pokja_kalteng"])
    assert who_gets(personas, Rule.ROADMAP_RETURNED) == set()


def test_the_home_pages_list_them(client_as, personas, kalteng):
    made = services.submit_roadmap(roadmap=roadmap(kalteng, personas["pokja_kalteng"]), actor=personas["pokja_kalteng"])
    page = client_as("national").get("/").content.decode()
    assert 'data-rule="roadmap_waiting"' in page
    qa_review(made, personas["national"], reason="Lengkapi lampiran.")
    page = client_as("pokja_kalteng").get("/").content.decode()
    assert 'data-rule="roadmap_returned"' in page
