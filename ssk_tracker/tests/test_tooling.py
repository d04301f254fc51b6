"""The development tooling agrees with itself: requirements, pre-commit pins and the mypy ratchet."""

import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load_ratchet():
    spec = importlib.util.spec_from_file_location("mypy_ratchet", ROOT / "scripts" / "mypy_ratchet.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["mypy_ratchet"] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


ratchet = load_ratchet()


def pins(name):
    lines = (ROOT / name).read_text(encoding="utf-8").splitlines()
    return dict(line.split("==") for line in lines if line and not line.startswith(("#", "-r")))


def test_development_requirements_add_to_production_without_repeating_it():
    dev_lines = (ROOT / "requirements-dev.txt").read_text(encoding="utf-8").splitlines()
    assert "-r requirements.txt" in dev_lines
    assert set(pins("requirements.txt")) & set(pins("requirements-dev.txt")) == set()
    assert {"pytest", "ruff", "mypy", "django-stubs"} <= set(pins("requirements-dev.txt"))
    assert not {"pytest", "ruff", "mypy", "selenium"} & set(pins("requirements.txt"))


def test_pre_commit_runs_the_ruff_of_the_requirements():
    config = (ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    rev = re.search(r"ruff-pre-commit\n\s+rev: v(\S+)", config)
    assert rev is not None
    assert rev.group(1) == pins("requirements-dev.txt")["ruff"]


def test_the_strict_level_is_read_from_mypy_ini():
    patterns = ratchet.strict_patterns()
    assert set(patterns) == {
        "ssk_tracker.lib.*",
        "milestones.services.*",
        "milestones.selectors.*",
        "reports.services",
        "reports.verification",
        "regencies.scoping",
    }


@pytest.mark.parametrize(
    ("file", "strict"),
    [
        ("ssk_tracker/lib/tabular.py", True),
        ("ssk_tracker/lib/__init__.py", True),
        ("milestones/services/__init__.py", True),
        ("milestones/selectors/clinics.py", True),
        ("reports/services.py", True),
        ("regencies/scoping.py", True),
        ("ssk_tracker/settings.py", False),
        ("reports/services_helpers.py", False),
        ("milestones/servicesx.py", False),
        ("regencies/scoping_test.py", False),
    ],
)
def test_a_file_is_strict_as_mypy_matches_its_module(file, strict):
    assert ratchet.is_strict(file, ratchet.strict_patterns()) is strict


def test_notes_are_not_counted_and_unreadable_output_stops_the_ratchet():
    error = {"file": "a.py", "line": 3, "code": "arg-type", "message": "bad", "severity": "error"}
    note = {**error, "severity": "note"}
    parsed = ratchet.parse_output(json.dumps(error) + "\n" + json.dumps(note) + "\n")
    assert [str(e) for e in parsed] == ["a.py:3: error: bad  [arg-type]"]
    with pytest.raises(ratchet.RatchetError, match="not JSON"):
        ratchet.parse_output("Success: no issues found\n")


def test_a_level_that_went_up_fails_and_names_the_file_that_grew():
    baseline = {"strict": {"a.py": 2}, "default": {"b.py": 5}}
    counts = {"strict": {"a.py": 1, "c.py": 2}, "default": {"b.py": 4}}
    errors = [ratchet.MypyError("c.py", 7, "no-untyped-def", "Function is missing a type annotation")]
    lines, up, down = ratchet.compare(baseline, counts, errors)
    assert (up, down) == (["strict"], ["default"])
    assert "  c.py: 0 -> 2" in lines
    assert "c.py:7: error: Function is missing a type annotation  [no-untyped-def]" in lines
    assert not any(line.startswith("  a.py") for line in lines)


def test_the_baseline_round_trips_and_a_hand_edited_total_is_refused(tmp_path):
    counts = {"strict": {"a.py": 2}, "default": {"b.py": 5, "c.py": 1}}
    path = tmp_path / "baseline.json"
    ratchet.write_baseline(path, counts)
    assert ratchet.read_baseline(path) == counts
    data = json.loads(path.read_text())
    data["default"]["total"] = 3
    path.write_text(json.dumps(data))
    with pytest.raises(ratchet.RatchetError, match="not the sum of its files"):
        ratchet.read_baseline(path)


def test_the_committed_baseline_allows_no_error_in_ssk_tracker_lib():
    baseline = ratchet.read_baseline(ratchet.BASELINE)
    assert [f for level in baseline.values() for f in level if f.startswith("ssk_tracker/lib/")] == []
