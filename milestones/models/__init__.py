from milestones.models.activities import (
    BudgetLine,
    FundingSource,
    NawasisSubmission,
    PlanningDocument,
    PlanningIntegration,
    ProgrammeActivity,
    RegionalBudget,
    ReminderDigest,
    Subsector,
)
from milestones.models.clinics import ActionEvidence, ClinicParticipant, CoachingClinic, FollowUpAction, Recommendation
from milestones.models.documents import QualityReview, QualityReviewItem, SSKDocument
from milestones.models.files import Blob
from milestones.models.milestones import (
    Cohort,
    EvidenceRequirement,
    Milestone,
    MilestoneDefinition,
    MonitoringRecord,
)
from milestones.models.policy import PolicyItem, PolicyPackage
from milestones.models.updates import Evidence, HistoryEntry, MilestoneUpdate

__all__ = [
    "ActionEvidence",
    "BudgetLine",
    "ClinicParticipant",
    "CoachingClinic",
    "FollowUpAction",
    "FundingSource",
    "NawasisSubmission",
    "PlanningDocument",
    "PlanningIntegration",
    "ProgrammeActivity",
    "Recommendation",
    "RegionalBudget",
    "ReminderDigest",
    "Subsector",
    "Blob",
    "Cohort",
    "Evidence",
    "EvidenceRequirement",
    "HistoryEntry",
    "Milestone",
    "MilestoneDefinition",
    "MilestoneUpdate",
    "MonitoringRecord",
    "PolicyItem",
    "PolicyPackage",
    "QualityReview",
    "QualityReviewItem",
    "SSKDocument",
]
