"""Two reviewers act on the same update at once: exactly one wins, the other gets a clear message."""

import threading

import pytest
from django.db import connection

from milestones.models import HistoryEntry, MilestoneUpdate
from milestones.services import milestones as services
from milestones.tests import builders


def test_the_second_decision_on_a_stale_page_is_refused(client_as, bartim, officer_bartim, pokja_kalteng):
    update = builders.submitted(builders.milestone(bartim, 4), officer_bartim)
    client = client_as("pokja_kalteng")
    client.post(f"/laporan-milestone/{update.pk}/setujui/")
    response = client.post(f"/laporan-milestone/{update.pk}/kembalikan/", {"reason": "Kurang bukti."}, follow=True)
    assert "Pereviu lain sudah memutuskan laporan kemajuan ini" in response.content.decode()
    update.refresh_from_db()
    assert update.status == "approved" and update.return_reason == ""


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks to race for real")
def test_concurrent_approve_and_return_have_exactly_one_winner(bartim, officer_bartim, pokja_kalteng):
    from conftest import make_user
    from regencies.models import Role

    second_reviewer = make_user("pokja_kalteng_2", Role.PROVINCIAL_STAFF, province=bartim.province)
    update = builders.submitted(builders.milestone(bartim, 4), officer_bartim)
    barrier = threading.Barrier(2)
    outcomes = []

    def act(decide):
        from django.db import connections
        from django.utils import translation

        try:
            translation.activate("en")
            barrier.wait()
            decide(MilestoneUpdate.objects.get(pk=update.pk))
            outcomes.append("won")
        except services.ActionRefused as refused:
            outcomes.append(refused.message)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=act, args=(lambda u: services.approve_update(update=u, reviewer=pokja_kalteng),)),
        threading.Thread(
            target=act,
            args=(lambda u: services.return_update(update=u, reviewer=second_reviewer, reason="Kurang bukti."),),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert len(outcomes) == 2 and outcomes.count("won") == 1
    assert any("already decided" in outcome for outcome in outcomes)
    decisions = HistoryEntry.objects.filter(update=update, action__in=["approved", "returned"])
    assert decisions.count() == 1
    final = MilestoneUpdate.objects.get(pk=update.pk)
    assert final.status == decisions.get().to_status
