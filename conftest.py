"""Named personas shared by every test (STYLE.md example 8).

- ``national``: Pokja PPAS Nasional, reads everything
- ``pokja_kalteng``: provincial Pokja staff of Kalimantan Tengah (62)
- ``pokja_kalsel``: provincial Pokja staff of another province (63), an outsider to Kalteng
- ``balai_kalteng``: Balai staff covering Kalimantan Tengah
- ``coordinator_kalteng``: coordinator with Kalimantan Tengah as scope
- ``officer_bartim`` / ``officer_mura``: regency officers of Barito Timur (62.13) and Murung Raya (62.12)
- ``administrator``: superuser; ``nobody``: a signed-in user without a role
"""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from regencies.demo import KALTENG_FIXTURE
from regencies.models import Balai, Province, Regency, Role, UserRole
from regencies.regions_csv import load_regions

SHARED_DATA = Path(__file__).resolve().parent.parent / "shared" / "data"
NATIONAL_CSV = SHARED_DATA / "wilayah_indonesia.csv"


def make_user(username, role=None, **region):
    user = get_user_model().objects.create_user(
        username=username, password="pw", email=f"{username}@example.test", first_name=username.title()
    )
    if role == Role.ADMINISTRATOR:
        user.is_staff = user.is_superuser = True
        user.save()
    if role:
        UserRole.objects.create(user=user, role=role, **region)
    return user


@pytest.fixture
def kalteng(db):
    load_regions(KALTENG_FIXTURE)
    return Province.objects.get(code="62")


@pytest.fixture
def kalsel(db):
    province = Province.objects.create(code="63", name="Kalimantan Selatan")
    Regency.objects.create(code="63.01", province=province, name="Kabupaten Tanah Laut", kind="kabupaten")
    Regency.objects.create(code="63.71", province=province, name="Kota Banjarmasin", kind="kota")
    return province


@pytest.fixture
def bartim(kalteng):
    return Regency.objects.get(code="62.13")


@pytest.fixture
def mura(kalteng):
    return Regency.objects.get(code="62.12")


@pytest.fixture
def balai(kalteng):
    balai = Balai.objects.create(name="Balai Prasarana Permukiman Wilayah Kalimantan Tengah", short_name="BPPW Kalteng")
    balai.provinces.add(kalteng)
    return balai


@pytest.fixture
def national(db):
    return make_user("national", Role.NATIONAL)


@pytest.fixture
def pokja_kalteng(kalteng):
    return make_user("pokja_kalteng", Role.PROVINCIAL_STAFF, province=kalteng)


@pytest.fixture
def pokja_kalsel(kalsel):
    return make_user("pokja_kalsel", Role.PROVINCIAL_STAFF, province=kalsel)


@pytest.fixture
def balai_kalteng(balai):
    return make_user("balai_kalteng", Role.BALAI_STAFF, balai=balai)


@pytest.fixture
def coordinator_kalteng(kalteng):
    return make_user("coordinator_kalteng", Role.COORDINATOR, province=kalteng)


@pytest.fixture
def officer_bartim(bartim):
    return make_user("officer_bartim", Role.REGENCY_OFFICER, regency=bartim)


@pytest.fixture
def officer_mura(mura):
    return make_user("officer_mura", Role.REGENCY_OFFICER, regency=mura)


@pytest.fixture
def administrator(db):
    return make_user("administrator", Role.ADMINISTRATOR)


@pytest.fixture
def nobody(db):
    return make_user("nobody")


@pytest.fixture
def personas(
    national,
    pokja_kalteng,
    pokja_kalsel,
    balai_kalteng,
    coordinator_kalteng,
    officer_bartim,
    officer_mura,
    administrator,
    nobody,
):
    """Every persona by name, for tests that walk a whole role matrix."""
    return {
        "national": national,
        "pokja_kalteng": pokja_kalteng,
        "pokja_kalsel": pokja_kalsel,
        "balai_kalteng": balai_kalteng,
        "coordinator_kalteng": coordinator_kalteng,
        "officer_bartim": officer_bartim,
        "officer_mura": officer_mura,
        "administrator": administrator,
        "nobody": nobody,
    }


@pytest.fixture
def client_as(client, personas):
    """client_as("officer_bartim") → a test client signed in as that persona."""

    def sign_in(name):
        client.force_login(personas[name])
        return client

    return sign_in
