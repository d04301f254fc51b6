from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegenciesConfig(AppConfig):
    name = "regencies"
    verbose_name = _("Regions and organisations")
