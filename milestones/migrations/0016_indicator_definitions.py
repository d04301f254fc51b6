"""The outcome indicators, as data (names in English, shown translated; administrators may add more)."""

from django.db import migrations

DEFINITIONS = [
    ("akses_layak", "Households with access to proper sanitation", 1),
    ("akses_aman", "Households with access to safely managed sanitation", 2),
    ("odf", "Open-defecation-free villages of all villages", 3),
    ("sampah_tertangani", "Household waste handled", 4),
]


def create(apps, schema_editor):
    Definition = apps.get_model("milestones", "IndicatorDefinition")
    for code, name, order in DEFINITIONS:
        Definition.objects.get_or_create(
            code=code, defaults={"name": name, "unit": "%", "higher_is_better": True, "order": order}
        )


def remove(apps, schema_editor):
    apps.get_model("milestones", "IndicatorDefinition").objects.filter(code__in=[d[0] for d in DEFINITIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("milestones", "0015_outcome_indicators")]
    operations = [migrations.RunPython(create, remove)]
