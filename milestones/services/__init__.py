"""Writes: each function one transaction, keyword-only, refusing with ActionRefused when the act no longer applies.

One module per feature: milestones, documents, clinics, planning, nawasis, reminders.
"""


class ActionRefused(Exception):
    """The act no longer makes sense (someone else acted first, the milestone is locked, …)."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)
