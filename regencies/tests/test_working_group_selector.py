"""``working_group_and_members``: the Pokja and its members as ``working_group_with_members`` gives them,
in one query."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from regencies import selectors
from regencies.models import Agency, WorkingGroup, WorkingGroupMember


def shown(group: WorkingGroup | None) -> object:
    """What the Pokja card shows of a Pokja (regencies/includes/working_group.html)."""
    if group is None:
        return None
    return (
        group.pk,
        group.name,
        group.decree_number,
        group.decree_date,
        [
            (m.pk, m.name, m.get_position_display(), m.title, m.agency.name if m.agency else None, m.working_group_id)
            for m in group.members.all()
        ],
    )


def one_query(**region: object) -> WorkingGroup | None:
    with CaptureQueriesContext(connection) as queries:
        group = selectors.working_group_and_members(**region)
        shown(group)
    assert len(queries) == 1
    return group


def test_the_same_pokja_and_members_in_one_query(kalteng, bartim, mura):
    pokja = WorkingGroup.objects.create(
        level="provincial", variant="PPAS", name="Pokja PPAS Kalimantan Tengah", province=kalteng, decree_number="7"
    )
    bappeda = Agency.objects.create(name="Bappeda Kalimantan Tengah", province=kalteng)
    WorkingGroupMember.objects.create(working_group=pokja, name="Sekretaris", position="secretary", agency=bappeda)
    WorkingGroupMember.objects.create(working_group=pokja, name="Budi", position="member", title="Kabid")
    WorkingGroupMember.objects.create(working_group=pokja, name="Ani", position="member")
    WorkingGroupMember.objects.create(working_group=pokja, name="Ketua", position="chair", agency=bappeda)
    # A Pokja without members, and a region without a Pokja.
    WorkingGroup.objects.create(level="regency", variant="PKP", name="Pokja PKP Barito Timur", regency=bartim)

    for region in (
        {"level": "provincial", "province": kalteng},
        {"level": "regency", "regency": bartim},
        {"regency": mura},
    ):
        assert shown(one_query(**region)) == shown(selectors.working_group_with_members(**region))
    assert [m.name for m in one_query(province=kalteng).members.all()] == [
        "Ketua",
        "Ani",
        "Budi",
        "Sekretaris",
    ]  # by position, then name
    assert one_query(regency=bartim).members.all()[:] == []
    assert one_query(regency=mura) is None
