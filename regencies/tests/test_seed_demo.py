import io
from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from regencies.models import Balai, Regency, UserRole, WorkingGroup

pytestmark = pytest.mark.empty_database  # the demo seeds a database just migrated


@pytest.fixture(scope="module")
def seeded_twice(module_db, django_db_blocker) -> Iterator[str]:
    """``seed_demo`` run twice on the empty database, once for the module (the whole demo is costly);
    what the runs printed. Rolled back after the module's last test, like ``module_db``."""
    out = io.StringIO()
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
    try:
        with django_db_blocker.unblock():
            call_command("seed_demo", stdout=out)
            call_command("seed_demo", stdout=out)
        yield out.getvalue()
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_seed_demo_builds_kalimantan_tengah_and_can_run_twice(db, seeded_twice):
    out = seeded_twice
    assert Regency.objects.filter(province="62").count() == 14
    assert WorkingGroup.objects.filter(level="national").count() == 1
    assert WorkingGroup.objects.filter(level="provincial", province="62").count() == 1
    assert WorkingGroup.objects.filter(level="regency").count() == 14
    assert Balai.objects.get().provinces.filter(code="62").exists()
    assert UserRole.objects.exclude(user__password__startswith="!").count() == 8  # the printed ones can sign in
    assert set(UserRole.objects.values_list("role", flat=True)) == {
        "regency_officer",
        "provincial_staff",
        "balai_staff",
        "national",
        "coordinator",
        "administrator",
    }
    assert "petugas.bartim" in out and "demo-bartim-2026" in out
    assert get_user_model().objects.get(username="petugas.bartim").check_password("demo-bartim-2026")


def test_seed_demo_keeps_names_from_the_full_national_list(db, seeded_twice, tmp_path):
    """The national list loaded over the seeded demo renames Palangka Raya; seeding again keeps its name
    (the same path as a first seed finding the region already loaded: existing rows are left as they are)."""
    from regencies.regions_csv import load_regions

    full = tmp_path / "regions.csv"
    full.write_text(
        "code,level,province_code,name,kind,population,area_km2\n"
        "62,province,62,Kalimantan Tengah,,2825290,153430.363\n"
        "62.71,regency,62,Kota Palangkaraya,kota,315153,2848.699\n"
    )
    load_regions(full)
    call_command("seed_demo", stdout=io.StringIO())
    palangka = Regency.objects.get(code="62.71")
    assert palangka.name == "Kota Palangkaraya"
    assert palangka.population == 315153


def test_seed_demo_never_resets_a_password_it_did_not_set(db, seeded_twice):
    user = get_user_model().objects.get(username="petugas.bartim")
    user.set_password("pilihan-sendiri-2026")
    user.first_name = "Renamed"
    user.save()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    user.refresh_from_db()
    assert user.check_password("pilihan-sendiri-2026")
    assert user.first_name == "Maria"  # the rest of the demo user is brought back as before
    assert "(existing password kept)" in out.getvalue()
    assert "demo-bartim-2026" not in out.getvalue()
