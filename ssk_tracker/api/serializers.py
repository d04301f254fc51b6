"""What the API answers: stable English field names, descriptions (help_text) in the user's language."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from milestones.models import Milestone
from regencies.models import Province, Regency


class ProvinceSerializer(serializers.ModelSerializer[Province]):
    code = serializers.CharField(help_text=_("Kemendagri province code, two digits (e.g. 62)."))
    name = serializers.CharField(help_text=_("Province name."))

    class Meta:
        model = Province
        fields = ["code", "name", "population", "area_km2"]


class RegencySerializer(serializers.ModelSerializer[Regency]):
    code = serializers.CharField(help_text=_("Kemendagri regency code, PP.KK (e.g. 62.13)."))
    name = serializers.CharField(help_text=_("Regency or city name."))
    province = serializers.CharField(source="province_id", help_text=_("The province's code."))
    kind = serializers.ChoiceField(choices=Regency.Kind.choices, help_text=_("kabupaten (regency) or kota (city)."))

    class Meta:
        model = Regency
        fields = ["code", "name", "province", "kind", "population", "area_km2"]


class MilestoneSerializer(serializers.ModelSerializer[Milestone]):
    regency = serializers.CharField(source="regency_id", help_text=_("The regency's code."))
    number = serializers.IntegerField(
        source="definition.number", help_text=_("The milestone's number, 1 to 4 (M1–M4).")
    )
    name = serializers.CharField(source="definition.name", help_text=_("The milestone's name."))
    cohort_year = serializers.IntegerField(source="cohort.year_m1_m3", help_text=_("The cohort's year of M1–M3."))
    status = serializers.ChoiceField(choices=Milestone.Status.choices, help_text=_("The milestone's status."))
    progress = serializers.IntegerField(help_text=_("Progress in percent, 0 to 100."))
    planned_date = serializers.DateField(allow_null=True, help_text=_("Planned date."))
    actual_date = serializers.DateField(allow_null=True, help_text=_("Actual date of completion."))
    updated_at = serializers.DateTimeField(help_text=_("When the milestone last changed."))

    class Meta:
        model = Milestone
        fields = [
            "id",
            "regency",
            "number",
            "name",
            "cohort_year",
            "status",
            "progress",
            "planned_date",
            "actual_date",
            "updated_at",
        ]
