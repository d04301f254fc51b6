import io
import shutil

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from conftest import NATIONAL_CSV
from regencies.models import Province, Regency
from regencies.regions_csv import NATIONAL_LIST, load_regions

pytestmark = pytest.mark.empty_database  # loading into a database just migrated
needs_shared = pytest.mark.skipif(not NATIONAL_CSV.exists(), reason="../shared/data/wilayah_indonesia.csv is absent")
HEADER = "code,level,province_code,name,kind,population,area_km2\n"


def write(tmp_path, body):
    path = tmp_path / "regions.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


@needs_shared
def test_it_loads_the_national_list(db, capsys):
    call_command("load_regions", str(NATIONAL_CSV))
    assert Province.objects.count() == 38
    assert Regency.objects.count() == 514
    assert Regency.objects.get(code="62.13").name == "Kabupaten Barito Timur"
    assert "38 created" in capsys.readouterr().out


def test_without_a_path_it_loads_the_national_list_shipped_with_the_tracker(db):
    result = load_regions()
    assert (result.provinces.created, result.regencies.created) == (38, 514)
    assert Province.objects.count() == 38
    assert Regency.objects.count() == 514
    assert Regency.objects.get(code="62.12").name == "Kabupaten Murung Raya"


def test_the_command_without_a_path_loads_the_shipped_list(db, capsys):
    call_command("load_regions")
    out = capsys.readouterr().out
    assert "Provinces: 38 created, 0 updated, 0 unchanged" in out
    assert "Regencies: 514 created, 0 updated, 0 unchanged" in out
    assert Regency.objects.get(code="62.13").name == "Kabupaten Barito Timur"


@needs_shared
def test_the_shipped_list_is_the_shared_reference_data():
    assert NATIONAL_LIST.read_bytes() == NATIONAL_CSV.read_bytes()


def test_the_shipped_list_carries_its_attribution():
    readme = (NATIONAL_LIST.parent / "README.md").read_text(encoding="utf-8")
    for required in ("Cahya DSN", "MIT License", "Copyright (c) 2017-2025 Cahya DSN", "Kepmendagri No 300.2.2-2138"):
        assert required in readme


@needs_shared
class TestOverTheNationalList:
    """The national list loaded once for the class (a savepoint, rolled back after it); each test loads again."""

    @pytest.fixture(scope="class", autouse=True)
    @classmethod
    def first_run(cls, module_db, django_db_blocker):
        with django_db_blocker.unblock():
            atomic = transaction.atomic()
            atomic.__enter__()
        try:
            with django_db_blocker.unblock():
                call_command("load_regions", str(NATIONAL_CSV), stdout=io.StringIO())
            yield
        finally:
            with django_db_blocker.unblock():
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)

    def test_a_second_run_changes_nothing(self, db, capsys):
        call_command("load_regions", str(NATIONAL_CSV))
        out = capsys.readouterr().out
        assert "Provinces: 0 created, 0 updated, 38 unchanged" in out
        assert "Regencies: 0 created, 0 updated, 514 unchanged" in out

    def test_a_changed_name_updates_in_place(self, db, tmp_path):
        changed = tmp_path / "changed.csv"
        shutil.copy(NATIONAL_CSV, changed)
        changed.write_text(changed.read_text().replace("Kota Palangkaraya", "Kota Palangka Raya"))
        call_command("load_regions", str(changed))
        assert Regency.objects.get(code="62.71").name == "Kota Palangka Raya"
        assert Regency.objects.count() == 514


def test_a_malformed_row_loads_nothing_and_names_the_line(db, tmp_path):
    path = write(
        tmp_path,
        "62,province,62,Kalimantan Tengah,,,\n"
        "62.13,regency,62,Kabupaten Barito Timur,kabupaten,118665,3212.515\n"
        "62.1x,regency,62,Kabupaten Rusak,kabupaten,abc,\n",
    )
    with pytest.raises(CommandError) as error:
        call_command("load_regions", str(path))
    message = str(error.value)
    assert "Line 4: regency code '62.1x' must look like PP.KK" in message
    assert "Line 4: population 'abc' is not a whole number" in message
    assert Province.objects.count() == 0
    assert Regency.objects.count() == 0


def test_a_regency_of_an_unknown_province_is_refused(db, tmp_path):
    path = write(tmp_path, "62.13,regency,62,Kabupaten Barito Timur,kabupaten,,\n")
    with pytest.raises(CommandError, match="Line 2: province 62 is neither in the file nor loaded"):
        call_command("load_regions", str(path))


def test_a_duplicate_code_is_refused(db, tmp_path):
    path = write(tmp_path, "62,province,62,Kalimantan Tengah,,,\n62,province,62,Kalteng,,,\n")
    with pytest.raises(CommandError, match="Line 3: code 62 already appears on line 2"):
        call_command("load_regions", str(path))


def test_a_kind_that_contradicts_the_code_is_refused(db, tmp_path):
    path = write(tmp_path, "62,province,62,Kalimantan Tengah,,,\n62.71,regency,62,Kota Palangka Raya,kabupaten,,\n")
    with pytest.raises(CommandError, match="Line 3: code 62.71 is a kota code but kind is 'kabupaten'"):
        call_command("load_regions", str(path))


def test_missing_columns_are_named(db, tmp_path):
    path = tmp_path / "regions.csv"
    path.write_text("code,name\n62,Kalimantan Tengah\n")
    with pytest.raises(CommandError, match="missing column\\(s\\) level, province_code, kind"):
        call_command("load_regions", str(path))


def test_a_missing_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot open"):
        call_command("load_regions", str(tmp_path / "nope.csv"))
