"""The load test's figures: percentiles, per page and overall, and the table printed from them."""

import math
from collections.abc import Iterable, Sequence
from typing import Any

from milestones.loadtest.client import Sample

PERCENTILES = (50, 95, 99)


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100), interpolated between the two nearest ranks (numpy's default); 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _figures(samples: Sequence[Sample]) -> dict[str, Any]:
    times = [sample.ms for sample in samples]
    html = [sample for sample in samples if sample.html]
    return {
        "requests": len(samples),
        "errors": sum(sample.failed for sample in samples),
        **{f"p{q}_ms": round(percentile(times, q), 1) for q in PERCENTILES},
        "max_ms": round(max(times, default=0.0), 1),
        "mean_kb": round(sum(sample.size for sample in samples) / len(samples) / 1024, 1) if samples else 0.0,
        "mean_unpacked_kb": round(sum(s.unpacked for s in samples) / len(samples) / 1024, 1) if samples else 0.0,
        "html_compressed": sum(sample.compressed for sample in html),
        "html_responses": len(html),
    }


def summarise(samples: Iterable[Sample], elapsed: float) -> dict[str, Any]:
    """Overall figures and one row per page (in the order pages were first requested)."""
    samples = list(samples)
    pages: dict[str, list[Sample]] = {}
    for sample in sorted(samples, key=lambda s: s.started):
        pages.setdefault(sample.page, []).append(sample)
    overall = _figures(samples)
    overall["seconds"] = round(elapsed, 1)
    overall["throughput_rps"] = round(len(samples) / elapsed, 1) if elapsed > 0 else 0.0
    return {"overall": overall, "pages": {page: _figures(rows) for page, rows in pages.items()}}


def timeline(samples: Iterable[Sample], step: float = 10.0) -> list[dict[str, Any]]:
    """Requests started in each ``step`` seconds, with their p50/p95: the arrival of the users (and their
    sign-ins) against the steady state after."""
    buckets: dict[int, list[float]] = {}
    for sample in samples:
        buckets.setdefault(int(sample.started // step), []).append(sample.ms)
    return [
        {
            "from_s": index * step,
            "requests": len(times),
            "p50_ms": round(percentile(times, 50), 1),
            "p95_ms": round(percentile(times, 95), 1),
        }
        for index, times in sorted(buckets.items())
    ]


def errors(samples: Iterable[Sample], limit: int = 20) -> list[dict[str, Any]]:
    """The first failed requests, for the report."""
    failed = [sample for sample in samples if sample.failed]
    return [
        {"page": s.page, "method": s.method, "status": s.status, "error": s.error, "at_s": round(s.started, 1)}
        for s in sorted(failed, key=lambda s: s.started)[:limit]
    ]


def table(summary: dict[str, Any]) -> str:
    """The per-page figures and the overall line as a fixed-width table."""
    head = (
        f"{'page':<22} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} {'KB':>6} {'KB raw':>7}"
        f" {'errors':>6}"
    )
    lines = [head, "-" * len(head)]

    def row(name: str, figures: dict[str, Any]) -> str:
        return (
            f"{name:<22} {figures['requests']:>6} {figures['p50_ms']:>8.1f} {figures['p95_ms']:>8.1f} "
            f"{figures['p99_ms']:>8.1f} {figures['max_ms']:>8.1f} {figures['mean_kb']:>6.1f} "
            f"{figures['mean_unpacked_kb']:>7.1f} {figures['errors']:>6}"
        )

    for name, figures in summary["pages"].items():
        lines.append(row(name, figures))
    lines.append("-" * len(head))
    lines.append(row("all", summary["overall"]))
    return "\n".join(lines)
