"""Reads for region pages; every one starts from the user's scope."""

import datetime
from dataclasses import dataclass

from django.db.models import Count

from regencies import scoping
from regencies.models import WorkingGroup, WorkingGroupMember


def provinces_for_home(user):
    return scoping.visible_provinces(user).annotate(regency_count=Count("regencies"))


def regencies_of_province(user, province):
    return scoping.visible_regencies(user).filter(province=province)


@dataclass(frozen=True)
class PokjaMember:
    name: str
    position: str  # the position's label
    title: str
    agency_name: str | None


@dataclass(frozen=True)
class PokjaCard:
    """What the Pokja sidebar shows of a working group and its members."""

    name: str
    decree_number: str
    decree_date: datetime.date | None
    members: list[PokjaMember]


def working_group_with_members(**region: object) -> PokjaCard | None:
    """The region's Pokja (the first by level and name) and its members, by position and name: one query
    (the group joined to its members and their agencies; a group without members is one row of NULLs)."""
    found = list(
        WorkingGroup.objects.filter(**region)
        .order_by("level", "name", "pk", "members__position", "members__name", "members__pk")
        .values(
            "pk",
            "name",
            "decree_number",
            "decree_date",
            "members__pk",
            "members__name",
            "members__position",
            "members__title",
            "members__agency__name",
        )
    )
    if not found:
        return None
    rows = [row for row in found if row["pk"] == found[0]["pk"]]  # the first group's rows only
    first = rows[0]
    return PokjaCard(
        name=first["name"],
        decree_number=first["decree_number"],
        decree_date=first["decree_date"],
        members=[
            PokjaMember(
                name=row["members__name"],
                position=str(WorkingGroupMember.Position(row["members__position"]).label),
                title=row["members__title"],
                agency_name=row["members__agency__name"],
            )
            for row in rows
            if row["members__pk"] is not None
        ],
    )
