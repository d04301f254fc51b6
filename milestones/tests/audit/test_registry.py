"""Every model of the project is either in the audit trail or left out with a stated reason."""

from auditlog.registry import auditlog
from django.apps import apps

from milestones.audit import AUDITED, NOT_AUDITED, regions_of
from milestones.models import Milestone, MilestoneUpdate
from regencies.models import Regency, WorkingGroup

PROJECT_APPS = {"milestones", "regencies", "reports", "ssk_tracker"}


def test_every_project_model_is_audited_or_excluded_with_a_reason():
    labels = {model._meta.label for model in apps.get_models() if model._meta.app_label in PROJECT_APPS}
    undecided = labels - set(AUDITED) - set(NOT_AUDITED)
    assert not undecided, f"add these to milestones/audit.py AUDITED or NOT_AUDITED: {sorted(undecided)}"
    assert not set(AUDITED) & set(NOT_AUDITED)


def test_the_audited_models_are_registered_with_auditlog():
    for label in AUDITED:
        assert auditlog.contains(apps.get_model(label)), label
    assert auditlog.contains(apps.get_model("auth.User"))


def test_the_noise_fields_are_excluded_everywhere():
    for label in AUDITED:
        excluded = auditlog.get_model_fields(apps.get_model(label))["exclude_fields"]
        assert {"version", "updated_at"} <= set(excluded), label


def test_a_change_belongs_to_its_regency_and_province():
    regency = Regency(code="62.13", province_id="62")
    milestone = Milestone(regency=regency)
    assert regions_of(MilestoneUpdate(milestone=milestone)) == ("62.13", "62")
    assert regions_of(regency) == ("62.13", "62")
    assert regions_of(WorkingGroup(province_id="63")) == (None, "63")
