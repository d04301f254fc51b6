"""Follow-ups closed by proof: linked records in scope only, the province's acceptance or return with a
reason, reopening with a reason, the history, and completion counting accepted closings only."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from milestones.models import FollowUpAction, FollowUpClosing, ReviewState
from milestones.selectors import closings as selectors
from milestones.selectors import figures, reminders
from milestones.services import clinics as services
from milestones.services import nawasis as nawasis_services
from milestones.tests import clinic_builders as build

Status = FollowUpAction.Status


@pytest.fixture
def cc6(kalteng, bartim, mura, pokja_kalteng):
    return build.clinic(kalteng, pokja_kalteng, regencies=[bartim, mura])


@pytest.fixture
def bartims_action(cc6, bartim, pokja_kalteng):
    return build.action(cc6, pokja_kalteng, owner=bartim, description="Input NAWASIS modul SSK.")


def entry(regency, actor):
    return nawasis_services.record_submission(
        regency=regency, actor=actor, module="ssk", submitted_on=datetime.date(2024, 1, 10), completeness=Decimal(80)
    )


def test_closing_links_a_record_of_its_regency_and_waits_for_the_province(bartims_action, bartim, officer_bartim):
    proof = entry(bartim, officer_bartim)
    closing = services.close_action(
        action=bartims_action, actor=officer_bartim, closing_note="Sudah diinput.", proofs=[("nawasis", proof.pk)]
    )
    bartims_action.refresh_from_db()
    assert bartims_action.status == Status.CLOSING and bartims_action.closed_at is None
    assert closing.review_state == ReviewState.SUBMITTED
    assert list(closing.proofs.values_list("kind", "object_id")) == [("nawasis", proof.pk)]


def test_a_proof_of_another_regency_is_refused(bartims_action, mura, officer_bartim, officer_mura):
    other = entry(mura, officer_mura)
    with pytest.raises(services.ActionRefused):
        services.close_action(
            action=bartims_action, actor=officer_bartim, closing_note="Sudah.", proofs=[("nawasis", other.pk)]
        )
    bartims_action.refresh_from_db()
    assert bartims_action.status == Status.OPEN and not FollowUpClosing.objects.exists()


def test_a_proof_outside_the_closers_scope_is_refused_through_the_form(client_as, bartims_action, mura, officer_mura):
    other = entry(mura, officer_mura)
    data = {"status": "done", "closing_note": "Sudah.", "proofs": [f"nawasis:{other.pk}"]}
    response = client_as("officer_bartim").post(reverse("follow_up_status", args=[bartims_action.pk]), data)
    assert response.status_code == 400 and response.context["form"].has_error("proofs")
    bartims_action.refresh_from_db()
    assert bartims_action.status == Status.OPEN


def test_closing_without_any_proof_is_refused(client_as, bartims_action):
    data = {"status": "done", "closing_note": "Sudah."}
    response = client_as("officer_bartim").post(reverse("follow_up_status", args=[bartims_action.pk]), data)
    assert response.status_code == 400 and response.context["form"].has_error("proofs", code="no_proof")


def test_the_form_offers_only_records_of_the_actions_regency(
    bartims_action, bartim, mura, officer_bartim, pokja_kalteng
):
    mine, other = entry(bartim, officer_bartim), entry(mura, pokja_kalteng)
    values = [v for group in selectors.proof_options(pokja_kalteng, bartims_action) for v, _label in group.choices]
    assert f"nawasis:{mine.pk}" in values and f"nawasis:{other.pk}" not in values


def test_the_province_accepts_and_only_then_the_action_counts_as_done(
    bartims_action, bartim, officer_bartim, pokja_kalteng
):
    proof = entry(bartim, officer_bartim)
    services.close_action(
        action=bartims_action, actor=officer_bartim, closing_note="Ok.", proofs=[("nawasis", proof.pk)]
    )
    actions = FollowUpAction.objects.filter(pk=bartims_action.pk)
    waiting = figures.follow_ups(actions, datetime.date(2024, 1, 1))
    assert (waiting.done, waiting.waiting, waiting.completion_rate) == (0, 1, 0)
    services.accept_closing(action=bartims_action, reviewer=pokja_kalteng)
    bartims_action.refresh_from_db()
    assert bartims_action.status == Status.DONE and bartims_action.closed_at is not None
    done = figures.follow_ups(actions, datetime.date(2024, 1, 1))
    assert (done.done, done.waiting, done.completion_rate) == (1, 0, 100)


def test_the_province_returns_with_a_reason_and_the_owner_sees_it(
    client_as, bartims_action, bartim, officer_bartim, pokja_kalteng
):
    proof = entry(bartim, officer_bartim)
    services.close_action(
        action=bartims_action, actor=officer_bartim, closing_note="Ok.", proofs=[("nawasis", proof.pk)]
    )
    url = reverse("follow_up_decide", args=[bartims_action.pk])
    refused = client_as("pokja_kalteng").post(url, {"decision": "return", "comment": " "})
    assert refused.status_code == 400 and refused.context["decision_form"].has_error("comment", code="required")
    assert client_as("officer_bartim").post(url, {"decision": "accept"}).status_code == 403
    response = client_as("pokja_kalteng").post(url, {"decision": "return", "comment": "Modul belum lengkap."})
    assert response.status_code == 302
    bartims_action.refresh_from_db()
    assert bartims_action.status == Status.IN_PROGRESS
    closing = bartims_action.closings.get()
    assert (closing.review_state, closing.return_reason) == (ReviewState.RETURNED, "Modul belum lengkap.")
    items = reminders.pending_items(officer_bartim, datetime.date.today(), mode=reminders.Mode.NOW)
    returned = [item for item in items if item.rule == reminders.Rule.CLOSING_RETURNED]
    assert [item.reason for item in returned] == ["Modul belum lengkap."]
    page = client_as("officer_bartim").get(reverse("follow_up", args=[bartims_action.pk])).content.decode()
    assert "Modul belum lengkap." in page


def test_the_pokja_is_reminded_of_waiting_closings(bartims_action, bartim, officer_bartim, pokja_kalteng, pokja_kalsel):
    proof = entry(bartim, officer_bartim)
    services.close_action(
        action=bartims_action, actor=officer_bartim, closing_note="Ok.", proofs=[("nawasis", proof.pk)]
    )
    today = datetime.date.today()
    waiting = [
        i
        for i in reminders.pending_items(pokja_kalteng, today, mode=reminders.Mode.NOW)
        if i.rule == reminders.Rule.CLOSING_WAITING
    ]
    assert [i.obj.action_id for i in waiting] == [bartims_action.pk]
    other = reminders.pending_items(pokja_kalsel, today, mode=reminders.Mode.NOW)
    assert not [i for i in other if i.rule == reminders.Rule.CLOSING_WAITING]


def test_reopening_needs_a_reason(client_as, bartims_action, officer_bartim, pokja_kalteng):
    build.closed(bartims_action, officer_bartim)
    with pytest.raises(services.ActionRefused):
        services.reopen_action(action=bartims_action, actor=pokja_kalteng, reason=" ")
    response = client_as("pokja_kalteng").post(reverse("follow_up_reopen", args=[bartims_action.pk]), {"reason": ""})
    assert response.status_code == 400
    bartims_action.refresh_from_db()
    assert bartims_action.status == Status.DONE
    services.reopen_action(action=bartims_action, actor=pokja_kalteng, reason="Perbup dicabut.")
    bartims_action.refresh_from_db()
    assert bartims_action.status == Status.OPEN
    assert bartims_action.closings.get().review_state == ReviewState.DRAFT  # the accepted closing is reopened


def test_every_step_is_in_the_history_on_the_page(client_as, bartims_action, bartim, officer_bartim, pokja_kalteng):
    proof = entry(bartim, officer_bartim)
    services.start_action(action=bartims_action, actor=officer_bartim)
    services.close_action(
        action=bartims_action, actor=officer_bartim, closing_note="A.", proofs=[("nawasis", proof.pk)]
    )
    services.return_closing(action=bartims_action, reviewer=pokja_kalteng, reason="Kurang lengkap.")
    services.close_action(
        action=bartims_action, actor=officer_bartim, closing_note="B.", proofs=[("nawasis", proof.pk)]
    )
    services.accept_closing(action=bartims_action, reviewer=pokja_kalteng)
    services.reopen_action(action=bartims_action, actor=pokja_kalteng, reason="Dibuka lagi.")
    services.drop_action(action=bartims_action, actor=pokja_kalteng, reason="Tidak relevan.")
    steps = [(row.step.action, row.step.comment) for row in selectors.history(bartims_action)]
    assert steps == [
        ("started", ""),
        ("submitted", ""),
        ("returned", "Kurang lengkap."),
        ("submitted", ""),
        ("verified", ""),
        ("reopened", "Dibuka lagi."),
        ("dropped", "Tidak relevan."),
    ]
    page = client_as("officer_bartim").get(reverse("follow_up", args=[bartims_action.pk])).content.decode()
    assert page.count("data-step=") == 7 and "Kurang lengkap." in page and "Tidak relevan." in page


def test_the_action_page_costs_the_same_with_more_closings(
    client_as, bartims_action, bartim, officer_bartim, pokja_kalteng, django_assert_max_num_queries
):
    proof = entry(bartim, officer_bartim)
    client = client_as("pokja_kalteng")
    url = reverse("follow_up", args=[bartims_action.pk])

    def cycle():
        services.close_action(
            action=bartims_action, actor=officer_bartim, closing_note="A.", proofs=[("nawasis", proof.pk)]
        )
        services.return_closing(action=bartims_action, reviewer=pokja_kalteng, reason="Lagi.")

    cycle()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(3):
        cycle()
    with CaptureQueriesContext(connection) as four:
        client.get(url)
    assert len(four.captured_queries) == len(one.captured_queries)
