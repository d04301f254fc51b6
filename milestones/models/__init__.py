"""Every model of the app, re-exported so that ``from milestones.models import X`` keeps working."""

from milestones.models.audit import AuditEntry
from milestones.models.clinics import ActionEvidence, ClinicParticipant, CoachingClinic, FollowUpAction, Recommendation
from milestones.models.closings import ClosingProof, FollowUpClosing
from milestones.models.dak import DakReadiness, DakReadinessFile
from milestones.models.documents import (
    MonitoringRecord,
    PolicyItem,
    PolicyPackage,
    QualityReview,
    QualityReviewItem,
    SSKDocument,
)
from milestones.models.edits import UsedFormToken
from milestones.models.files import Blob
from milestones.models.indicators import IndicatorActual, IndicatorDefinition, IndicatorTarget, RegencyIndicator
from milestones.models.milestones import (
    Cohort,
    Evidence,
    EvidenceRequirement,
    EvidenceVerdict,
    HistoryEntry,
    Milestone,
    MilestoneDefinition,
    MilestoneStatus,
    MilestoneUpdate,
)
from milestones.models.nawasis import NawasisSubmission
from milestones.models.notices import Notice
from milestones.models.outbox import OutboxMessage
from milestones.models.planning import (
    MONEY,
    BudgetLine,
    FundingSource,
    PlanningDocument,
    PlanningIntegration,
    ProgrammeActivity,
    RegionalBudget,
    Subsector,
)
from milestones.models.reminders import ReminderDigest
from milestones.models.review import Reviewed, ReviewState, ReviewStep
from milestones.models.roadmaps import ProvincialPolicy, ProvincialRoadmap
from milestones.models.service_records import (
    FullScaleThreshold,
    OperatorKind,
    ServiceKind,
    ServiceRecord,
    ServiceYearFigures,
)

__all__ = [
    "MONEY",
    "ActionEvidence",
    "AuditEntry",
    "Blob",
    "BudgetLine",
    "ClinicParticipant",
    "ClosingProof",
    "CoachingClinic",
    "Cohort",
    "DakReadiness",
    "DakReadinessFile",
    "Evidence",
    "EvidenceRequirement",
    "EvidenceVerdict",
    "FollowUpAction",
    "FollowUpClosing",
    "FullScaleThreshold",
    "FundingSource",
    "HistoryEntry",
    "IndicatorActual",
    "IndicatorDefinition",
    "IndicatorTarget",
    "Milestone",
    "MilestoneDefinition",
    "MilestoneStatus",
    "MilestoneUpdate",
    "MonitoringRecord",
    "NawasisSubmission",
    "OperatorKind",
    "Notice",
    "OutboxMessage",
    "PlanningDocument",
    "PlanningIntegration",
    "PolicyItem",
    "PolicyPackage",
    "RegencyIndicator",
    "ProgrammeActivity",
    "ProvincialPolicy",
    "ProvincialRoadmap",
    "QualityReview",
    "QualityReviewItem",
    "Recommendation",
    "RegionalBudget",
    "ReminderDigest",
    "ReviewState",
    "ReviewStep",
    "Reviewed",
    "SSKDocument",
    "ServiceKind",
    "ServiceRecord",
    "ServiceYearFigures",
    "Subsector",
    "UsedFormToken",
]
