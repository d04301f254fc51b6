"""Named personas shared by every test (STYLE.md example 8).

- ``national``: Pokja PPAS Nasional, reads everything
- ``pokja_kalteng``: provincial Pokja staff of Kalimantan Tengah (62)
- ``pokja_kalsel``: provincial Pokja staff of another province (63), an outsider to Kalteng
- ``balai_kalteng``: Balai staff covering Kalimantan Tengah
- ``coordinator_kalteng``: coordinator with Kalimantan Tengah as scope
- ``officer_bartim`` / ``officer_mura``: regency officers of Barito Timur (62.13) and Murung Raya (62.12)
- ``administrator``: superuser; ``nobody``: a signed-in user without a role

The shared data is built once per session in the test database, before the first test that uses the
database: Kalimantan Tengah and its 14 regencies, Kalimantan Selatan (63) with Tanah Laut and
Banjarmasin, the Balai covering Kalteng, M1–M4 and the nine personas. So every database test starts
from that baseline whether or not it asks for the fixtures; the fixtures hand out fresh copies of the
rows as built (a new instance per test, so nothing a test sets or caches on one, such as a user's
scope, leaks into the next; the database itself is rolled back after each test as before). A test
that needs the database as a fresh migration leaves it asks for ``empty_db``; a whole module sets
``pytestmark = pytest.mark.empty_database``. Transactional tests flush the database; the shared data
is put back before the next test. ``module_db`` lets a module build costly rows once for all its tests.
"""

import copy
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import models

from regencies.demo import KALTENG_FIXTURE
from regencies.models import Balai, Province, Regency, Role, UserRole
from regencies.regions_csv import load_regions

SHARED_DATA = Path(__file__).resolve().parent.parent / "shared" / "data"
NATIONAL_CSV = SHARED_DATA / "wilayah_indonesia.csv"

KALSEL_REGENCIES = [("63.01", "Kabupaten Tanah Laut", "kabupaten"), ("63.71", "Kota Banjarmasin", "kota")]
BALAI_NAME = "Balai Prasarana Permukiman Wilayah Kalimantan Tengah"
# username → role and the region of its scope (a province code, a regency code or the Balai).
PERSONAS = {
    "national": (Role.NATIONAL, {}),
    "pokja_kalteng": (Role.PROVINCIAL_STAFF, {"province_id": "62"}),
    "pokja_kalsel": (Role.PROVINCIAL_STAFF, {"province_id": "63"}),
    "balai_kalteng": (Role.BALAI_STAFF, {"balai": BALAI_NAME}),
    "coordinator_kalteng": (Role.COORDINATOR, {"province_id": "62"}),
    "officer_bartim": (Role.REGENCY_OFFICER, {"regency_id": "62.13"}),
    "officer_mura": (Role.REGENCY_OFFICER, {"regency_id": "62.12"}),
    "administrator": (Role.ADMINISTRATOR, {}),
    "nobody": (None, {}),
}


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


# --- The shared data -------------------------------------------------------------------------------


def build_shared_data() -> None:
    """Create whatever of the shared data is missing; safe to run on a database that has some of it."""
    from milestones.tests.builders import ensure_definitions

    ensure_definitions()
    load_regions(KALTENG_FIXTURE)
    kalsel, _ = Province.objects.get_or_create(code="63", defaults={"name": "Kalimantan Selatan"})
    for code, name, kind in KALSEL_REGENCIES:
        Regency.objects.get_or_create(code=code, defaults={"province": kalsel, "name": name, "kind": kind})
    balai, _ = Balai.objects.get_or_create(name=BALAI_NAME, defaults={"short_name": "BPPW Kalteng"})
    balai.provinces.add(Province.objects.get(code="62"))
    existing = set(get_user_model().objects.filter(username__in=PERSONAS).values_list("username", flat=True))
    for username, (role, region) in PERSONAS.items():
        if username not in existing:
            make_user(username, role, **{key: balai if key == "balai" else value for key, value in region.items()})
    _load_originals()


