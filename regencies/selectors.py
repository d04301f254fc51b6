"""Reads for region pages; every one starts from the user's scope."""

from django.db.models import Count, Prefetch

from regencies import scoping
from regencies.models import Balai, WorkingGroup, WorkingGroupMember


def provinces_for_home(user):
    return scoping.visible_provinces(user).annotate(regency_count=Count("regencies"))


def regencies_of_province(user, province):
    return scoping.visible_regencies(user).filter(province=province)


def working_group_with_members(**region):
    members = WorkingGroupMember.objects.select_related("agency")
    return WorkingGroup.objects.prefetch_related(Prefetch("members", queryset=members)).filter(**region).first()


def balai_of_province(province):
    return list(Balai.objects.filter(provinces=province))
