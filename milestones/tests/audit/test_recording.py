"""What the trail records: who, when, what field by field, and from which page or command."""

from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from milestones.models import AuditEntry, MilestoneUpdate, NawasisSubmission
from milestones.tests.builders import milestone, submitted
from regencies.models import Regency

pytestmark = pytest.mark.django_db


def entries_for(model, **lookup):
    return AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(model), **lookup)


@pytest.fixture
def waiting(bartim, officer_bartim):
    return submitted(milestone(bartim), officer_bartim, progress=40)


def test_a_return_through_the_page_records_who_what_and_the_page(client_as, waiting, pokja_kalteng):
    url = reverse("update_return", args=[waiting.pk])
    client_as("pokja_kalteng").post(url, {"reason": "Tambahkan data cakupan."})

    entry = entries_for(MilestoneUpdate, object_id=waiting.pk, action=AuditEntry.Action.UPDATE).first()
    assert entry.actor == pokja_kalteng
    assert entry.changes["status"] == ["submitted", "returned"]
    assert entry.source == f"POST {url} (update_return)"
    assert (entry.regency_id, entry.province_id) == ("62.13", "62")
    assert entry.timestamp is not None


def test_an_approval_records_the_decision_and_the_milestone(waiting, pokja_kalteng):
    from milestones.services import milestones as services

    services.approve_update(update=waiting, reviewer=pokja_kalteng, comment="Lengkap.")

    decided = entries_for(MilestoneUpdate, object_id=waiting.pk).first()
    assert decided.changes["status"] == ["submitted", "approved"]
    assert decided.changes["decided_by"] == ["None", str(pokja_kalteng.pk)]
    assert decided.regency_id == "62.13"


def test_a_command_names_itself_as_the_source(empty_db):
    from regencies.models import Province

    started = timezone.now()
    call_command("load_regions", "regencies/fixtures/kalimantan_tengah.csv", stdout=StringIO())

    by_command = {"source": "manage.py load_regions", "timestamp__gte": started}
    entry = entries_for(Province, object_pk="62", **by_command).get()
    assert (entry.action, entry.actor, entry.province_id) == (AuditEntry.Action.CREATE, None, "62")
    assert entry.changes["name"] == ["None", "Kalimantan Tengah"]
    # bulk-created, recorded one by one
    assert entries_for(Regency, province_id="62", action=AuditEntry.Action.CREATE, **by_command).count() == 14


def test_every_project_command_records_its_name():
    """A new management command must subclass AuditedCommand, or its changes would name no source."""
    from django.core.management import get_commands, load_command_class

    from ssk_tracker.lib.audit import AuditedCommand

    ours = {name: app for name, app in get_commands().items() if app in {"milestones", "regencies", "reports"}}
    assert ours
    for name, app in ours.items():
        assert isinstance(load_command_class(app, name), AuditedCommand), name


def test_a_change_outside_a_request_or_command_has_no_source(bartim, officer_bartim):
    record = NawasisSubmission.objects.create(
        regency=bartim, module="ssk", submitted_on="2026-01-10", completeness=50, recorded_by=officer_bartim
    )
    entry = entries_for(NawasisSubmission, object_id=record.pk).get()
    assert (entry.source, entry.actor, entry.regency_id) == ("", None, "62.13")


def test_a_users_password_and_last_login_are_never_recorded(client, officer_bartim):
    from django.contrib.auth import get_user_model

    officer_bartim.set_password("rahasia-baru-2026")
    officer_bartim.first_name = "Budi"
    officer_bartim.save()
    # Signing in through the page (django-axes wants the request) sets last_login.
    signed_in = client.post(reverse("login"), {"username": "officer_bartim", "password": "rahasia-baru-2026"})
    assert signed_in.status_code == 302

    from milestones.audit import HIDDEN

    recorded = entries_for(get_user_model(), object_id=officer_bartim.pk, action=AuditEntry.Action.UPDATE)
    # that the password changed, without the hash; the sign-in's last_login is not a change
    assert [e.changes for e in recorded] == [{"first_name": ["Officer_Bartim", "Budi"], "password": [HIDDEN, HIDDEN]}]
    hashes = [officer_bartim.password, officer_bartim.password.split("$")[-1]]
    stored = [str(e.changes) + str(e.serialized_data) + e.changes_text for e in AuditEntry.objects.all()]
    assert not [text for text in stored for secret in hashes if secret in text]


def test_version_and_updated_at_are_not_in_the_diffs(waiting):
    from milestones.audit import NOISE

    assert all(not set(NOISE) & set(e.changes or {}) for e in AuditEntry.objects.all())
