"""The page benchmark's machinery (manage.py benchmark_pages): its output's shape, never its timings."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from milestones.tests import builders
from ssk_tracker import benchmark_pages
from ssk_tracker.benchmark_pages import Cast, PageSpec

# The conftest personas in the roles of seed_scale's users (a Kalteng coordinator stands in for the nation's).
CAST_ARGS = [
    "--user=officer=officer_bartim",
    "--user=provincial=pokja_kalteng",
    "--user=national=national",
    "--user=coordinator_province=coordinator_kalteng",
    "--user=coordinator=coordinator_kalteng",
    "--user=admin=administrator",
]
CAST = Cast(
    officer="officer_bartim",
    provincial="pokja_kalteng",
    national="national",
    coordinator_province="coordinator_kalteng",
    coordinator="coordinator_kalteng",
    admin="administrator",
)


@pytest.fixture
def data(personas, bartim):
    builders.milestone(bartim, number=1)


def test_it_writes_the_table_and_the_json(data, tmp_path, capsys):
    out = tmp_path / "pages.json"
    only = ["province-dashboard", "regency-page", "milestone-page", "tasks-nation"]
    call_command("benchmark_pages", "--rounds=2", "--warmup=1", f"--json={out}", "--only", *only, *CAST_ARGS)

    figures = json.loads(out.read_text())
    assert set(figures) >= {"date", "machine", "settings", "rounds", "targets", "floor", "peer", "pages", "errors"}
    assert set(figures["machine"]) >= {"cpu_count", "cpu_model", "python", "django", "database", "date"}
    assert figures["machine"]["database"]["vendor"] == "sqlite"
    assert figures["settings"]["debug"] is False
    assert figures["rounds"] == 2
    assert [p["name"] for p in figures["pages"]] == only
    assert figures["pages"][0]["url"] == reverse("province", args=["62"])  # the province with most regencies
    assert figures["pages"][1]["url"] == reverse("regency", args=["62.13"])  # the officer's
    assert figures["errors"] == []
    floor = figures["floor"]["median_ms"]
    assert figures["floor"]["ratio"] == 1.0
    for page in [figures["peer"], *figures["pages"]]:
        assert page["status"] == 200
        assert page["ratio"] == round(page["median_ms"] / floor, 2)
        assert page["p95_ms"] >= page["median_ms"] > 0
        assert page["queries"] > 0
        assert 0 < page["gzip_bytes"] < page["html_bytes"]
    table = capsys.readouterr().out
    assert "x floor" in table and "admin-regencies" in table and "tasks-nation" in table


def test_a_page_that_does_not_answer_200_is_an_error(data):
    outsider = PageSpec("outsider", "officer", lambda r: reverse("regency", args=["62.12"]))  # not his regency
    run = benchmark_pages.measure([outsider], rounds=2, warmup=1, cast=CAST)

    page = run.pages[0]
    assert page.status in (403, 404)
    assert page.median_ms is None and page.ratio is None
    assert run.as_json()["errors"] == ["outsider"]
    assert f"ERROR {page.status}" in benchmark_pages.table(run)


def test_the_command_exits_non_zero_on_an_error(data, monkeypatch):
    broken = PageSpec("tasks-officer", "officer", lambda r: reverse("regency", args=["62.12"]))
    monkeypatch.setattr(benchmark_pages, "KEY_PAGES", (broken,))
    monkeypatch.setattr(benchmark_pages, "PAGE_NAMES", ("tasks-officer",))

    with pytest.raises(CommandError, match="did not answer 200: tasks-officer"):
        call_command("benchmark_pages", "--rounds=1", "--warmup=1", *CAST_ARGS)


def test_a_missing_user_or_object_asks_for_seed_scale(personas):
    with pytest.raises(CommandError, match="run seed_scale first"):
        call_command("benchmark_pages", "--rounds=1", "--only", "regency-page")  # no petugas.35.78 here
    with pytest.raises(CommandError, match="has no milestone: run seed_scale first"):
        call_command("benchmark_pages", "--rounds=1", "--only", "milestone-page", *CAST_ARGS)


def test_an_unknown_page_name_is_refused(db):
    with pytest.raises(CommandError, match="Unknown page"):
        call_command("benchmark_pages", "--only", "no-such-page")
