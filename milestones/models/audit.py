"""The audit trail: one row per change of a registered model (django-auditlog's LogEntry, extended).

django-auditlog writes these rows (``AUDITLOG_LOGENTRY_MODEL``); the registrations are in
milestones/audit.py. Two columns beyond auditlog's own, so that the trail can be filtered with an
index rather than by reading JSON: ``source`` (the page or command the change came from) and the
regency/province it concerns. The region columns keep no database constraint: the trail outlives the
rows it describes, and a deleted regency must not take its history with it.
"""

from auditlog.models import AbstractLogEntry, LogEntryManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from regencies.models import Province, Regency


class AuditEntryManager(LogEntryManager):
    def regions_of(self, instance: models.Model) -> tuple[str | None, str | None]:
        """The codes of the regency and the province a change of ``instance`` concerns."""
        from milestones.audit import regions_of

        return regions_of(instance)

    def region_parents(self, model: type[models.Model]) -> list[str]:
        from milestones.audit import region_parents

        return region_parents(model)

    def log_create(self, instance, force_log=False, **kwargs):
        # Every entry auditlog's receivers write passes here.
        if "regency_id" not in kwargs and "province_id" not in kwargs:
            kwargs["regency_id"], kwargs["province_id"] = self.regions_of(instance)
        return super().log_create(instance, force_log=force_log, **kwargs)


class AuditEntry(AbstractLogEntry):
    source = models.CharField(_("source"), max_length=300, blank=True, default="")
    regency = models.ForeignKey(
        Regency,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("regency"),
    )
    province = models.ForeignKey(
        Province,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )

    objects = AuditEntryManager()

    class Meta(AbstractLogEntry.Meta):
        ordering = ["-timestamp", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        # The browse page filters by one of these and shows the newest first.
        indexes = [
            models.Index(fields=["regency", "-timestamp"], name="audit_regency_time"),
            models.Index(fields=["province", "-timestamp"], name="audit_province_time"),
            models.Index(fields=["actor", "-timestamp"], name="audit_actor_time"),
            models.Index(fields=["content_type", "-timestamp"], name="audit_model_time"),
        ]
