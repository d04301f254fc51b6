from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MilestonesConfig(AppConfig):
    name = "milestones"
    verbose_name = _("SSK milestones")

    def ready(self) -> None:
        from milestones.audit import register_models

        register_models()
