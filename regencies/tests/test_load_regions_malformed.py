"""load_regions against malformed files: every bad line named, no traceback, a non-zero exit, nothing loaded."""

from pathlib import Path

import pytest
from django.core.management import CommandError, ManagementUtility, call_command

from regencies.models import Province, Regency

pytestmark = pytest.mark.empty_database

HEADER = b"code,level,province_code,name,kind,population,area_km2\n"
GOOD = (
    b"62,province,62,Kalimantan Tengah,,2669969,153564.500\n"
    b"62.13,regency,62,Kabupaten Barito Timur,kabupaten,113781,3834.000\n"
)

# name -> (file content, a phrase the report must contain)
MALFORMED: dict[str, tuple[bytes, str]] = {
    "semicolons": (
        HEADER.replace(b",", b";") + GOOD.replace(b",", b";"),
        "Line 1: the columns are not separated by commas",
    ),
    "tabs as delimiter": (HEADER.replace(b",", b"\t") + GOOD.replace(b",", b"\t"), "not separated by commas"),
    "missing column": (
        b"code,level,province_code,name,kind,population\n62,province,62,Kalteng,,1\n",
        "missing column(s) area_km2",
    ),
    "columns reordered": (b"level,code,province_code,name,kind,population,area_km2\n" + GOOD, "exactly code, level"),
    "a row too short": (HEADER + GOOD + b"62.01,regency,62,Kabupaten X\n", "Line 4: 4 column(s); expected 7"),
    "a row too long": (HEADER + GOOD + b"62.01,regency,62,Kabupaten X,kabupaten,1,2,extra\n", "Line 4: 8 column(s)"),
    "bad province code": (HEADER + b"6,province,6,Kalteng,,,\n", "Line 2: province code '6' must be two digits"),
    "bad regency code": (HEADER + GOOD + b"62-14,regency,62,Kabupaten X,kabupaten,,\n", "Line 4: regency code '62-14'"),
    "non-ascii digits in code": (HEADER + "٦٢,province,٦٢,Kalteng,,,\n".encode(), "Line 2: province code"),
    "duplicate code": (
        HEADER + GOOD + b"62.13,regency,62,Kabupaten Lain,kabupaten,,\n",
        "Line 4: code 62.13 already appears on line 3",
    ),
    "empty name": (HEADER + b"62,province,62,,,,\n", "Line 2: name is empty"),
    "blank name": (HEADER + b"62,province,62,   ,,,\n", "Line 2: name is empty"),
    "name too long": (HEADER + b"62,province,62," + b"K" * 101 + b",,,\n", "Line 2: name is longer than 100"),
    "line break in a quoted name": (
        HEADER + GOOD + b'62.14,regency,62,"Kabupaten\nBaru",kabupaten,,\n',
        "Line 4: name contains control characters (U+000A)",
    ),
    "carriage return in a name": (HEADER + GOOD + b'62.14,regency,62,"Kabupaten\rBaru",kabupaten,,\n', "U+000D"),
    "tab in a name": (
        HEADER + GOOD + b"62.14,regency,62,Kabupaten\tBaru,kabupaten,,\n",
        "Line 4: name contains control characters (U+0009)",
    ),
    "NUL in a name": (HEADER + GOOD + b"62.14,regency,62,Kabupaten\x00Baru,kabupaten,,\n", "U+0000"),
    "bidi override in a name": (
        HEADER + GOOD + "62.14,regency,62,Kabupaten \u202eBaru,kabupaten,,\n".encode(),
        "U+202E",
    ),
    "line separator in a name": (
        HEADER + GOOD + "62.14,regency,62,Kabupaten\u2028Baru,kabupaten,,\n".encode(),
        "U+2028",
    ),
    "latin-1 encoding": (
        HEADER + GOOD + "62.14,regency,62,Kabupaten Señor,kabupaten,,\n".encode("latin-1"),
        "Line 4: not UTF-8 text (byte 0xf1",
    ),
    "utf-16 with BOM": (("\ufeff" + (HEADER + GOOD).decode()).encode("utf-16-le"), "the file is UTF-16"),
    "binary garbage": (bytes(range(256)) * 8, "not UTF-8 text"),
    "empty file": (b"", "The file is empty"),
    "header only blank lines": (b"\n\n\n", "The file is empty"),
    "huge line": (HEADER + GOOD + b"62.14,regency,62," + b"K" * 200_000 + b",kabupaten,,\n", "Line 4: 200,"),
    "unknown province": (
        HEADER + b"99.01,regency,99,Kabupaten Entah,kabupaten,,\n",
        "Line 2: province 99 is neither in the file nor loaded",
    ),
    "regency in another province's code": (
        HEADER + GOOD + b"63.01,regency,62,Kabupaten X,kabupaten,,\n",
        "Line 4: regency 63.01 does not belong to province '62'",
    ),
    "unknown level": (HEADER + b"62,provinsi,62,Kalteng,,,\n", "Line 2: level 'provinsi' must be province or regency"),
    "unknown kind": (HEADER + GOOD + b"62.14,regency,62,Kabupaten X,kabkota,,\n", "Line 4: kind 'kabkota'"),
    "kota code with kabupaten kind": (
        HEADER + GOOD + b"62.71,regency,62,Kota X,kabupaten,,\n",
        "is a kota code but kind is 'kabupaten'",
    ),
    "superscript population": (
        HEADER + "62,province,62,Kalteng,,²,\n".encode(),
        "Line 2: population '²' is not a whole number",
    ),
    "huge population": (HEADER + b"62,province,62,Kalteng,," + b"9" * 500 + b",\n", "Line 2: population"),
    "negative population": (HEADER + b"62,province,62,Kalteng,,-5,\n", "Line 2: population '-5'"),
    "area NaN": (HEADER + b"62,province,62,Kalteng,,,NaN\n", "Line 2: area_km2 'NaN'"),
    "area too large": (HEADER + b"62,province,62,Kalteng,,,1e30\n", "Line 2: area_km2 '1e30'"),
    "area beyond the column": (HEADER + b"62,province,62,Kalteng,,,12345678901.5\n", "Line 2: area_km2"),
    "unclosed quote": (HEADER + GOOD + b'62.14,regency,62,"Kabupaten X,kabupaten,,\n', "Line 4:"),
}


