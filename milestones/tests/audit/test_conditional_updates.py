"""The services' race-safe ``filter(…).update(…)`` claims fire no model signal: each records its entry
through ssk_tracker.lib.audit.update, field by field, with the actor and page of the request."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from milestones.models import AuditEntry, FollowUpAction
from milestones.tests import clinic_builders as build
from regencies.models import Balai
from reports import deliveries
from reports.models import ReportSchedule
from reports.tests.builders import done_report

pytestmark = pytest.mark.django_db


def entries_for(instance):
    content_type = ContentType.objects.get_for_model(instance)
    return AuditEntry.objects.filter(content_type=content_type, object_pk=str(instance.pk))


def test_a_follow_up_status_change_on_the_page_is_recorded(client_as, kalteng, bartim, mura, pokja_kalteng):
    clinic = build.clinic(kalteng, pokja_kalteng, regencies=[bartim, mura])
    action = build.action(clinic, pokja_kalteng, owner=bartim)
    url = reverse("follow_up_status", args=[action.pk])

    client_as("officer_bartim").post(url, {"status": FollowUpAction.Status.IN_PROGRESS})

    entry = entries_for(action).filter(action=AuditEntry.Action.UPDATE).get()
    assert entry.changes == {"status": ["open", "in_progress"]}
    assert entry.actor.username == "officer_bartim"
    assert entry.source == f"POST {url} (follow_up_status)"
    assert (entry.regency_id, entry.province_id) == ("62.13", "62")


def test_a_lost_claim_records_nothing(kalteng, bartim, mura, pokja_kalteng):
    from milestones.services import clinics as services

    clinic = build.clinic(kalteng, pokja_kalteng, regencies=[bartim, mura])
    action = build.action(clinic, pokja_kalteng, owner=bartim)
    services.start_action(action=action, actor=pokja_kalteng)
    stale = FollowUpAction.objects.get(pk=action.pk)
    stale.status = FollowUpAction.Status.OPEN  # what a second browser tab still shows
    with pytest.raises(services.ActionRefused):
        services.start_action(action=stale, actor=pokja_kalteng)
    assert entries_for(action).filter(action=AuditEntry.Action.UPDATE).count() == 1


def test_a_delivery_acknowledgement_is_recorded(bartim, officer_bartim, balai_kalteng):
    job = done_report(audience="regency", regency=bartim)
    delivery = deliveries.send_report(job=job, recipients=[f"balai:{Balai.objects.get().pk}"], sent_by=officer_bartim)[
        0
    ]

    assert deliveries.acknowledge(delivery=delivery, user=balai_kalteng)

    entry = entries_for(delivery).filter(action=AuditEntry.Action.UPDATE, changes__has_key="acknowledged_at").get()
    assert entry.changes["acknowledged_by"] == ["None", str(balai_kalteng.pk)]
    assert entry.changes["acknowledged_at"][0] == "None"
    assert entry.regency_id == "62.13"


def test_pausing_a_schedule_on_the_page_is_recorded(client_as, kalteng):
    schedule = ReportSchedule.objects.create(
        name="Laporan Kalteng", audience="provincial", province=kalteng, day_of_month=15, recipients="a@b.go.id"
    )
    url = reverse("schedule_pause", args=[schedule.pk])
    client_as("pokja_kalteng").post(url)

    entry = entries_for(schedule).filter(action=AuditEntry.Action.UPDATE).get()
    assert entry.changes == {"active": ["True", "False"]}
    assert entry.source.startswith(f"POST {url} ")
    assert entry.province_id == "62"


def test_bulk_created_rows_are_recorded_one_by_one(kalteng, bartim, mura, pokja_kalteng):
    clinic = build.clinic(kalteng, pokja_kalteng, regencies=[bartim, mura])
    action = build.action(clinic, pokja_kalteng, owner=bartim)  # created with bulk_create
    created = entries_for(action).get(action=AuditEntry.Action.CREATE)
    assert created.changes["description"][1] == action.description
    assert created.regency_id == "62.13"


def test_a_package_saved_with_items_changed_and_removed_records_each(bartim, officer_bartim):
    from milestones.models import PolicyItem
    from milestones.services import documents as services
    from milestones.tests import document_builders as documents

    package = documents.package(bartim, officer_bartim, kinds=["regulation", "institution"])
    kept, removed = package.items.order_by("pk")
    entries = [
        services.PolicyItemInput(kept.kind, "Perbup pengelolaan air limbah", pk=kept.pk),
        services.PolicyItemInput(removed.kind, removed.description, pk=removed.pk, delete=True),
    ]
    services.save_policy_package(
        regency=bartim, actor=officer_bartim, package=package, title="Paket", status="draft", items=entries
    )

    changed = entries_for(kept).get(action=AuditEntry.Action.UPDATE)  # bulk_update
    assert changed.changes["description"] == ["Item regulation", "Perbup pengelolaan air limbah"]
    gone = entries_for(removed).get(action=AuditEntry.Action.DELETE)  # a queryset delete
    assert gone.changes["description"] == ["Item institution", "None"]
    assert (gone.regency_id, changed.regency_id) == ("62.13", "62.13")
    assert not PolicyItem.objects.filter(pk=removed.pk).exists()
