"""Kecamatan entry: one name per line, renames keep links, bad input is refused with nothing half-saved."""

import pytest
from django.urls import reverse
from django.utils import translation

from milestones.services import service_records as services
from milestones.tests import service_builders as sb
from regencies.models import Kecamatan


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def names(regency):
    return list(regency.kecamatan.order_by("name").values_list("name", flat=True))


def test_names_are_added_one_per_line_with_spaces_tidied(bartim, pokja_kalteng):
    changes = services.set_kecamatan(regency=bartim, actor=pokja_kalteng, text="Dusun  Timur\n\n  Awang \r\nPaku")
    assert names(bartim) == ["Awang", "Dusun Timur", "Paku"]
    assert changes.added == ["Dusun Timur", "Awang", "Paku"]


def test_a_rename_keeps_the_kecamatan_and_its_service_links(bartim, pokja_kalteng):
    record = sb.service(bartim)
    awang = Kecamatan.objects.get(regency=bartim, name="Awang")
    text = "\n".join(n if n != "Awang" else "Awang -> Awang Raya" for n in names(bartim))
    services.set_kecamatan(regency=bartim, actor=pokja_kalteng, text=text)
    awang.refresh_from_db()
    assert awang.name == "Awang Raya"
    assert awang in record.kecamatan.all()
    assert record.kecamatan.count() == 5


def test_a_name_listed_twice_is_refused_and_nothing_is_saved(bartim, pokja_kalteng):
    sb.kecamatan(bartim, ["Awang"])
    with pytest.raises(services.ActionRefused, match="“paku” is listed twice"):
        services.set_kecamatan(regency=bartim, actor=pokja_kalteng, text="Awang\nPaku\nDusun Timur\npaku")
    assert names(bartim) == ["Awang"]


def test_a_covered_kecamatan_cannot_be_removed_and_nothing_else_changes(bartim, pokja_kalteng):
    sb.service(bartim, covered=1)  # covers "Awang" (the first by name)
    with pytest.raises(services.ActionRefused, match="“Awang” cannot be removed"):
        services.set_kecamatan(regency=bartim, actor=pokja_kalteng, text="Paku Baru\nBenua Lima")
    assert names(bartim) == ["Awang", "Benua Lima", "Dusun Timur", "Paju Epat", "Patangkep Tutui"]


def test_an_uncovered_kecamatan_is_removed(bartim, pokja_kalteng):
    sb.kecamatan(bartim, ["Awang", "Paku"])
    changes = services.set_kecamatan(regency=bartim, actor=pokja_kalteng, text="Awang")
    assert names(bartim) == ["Awang"] and changes.removed == ["Paku"]


def test_a_rename_of_an_unknown_name_or_onto_an_existing_one_is_refused(bartim, pokja_kalteng):
    sb.kecamatan(bartim, ["Awang", "Paku"])
    with pytest.raises(services.ActionRefused, match="no kecamatan “Karusen” to rename"):
        services.set_kecamatan(regency=bartim, actor=pokja_kalteng, text="Awang\nKarusen -> Karusen Janang")
    with pytest.raises(services.ActionRefused, match="“Paku” exists already"):
        services.set_kecamatan(regency=bartim, actor=pokja_kalteng, text="Awang -> Paku")
    assert names(bartim) == ["Awang", "Paku"]


def test_the_page_shows_the_message_in_indonesian_and_saves_nothing(client_as, bartim):
    translation.activate("id")
    response = client_as("pokja_kalteng").post(
        reverse("kecamatan_edit", args=[bartim.code]), {"names": "Awang\nAwang\nPaku -> "}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "tertulis dua kali" in page and "Baris 3" in page
    assert not Kecamatan.objects.filter(regency=bartim).exists()


def test_the_page_saves_and_goes_to_the_services_page(client_as, bartim):
    response = client_as("pokja_kalteng").post(reverse("kecamatan_edit", args=[bartim.code]), {"names": "Awang\nPaku"})
    assert response.status_code == 302 and response.url == reverse("regency_services", args=[bartim.code])
    assert names(bartim) == ["Awang", "Paku"]


@pytest.mark.parametrize(
    ("persona", "status"), [("officer_bartim", 403), ("balai_kalteng", 403), ("pokja_kalsel", 404)]
)
def test_only_the_provinces_pokja_enters_kecamatan(client_as, bartim, persona, status):
    assert client_as(persona).get(reverse("kecamatan_edit", args=[bartim.code])).status_code == status
