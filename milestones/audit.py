"""What the audit trail records (django-auditlog registrations) and where each change belongs.

Every model a user can change is registered here, each with the attribute paths to the regency and
the province it concerns (so that the trail can be filtered by region). ``NOT_AUDITED`` names the
models deliberately left out, with the reason; milestones/tests/audit/test_registry.py fails when a
model of the project is in neither, so a new model gets a decision.

Noise left out of every diff (``NOISE``): ``version`` (edit-conflict counters) and ``updated_at``, which
change on every save. A user's password hash is never recorded (only that it changed), nor last_login.
"""

from dataclasses import dataclass

from auditlog.registry import auditlog
from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.db import models


@dataclass(frozen=True)
class Regions:
    """Attribute paths ("a__b__regency") from an instance to its regency and its province; "self" for
    the region itself."""

    regency: str | None = None
    province: str | None = None


# "app_label.ModelName" → where it belongs. Keys rather than classes: this module is read at start-up.
AUDITED: dict[str, Regions] = {
    # regions and organisations
    "regencies.Province": Regions(province="self"),
    "regencies.Regency": Regions(regency="self", province="province"),
    "regencies.Balai": Regions(),
    "regencies.Agency": Regions(regency="regency", province="province"),
    "regencies.WorkingGroup": Regions(regency="regency", province="province"),
    "regencies.WorkingGroupMember": Regions(regency="working_group__regency", province="working_group__province"),
    "regencies.UserRole": Regions(regency="regency", province="province"),
    "auth.User": Regions(),
    # milestones, their updates, review and evidence
    "milestones.MilestoneDefinition": Regions(),
    "milestones.EvidenceRequirement": Regions(),
    "milestones.Cohort": Regions(regency="regency"),
    "milestones.Milestone": Regions(regency="regency"),
    "milestones.MilestoneUpdate": Regions(regency="milestone__regency"),
    "milestones.Evidence": Regions(regency="update__milestone__regency"),
    "milestones.EvidenceVerdict": Regions(regency="update__milestone__regency"),
    # coaching clinics and follow-up
    "milestones.CoachingClinic": Regions(province="province"),
    "milestones.ClinicParticipant": Regions(province="clinic__province"),
    "milestones.Recommendation": Regions(province="clinic__province"),
    "milestones.FollowUpAction": Regions(regency="regency", province="province"),
    "milestones.ActionEvidence": Regions(regency="action__regency", province="action__province"),
    "milestones.FollowUpClosing": Regions(regency="action__regency", province="action__province"),
    "milestones.ClosingProof": Regions(regency="closing__action__regency", province="closing__action__province"),
    # the Balai's DAK verification
    "milestones.DakReadiness": Regions(regency="budget_line__activity__regency"),
    "milestones.DakReadinessFile": Regions(regency="readiness__budget_line__activity__regency"),
    # SSK documents, QA, policy packages, monitoring
    "milestones.SSKDocument": Regions(regency="regency"),
    # a QA review is of an SSK document (its regency) or of a provincial roadmap (its province)
    "milestones.QualityReview": Regions(regency="document__regency", province="roadmap__province"),
    "milestones.QualityReviewItem": Regions(regency="review__document__regency", province="review__roadmap__province"),
    "milestones.PolicyPackage": Regions(regency="regency"),
    "milestones.PolicyItem": Regions(regency="package__regency"),
    "milestones.MonitoringRecord": Regions(regency="cohort__regency"),
    # planning, budgets, NAWASIS
    "milestones.ProgrammeActivity": Regions(regency="regency"),
    "milestones.PlanningIntegration": Regions(regency="activity__regency"),
    "milestones.BudgetLine": Regions(regency="activity__regency"),
    "milestones.RegionalBudget": Regions(regency="regency"),
    "milestones.NawasisSubmission": Regions(regency="regency"),
    # the service behind M3 and M4, kecamatan
    "regencies.Kecamatan": Regions(regency="regency"),
    "milestones.ServiceRecord": Regions(regency="regency"),
    "milestones.FullScaleThreshold": Regions(regency="regency"),
    "milestones.ServiceYearFigures": Regions(regency="monitoring__cohort__regency"),
    # outcome indicators
    "milestones.IndicatorDefinition": Regions(),
    "milestones.RegencyIndicator": Regions(regency="regency"),
    "milestones.IndicatorTarget": Regions(regency="indicator__regency"),
    "milestones.IndicatorActual": Regions(regency="indicator__regency"),
    # the province's own documents: its roadmap and policy package
    "milestones.ProvincialRoadmap": Regions(province="province"),
    "milestones.ProvincialPolicy": Regions(province="province"),
    # reports
    "reports.ReportSchedule": Regions(regency="regency", province="province"),
    "reports.ReportDelivery": Regions(regency="job__regency", province="province"),
}