def _load(tmp_path: Path, content: bytes) -> str:
    path = tmp_path / "regions.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError) as refused:
        call_command("load_regions", str(path))
    return str(refused.value)


@pytest.mark.parametrize("case", list(MALFORMED), ids=list(MALFORMED))
def test_a_malformed_file_is_refused_with_its_line_and_loads_nothing(db, tmp_path, case):
    content, phrase = MALFORMED[case]
    report = _load(tmp_path, content)
    assert report.startswith("Nothing was loaded:")
    assert phrase in report
    assert not Province.objects.exists() and not Regency.objects.exists()


def test_there_are_at_least_26_malformed_files():
    assert len(MALFORMED) >= 26


def test_every_bad_line_is_reported_not_only_the_first(db, tmp_path):
    content = (
        HEADER
        + GOOD
        + b"62.14,regency,62,,kabupaten,,\n"  # 4: empty name
        + "62.15,regency,62,Kabupaten Señor,kabupaten,,\n".encode("latin-1")  # 5: not UTF-8
        + b"62.16,regency,62,Kabupaten\tX,kabupaten,,\n"  # 6: tab
        + b"62.17,regency,62,Kabupaten Y,kabupaten,12a,\n"  # 7: population
        + b"62.13,regency,62,Kabupaten Z,kabupaten,,\n"  # 8: duplicate
    )
    report = _load(tmp_path, content)
    for line in (4, 5, 6, 7, 8):
        assert f"Line {line}:" in report
    assert "Line 2:" not in report and "Line 3:" not in report


def test_a_file_with_one_bad_line_changes_nothing_already_loaded(db, tmp_path):
    path = tmp_path / "good.csv"
    path.write_bytes(HEADER + GOOD)
    call_command("load_regions", str(path))
    _load(tmp_path, HEADER + GOOD.replace(b"Barito Timur", b"Barito Baru") + b"62.14,regency,62,Kab\x01X,kabupaten,,\n")
    assert Regency.objects.get(code="62.13").name == "Kabupaten Barito Timur"


def test_a_byte_order_mark_is_accepted(db, tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + HEADER + GOOD)
    call_command("load_regions", str(path))
    assert Regency.objects.get(code="62.13").name == "Kabupaten Barito Timur"


def test_the_command_line_exits_non_zero_without_a_traceback(db, tmp_path, capsys):
    path = tmp_path / "garbage.csv"
    path.write_bytes(HEADER + b"62,province,62,Kal\x00teng,,,\n" + bytes(range(128, 256)))
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["manage.py", "load_regions", str(path)]).execute()
    assert exited.value.code == 1
    stderr = capsys.readouterr().err
    assert "Traceback" not in stderr
    assert "Line 2: name contains control characters (U+0000)" in stderr
    assert "Line 3: not UTF-8 text" in stderr