# The shared rows as loaded right after they were built, keyed by code or username. Fixtures hand out
# copies (see fresh_copy) rather than query for them in every test; never the originals themselves.
_originals: dict[str, models.Model] = {}


def _load_originals() -> None:
    _originals.clear()
    _originals.update((p.code, p) for p in Province.objects.filter(code__in=["62", "63"]))
    _originals.update((r.code, r) for r in Regency.objects.filter(code__in=["62.13", "62.12"]))
    _originals["balai"] = Balai.objects.get(name=BALAI_NAME)
    users = get_user_model().objects.select_related("ssk_role__province", "ssk_role__regency", "ssk_role__balai")
    _originals.update((user.username, user) for user in users.filter(username__in=PERSONAS))


def fresh_copy(instance: models.Model, memo: dict | None = None) -> models.Model:
    """A copy of a model instance sharing no state with it: its own attributes, its own cached relations
    (copied in turn, so ``officer.ssk_role.regency`` is the copy's own) and nothing a test cached. Field
    values are shared, which is safe for these models: none has a mutable one (no JSON, no arrays)."""
    memo = {} if memo is None else memo
    if id(instance) in memo:
        return memo[id(instance)]
    clone = instance.__class__.__new__(instance.__class__)
    memo[id(instance)] = clone
    clone.__dict__.update(instance.__dict__)
    clone.__dict__.pop("_ssk_scope", None)
    clone._state = copy.copy(instance._state)
    clone._state.fields_cache = {
        name: fresh_copy(value, memo) if isinstance(value, models.Model) else value
        for name, value in instance._state.fields_cache.items()
    }
    return clone


def shared(key: str, fetch):
    """A fresh copy of one shared row, or ``fetch()`` from the database where the shared data was removed."""
    if _removed or key not in _originals:
        return fetch()
    return fresh_copy(_originals[key])


def shared_data_present() -> bool:
    """A flush empties every table: the last persona and M4 tell whether it happened."""
    from milestones.models import MilestoneDefinition

    return (
        get_user_model().objects.filter(username="nobody").exists()
        and MilestoneDefinition.objects.filter(number=4).exists()
    )


_blocker = None  # pytest-django's django_db_blocker, once the test database exists


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, migrated, with the shared data."""
    global _blocker
    with django_db_blocker.unblock():
        build_shared_data()
    _blocker = django_db_blocker
    yield
    _blocker = None


def _flushes(item) -> bool:
    """Whether pytest-django runs this test as a TransactionTestCase, which empties every table after."""
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool({"transactional_db", "live_server", "django_db_reset_sequences"} & set(item.fixturenames))


_flushed = False
_last_module = None


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Put the shared data back after a transactional test flushed the database (looked at after such a
    test and at the start of each module, before its fixtures)."""
    global _flushed, _last_module
    module = item.getparent(pytest.Module)
    if _blocker is not None and (_flushed or module is not _last_module):
        with _blocker.unblock():
            if not shared_data_present():
                build_shared_data()
        _flushed = False
    _last_module = module
    _flushed = _flushed or _flushes(item)


_removed = False  # True while a test runs without the shared data (empty_database, empty_db)


def remove_shared_data() -> None:
    UserRole.objects.all().delete()
    get_user_model().objects.all().delete()
    Balai.objects.all().delete()
    Regency.objects.all().delete()
    Province.objects.all().delete()


@pytest.fixture(scope="module")
def module_db(request, django_db_setup, django_db_blocker):
    """One transaction around a whole module, for rows its tests share: a module-scoped fixture that asks
    for this writes them inside ``with django_db_blocker.unblock():``, each test then runs in a savepoint
    within (pytest-django's ``db`` nests), and everything is rolled back after the module's last test.
    Not for modules with transactional tests (they would flush inside it), and not for changing the
    shared rows (the fixtures hand out copies of them as they were built)."""
    flushing = [i.name for i in request.session.items if i.getparent(pytest.Module) is request.node and _flushes(i)]
    if flushing:
        raise pytest.UsageError(
            f"{request.node.name}: transactional tests cannot share a module transaction: {flushing}"
        )
    from milestones.tests.shared_rows import rolled_back

    with rolled_back(django_db_blocker):
        yield


