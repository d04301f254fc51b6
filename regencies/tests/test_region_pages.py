"""Every region page for every persona: in scope 200, outside 404, signed out → login."""

import pytest
from django.urls import reverse

KALTENG_WIDE = {
    "province:62": 200,
    "province:63": 404,
    "regency:62.13": 200,
    "regency:62.12": 200,
    "regency:63.01": 404,
}
EVERYWHERE = dict.fromkeys(KALTENG_WIDE, 200)
NOWHERE = dict.fromkeys(KALTENG_WIDE, 404)

EXPECTED = {
    "national": EVERYWHERE,
    "administrator": EVERYWHERE,
    "pokja_kalteng": KALTENG_WIDE,
    "balai_kalteng": KALTENG_WIDE,
    "coordinator_kalteng": KALTENG_WIDE,
    "pokja_kalsel": {**NOWHERE, "province:63": 200, "regency:63.01": 200},
    "officer_bartim": {**NOWHERE, "regency:62.13": 200},
    "officer_mura": {**NOWHERE, "regency:62.12": 200},
    "nobody": NOWHERE,
}
CASES = [(persona, page, status) for persona, pages in EXPECTED.items() for page, status in pages.items()]


def url(page):
    name, code = page.split(":")
    return reverse(name, args=[code])


@pytest.mark.parametrize(("persona", "page", "status"), CASES)
def test_region_page_access(client_as, kalsel, persona, page, status):
    assert client_as(persona).get(url(page)).status_code == status


@pytest.mark.parametrize("page", list(KALTENG_WIDE))
def test_signed_out_visitors_are_sent_to_login(client, kalteng, kalsel, page):
    response = client.get(url(page))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_404_does_not_reveal_the_regency(client_as, bartim, mura):
    response = client_as("officer_bartim").get(url("regency:62.12"))
    assert response.status_code == 404
    assert "Murung Raya" not in response.content.decode()


def test_regency_page_shows_its_pokja(client_as, bartim):
    from regencies.models import WorkingGroup, WorkingGroupMember

    pokja = WorkingGroup.objects.create(level="regency", variant="PKP", name="Pokja PKP Barito Timur", regency=bartim)
    WorkingGroupMember.objects.create(working_group=pokja, name="Kepala Bappeda", position="secretary")
    html = client_as("officer_bartim").get(url("regency:62.13")).content.decode()
    assert "Pokja PKP Barito Timur" in html
    assert "Kepala Bappeda" in html


def test_the_pokja_card_lists_members_by_position_and_name_in_one_query(bartim, mura, django_assert_num_queries):
    from django.utils import translation

    from regencies.models import Agency, WorkingGroup, WorkingGroupMember
    from regencies.selectors import PokjaMember, working_group_with_members

    pokja = WorkingGroup.objects.create(
        level="regency", variant="PKP", name="Pokja PKP Barito Timur", regency=bartim, decree_number="050/12"
    )
    bappeda = Agency.objects.create(name="Bappeda Barito Timur", regency=bartim)
    WorkingGroupMember.objects.create(working_group=pokja, name="Budi", position="member")
    WorkingGroupMember.objects.create(working_group=pokja, name="Ani", position="member", title="Kabid", agency=bappeda)
    WorkingGroupMember.objects.create(working_group=pokja, name="Citra", position="chair")
    WorkingGroup.objects.create(level="regency", variant="PKP", name="Pokja PKP Murung Raya", regency=mura)
    with translation.override("id"), django_assert_num_queries(1):
        card = working_group_with_members(level="regency", regency=bartim)
    assert card is not None and (card.name, card.decree_number) == ("Pokja PKP Barito Timur", "050/12")
    assert card.members == [
        PokjaMember("Citra", "Ketua", "", None),
        PokjaMember("Ani", "Anggota", "Kabid", "Bappeda Barito Timur"),
        PokjaMember("Budi", "Anggota", "", None),
    ]
    with django_assert_num_queries(1):
        empty = working_group_with_members(level="regency", regency=mura)
    assert empty is not None and empty.name == "Pokja PKP Murung Raya" and empty.members == []
    assert working_group_with_members(level="provincial", province="63") is None


def test_province_page_lists_its_regencies(client_as, kalteng, balai):
    html = client_as("pokja_kalteng").get(url("province:62")).content.decode()
    assert html.count("/kabkota/62.") == 14
    assert "Balai Prasarana Permukiman Wilayah Kalimantan Tengah" in html


def test_province_page_query_count_does_not_grow_with_regencies(client_as, kalteng, django_assert_max_num_queries):
    from regencies.models import Regency

    client = client_as("national")
    # 16, and 6 for the report deliveries: the section's regencies, deliveries and Balai (twice: the
    # regencies' reports and the province's own), and the navigation's inbox badge; 2 for the outcome
    # indicators' ranking (the definitions, the verified actuals); 1 for the province's roadmap and policy package.
    with django_assert_max_num_queries(25) as before:
        client.get(url("province:62"))
    Regency.objects.bulk_create(
        Regency(code=f"62.{n}", province=kalteng, name=f"Kabupaten Uji {n}", kind="kabupaten") for n in range(30, 60)
    )
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(url("province:62"))
