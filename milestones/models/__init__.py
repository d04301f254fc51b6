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
