"""Reads for region pages; every one starts from the user's scope."""

from django.db.models import Count, F, Prefetch

from regencies import scoping
from regencies.models import Agency, Balai, WorkingGroup, WorkingGroupMember


def provinces_for_home(user):
    return scoping.visible_provinces(user).annotate(regency_count=Count("regencies"))


def regencies_of_province(user, province):
    return scoping.visible_regencies(user).filter(province=province)


def working_group_with_members(**region):
    members = WorkingGroupMember.objects.select_related("agency")
    return WorkingGroup.objects.prefetch_related(Prefetch("members", queryset=members)).filter(**region).first()


_GROUP_FIELDS = [field.attname for field in WorkingGroup._meta.concrete_fields]
_MEMBER_FIELDS = [field.attname for field in WorkingGroupMember._meta.concrete_fields]
_AGENCY_FIELDS = [field.attname for field in Agency._meta.concrete_fields]


def working_group_and_members(**region) -> WorkingGroup | None:
    """``working_group_with_members(**region)`` in one query instead of two, for a region with one Pokja
    at most (a province or a regency: a constraint): the Pokja's row joined to each of its members and
    their agency (a Pokja without members is one row with none); ``members.all`` reads no more."""
    rows = list(
        WorkingGroup.objects.filter(**region)
        .order_by("members__position", "members__name", "members__pk")  # WorkingGroupMember's ordering
        .values(
            *_GROUP_FIELDS,
            **{f"m_{name}": F(f"members__{name}") for name in _MEMBER_FIELDS},
            **{f"a_{name}": F(f"members__agency__{name}") for name in _AGENCY_FIELDS},
        )
    )
    if not rows:
        return None
    db = WorkingGroup.objects.db
    group = WorkingGroup.from_db(db, _GROUP_FIELDS, [rows[0][name] for name in _GROUP_FIELDS])
    members = []
    for row in rows:
        if row["m_id"] is None:
            continue
        member = WorkingGroupMember.from_db(db, _MEMBER_FIELDS, [row[f"m_{name}"] for name in _MEMBER_FIELDS])
        member.agency = (
            Agency.from_db(db, _AGENCY_FIELDS, [row[f"a_{name}"] for name in _AGENCY_FIELDS])
            if member.agency_id is not None
            else None
        )
        member.working_group = group
        members.append(member)
    # What prefetch_related("members") leaves on the instance: members.all() then answers from the list.
    cached = group.members.all()
    cached._result_cache = members
    cached._prefetch_done = True  # type: ignore[attr-defined]  # QuerySet's, undeclared in the stubs
    group._prefetched_objects_cache = {"members": cached}  # type: ignore[attr-defined]  # as prefetch sets it
    return group


def balai_of_province(province):
    return list(Balai.objects.filter(provinces=province))
