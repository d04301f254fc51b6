from django.apps import AppConfig


class SskTrackerConfig(AppConfig):
    name = "ssk_tracker"

    def ready(self) -> None:
        from ssk_tracker.lib import kept_forms

        kept_forms.install()
