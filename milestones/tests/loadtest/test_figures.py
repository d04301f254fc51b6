"""The load test's arithmetic: percentiles, the per-page summary, and the exactly-once count."""

import pytest

from milestones.loadtest import stats
from milestones.loadtest.client import Sample
from milestones.loadtest.journeys import Submission, exactly_once


def sample(page="home", ms=10.0, status=200, error="", compressed=True, html=True) -> Sample:
    return Sample(page, "GET", status, ms, 1024, 0.0, error, compressed, html)


@pytest.mark.parametrize(
    ("q", "expected"),
    [(0, 1.0), (50, 5.5), (95, 9.55), (99, 9.91), (100, 10.0)],
)
def test_percentiles_interpolate_between_ranks(q, expected):
    assert stats.percentile([float(n) for n in range(10, 0, -1)], q) == pytest.approx(expected)


def test_a_percentile_of_one_value_or_none():
    assert stats.percentile([42.0], 95) == 42.0
    assert stats.percentile([], 95) == 0.0


def test_the_summary_counts_errors_per_page_and_overall():
    samples = [
        sample("home", 10),
        sample("home", 30),
        sample("regency", 20, status=500, error="HTTP 500"),
        sample("regency", 40, status=302, html=False),
        sample("static", 5, status=0, error="ConnectionRefusedError", compressed=False, html=False),
        sample("reports", 15, compressed=False),
    ]
    summary = stats.summarise(samples, elapsed=2.0)
    overall = summary["overall"]
    assert (overall["requests"], overall["errors"], overall["throughput_rps"]) == (6, 2, 3.0)
    assert (overall["html_responses"], overall["html_compressed"]) == (4, 3)
    assert list(summary["pages"]) == ["home", "regency", "static", "reports"]
    assert summary["pages"]["home"]["p50_ms"] == 20.0 and summary["pages"]["home"]["errors"] == 0
    assert summary["pages"]["regency"]["errors"] == 1
    assert [error["page"] for error in stats.errors(samples)] == ["regency", "static"]
    table = stats.table(summary)
    assert table.splitlines()[-1].split()[:2] == ["all", "6"]


def test_a_redirect_is_no_error_and_a_client_error_is():
    assert not sample(status=302).failed
    assert sample(status=429, error="HTTP 429").failed
    assert sample(status=200, error="HTTP 200, expected 302 (the form was refused?)").failed


def _sent(*markers_saved):
    return [Submission(marker, "petugas", 1, told_saved=saved) for marker, saved in markers_saved]


def test_every_submission_stored_once_passes():
    submissions = _sent(("a", True), ("b", True), ("c", False))
    check = exactly_once(submissions, {"a": 1, "b": 1}, [])
    assert check["ok"] and (check["sent"], check["told_saved"], check["stored_once"]) == (3, 2, 2)


@pytest.mark.parametrize(
    ("stored", "incomplete", "problem"),
    [
        ({"a": 2, "b": 1}, [], "duplicated"),
        ({"b": 1}, [], "lost"),
        ({"a": 1, "b": 1}, ["b"], "incomplete"),
        ({"a": 1, "b": 1, "c": 1}, [], "stored_though_refused"),
        ({"a": 1, "b": 1, "z": 1}, [], "unknown_markers"),
    ],
)
def test_a_duplicate_a_loss_or_a_half_stored_submission_fails(stored, incomplete, problem):
    check = exactly_once(_sent(("a", True), ("b", True), ("c", False)), stored, incomplete)
    assert not check["ok"] and check[problem]


def test_the_timeline_groups_requests_by_when_they_started():
    samples = [Sample("home", "GET", 200, ms, 1, started) for ms, started in [(10, 0.5), (30, 9.9), (50, 10.0)]]
    assert stats.timeline(samples, step=10) == [
        {"from_s": 0.0, "requests": 2, "p50_ms": 20.0, "p95_ms": 29.0},
        {"from_s": 10.0, "requests": 1, "p50_ms": 50.0, "p95_ms": 50.0},
    ]