@pytest.fixture(scope="module", autouse=True)
def _empty_database(request):
    """``pytestmark = pytest.mark.empty_database``: the module's tests see the database as a fresh
    migration leaves it (M1–M4, no regions, no users)."""
    if request.node.get_closest_marker("empty_database") is None:
        yield
        return
    global _removed
    request.getfixturevalue("module_db")
    with request.getfixturevalue("django_db_blocker").unblock():
        remove_shared_data()
    _removed = True
    yield
    _removed = False


@pytest.fixture
def empty_db(db):
    """The database as a fresh migration leaves it, for one test: the shared data is removed inside the
    test's transaction, which puts it back."""
    global _removed
    remove_shared_data()
    _removed = True
    yield
    _removed = False


# --- Regions -------------------------------------------------------------------------------------


@pytest.fixture
def kalteng(db):
    """Kalimantan Tengah (62) and its 14 regencies, as regencies/fixtures/kalimantan_tengah.csv has them."""
    return shared("62", lambda: Province.objects.get(code="62"))


@pytest.fixture
def kalsel(db):
    """Kalimantan Selatan (63) with two regencies: Tanah Laut (63.01) and Banjarmasin (63.71)."""
    return shared("63", lambda: Province.objects.get(code="63"))


@pytest.fixture
def bartim(kalteng):
    return shared("62.13", lambda: Regency.objects.get(code="62.13"))


@pytest.fixture
def mura(kalteng):
    return shared("62.12", lambda: Regency.objects.get(code="62.12"))


@pytest.fixture
def balai(kalteng):
    """The Balai (BPPW Kalteng) covering Kalimantan Tengah."""
    return shared("balai", lambda: Balai.objects.get(name=BALAI_NAME))


# --- Personas ------------------------------------------------------------------------------------


@pytest.fixture
def _persona_rows(db):
    """Every persona by username, each a fresh copy with its role (if any) and its region."""
    if _removed:
        users = get_user_model().objects.select_related("ssk_role__province", "ssk_role__regency", "ssk_role__balai")
        return {user.username: user for user in users.filter(username__in=PERSONAS)}
    return {name: fresh_copy(_originals[name]) for name in PERSONAS}


@pytest.fixture
def national(_persona_rows):
    return _persona_rows["national"]


@pytest.fixture
def pokja_kalteng(kalteng, _persona_rows):
    return _persona_rows["pokja_kalteng"]


@pytest.fixture
def pokja_kalsel(kalsel, _persona_rows):
    return _persona_rows["pokja_kalsel"]


@pytest.fixture
def balai_kalteng(balai, _persona_rows):
    return _persona_rows["balai_kalteng"]


@pytest.fixture
def coordinator_kalteng(kalteng, _persona_rows):
    return _persona_rows["coordinator_kalteng"]


@pytest.fixture
def officer_bartim(bartim, _persona_rows):
    return _persona_rows["officer_bartim"]


@pytest.fixture
def officer_mura(mura, _persona_rows):
    return _persona_rows["officer_mura"]


@pytest.fixture
def administrator(_persona_rows):
    return _persona_rows["administrator"]


@pytest.fixture
def nobody(_persona_rows):
    return _persona_rows["nobody"]


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
def client():
    """Django's test client with ``submit``: a POST with the form page's token and version
    (milestones/tests/form_client.py); ``post`` stays a bare POST."""
    from milestones.tests.form_client import FormClient

    return FormClient()


@pytest.fixture
def client_as(client, personas):
    """client_as("officer_bartim") → a test client signed in as that persona."""

    def sign_in(name):
        client.force_login(personas[name])
        return client

    return sign_in