# Many-to-many fields whose additions and removals are recorded too.
M2M_FIELDS: dict[str, set[str]] = {
    "regencies.Balai": {"provinces"},
    "milestones.CoachingClinic": {"regencies"},
    "milestones.MilestoneUpdate": {"requirements_met"},
    "milestones.ServiceRecord": {"kecamatan"},
    "milestones.ServiceYearFigures": {"kecamatan"},
}

NOISE = ["version", "updated_at"]

# Fields never recorded, per model (on top of the global noise in settings).
EXCLUDED_FIELDS: dict[str, list[str]] = {
    "auth.User": ["last_login"],  # every sign-in; not a change anyone made to the account
}

# Fields whose change is recorded but never their value: that a password was changed, not the hash.
MASKED_FIELDS: dict[str, list[str]] = {
    "auth.User": ["password"],
}
HIDDEN = "••••••"


def hidden_value(value: str) -> str:
    """auditlog's mask for ``MASKED_FIELDS`` (its default keeps half of the value)."""
    return HIDDEN


NOT_AUDITED: dict[str, str] = {
    "milestones.AuditEntry": "the trail itself",
    "milestones.HistoryEntry": "the milestone history, itself a trail of milestone changes",
    "milestones.Blob": "a stored file's bytes; the row that attaches it (evidence, document) is recorded",
    "milestones.ReminderDigest": "the reminder run's bookkeeping, no user changes it",
    "milestones.UsedFormToken": "the double-submit guard's bookkeeping; the row the form created is recorded",
    "milestones.OutboxMessage": "the dispatcher's bookkeeping of what was sent; the change that caused it is recorded",
    "regencies.RegionShape": "map outlines loaded from the boundary files by load_boundaries, no user changes them",
    "milestones.ReviewStep": "the shared review workflow's history, itself a trail of submissions and decisions",
    "milestones.Notice": "an in-app copy of what the outbox e-mails; the change that caused it is recorded",
    "reports.ReportJob": "a worker's job row (claims, attempts); the request and its delivery are recorded",
    "regencies.ApiToken": "an API key's hash, a secret; the row itself records its creation, last use and revocation",
}


def register_models() -> None:
    """Connect auditlog to every model in ``AUDITED`` (MilestonesConfig.ready)."""
    for label in AUDITED:
        model = apps.get_model(label)
        if not auditlog.contains(model):
            auditlog.register(
                model,
                exclude_fields=NOISE + EXCLUDED_FIELDS.get(label, []),
                m2m_fields=M2M_FIELDS.get(label, set()),
                mask_fields=MASKED_FIELDS.get(label, []),
                mask_callable="milestones.audit.hidden_value",
            )


def _follow(instance: models.Model, path: str) -> models.Model | None:
    obj: models.Model | None = instance
    for step in path.split("__"):
        if obj is None:
            return None
        obj = getattr(obj, step)
    return obj


def _code(instance: models.Model, path: str | None) -> str | None:
    """The primary key the path ends at, reading the last foreign key's id without loading its row."""
    if path is None:
        return None
    if path == "self":
        return str(instance.pk)
    *steps, last = path.split("__")
    try:
        owner = _follow(instance, "__".join(steps)) if steps else instance
    except ObjectDoesNotExist:  # a parent deleted in the same cascade
        return None
    value = getattr(owner, f"{last}_id", None) if owner is not None else None
    return None if value is None else str(value)


def region_parents(model: type[models.Model]) -> list[str]:
    """The related rows to load with ``instance`` to find its regions (for ``prefetch_related_objects``)."""
    regions = AUDITED.get(model._meta.label)
    if regions is None:
        return []
    paths = (path for path in (regions.regency, regions.province) if path and path != "self")
    return sorted({path.rsplit("__", 1)[0] for path in paths if "__" in path})


def regions_of(instance: models.Model) -> tuple[str | None, str | None]:
    """(regency code, province code) a change of ``instance`` concerns; the province follows from the
    regency when the model has no province of its own (a regency's code starts with its province's)."""
    regions = AUDITED.get(instance._meta.label)
    if regions is None:
        return None, None
    regency = _code(instance, regions.regency)
    province = _code(instance, regions.province)
    if province is None and regency is not None:
        province = regency.split(".", 1)[0]
    return regency, province
