"""Demo outcome indicators (``data/indicators.toml``): Barito Timur's and Murung Raya's baselines, RPJMD
targets and two years of actuals (2023 verified; 2024 waiting for the province, or returned with a reason),
and Kapuas' first verified year.

Call ``seed_indicators()`` after the SSK documents (the years are checked against each regency's SSK
period, as the services check them). The ORM is used with the demo's own timestamps, as the closings demo
does; each review step is a ``ReviewStep`` of the shared workflow. Safe to run again: a regency's indicator
that exists is kept as it is.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from milestones.demo.loader import DemoDataError, build, provincial_reviewer, read, regency_officer, tables
from milestones.models import (
    IndicatorActual,
    IndicatorDefinition,
    IndicatorTarget,
    RegencyIndicator,
    ReviewState,
    ReviewStep,
)
from milestones.services import ActionRefused
from milestones.services import indicators as checks
from regencies.models import Regency

NAME = "indicators.toml"
Step = ReviewStep.Action


@dataclass(frozen=True)
class Actual:
    year: int
    value: Decimal
    source: str
    submitted: datetime.datetime
    verified: datetime.datetime | None = None
    returned: datetime.datetime | None = None
    reason: str = ""

    def __post_init__(self) -> None:
        if self.verified and self.returned:
            raise ValueError("an actual is verified or returned, not both")
        if bool(self.returned) != bool(self.reason):
            raise ValueError("a returned actual needs its reason, and only a returned one has one")


@dataclass(frozen=True)
class Indicator:
    regency: str
    code: str
    baseline_year: int
    baseline_value: Decimal
    targets: dict
    actuals: tuple[dict, ...] = ()
    baseline_source: str = ""


def load_indicators() -> list[tuple[Indicator, list[Actual]]]:
    rows = tables(read(NAME, "indicators")["indicators"], f"{NAME}: indicators")
    found = []
    for number, row in enumerate(rows, start=1):
        where = f"{NAME}: indicator {number} ({row.get('regency', '?')} {row.get('code', '?')})"
        item = build(Indicator, row, where)
        actuals = [build(Actual, a, f"{where}, actual {i}") for i, a in enumerate(item.actuals, start=1)]
        found.append((item, actuals))
    return found


def seed_indicators() -> list[RegencyIndicator]:
    """Create the demo indicators with their targets, actuals and review steps; returns those created."""
    reviewer = provincial_reviewer()
    definitions = {d.code: d for d in IndicatorDefinition.objects.all()}
    created = []
    with transaction.atomic():
        for item, actuals in load_indicators():
            definition = definitions.get(item.code)
            if definition is None:
                raise DemoDataError(f"{NAME}: unknown indicator {item.code!r} (one of {', '.join(definitions)})")
            regency = Regency.objects.get(code=item.regency)
            if RegencyIndicator.objects.filter(regency=regency, definition=definition).exists():
                continue
            created.append(_seed(item, actuals, regency, definition, reviewer))
    return created


def _checked(item: Indicator, actuals: list[Actual], regency: Regency) -> dict[int, Decimal]:
    targets = {int(year): Decimal(str(value)) for year, value in item.targets.items()}
    try:
        period = checks.period_or_refuse(regency)
        checks.check_year(item.baseline_year, period, baseline=True)
        checks.check_percent(Decimal(item.baseline_value), "baseline")
        for year, value in [*targets.items(), *((a.year, Decimal(a.value)) for a in actuals)]:
            checks.check_year(year, period)
            checks.check_percent(value, str(year))
    except ActionRefused as refused:
        raise DemoDataError(f"{NAME}: {item.regency} {item.code}: {refused.message}") from None
    if len({a.year for a in actuals}) != len(actuals):
        raise DemoDataError(f"{NAME}: {item.regency} {item.code}: one actual per year")
    return targets


def _seed(item: Indicator, actuals: list[Actual], regency: Regency, definition, reviewer) -> RegencyIndicator:
    targets = _checked(item, actuals, regency)
    officer = regency_officer(regency.code, reviewer)
    first = min((a.submitted for a in actuals), default=None)
    indicator = RegencyIndicator.objects.create(
        regency=regency,
        definition=definition,
        baseline_year=item.baseline_year,
        baseline_value=Decimal(item.baseline_value),
        baseline_source=item.baseline_source,
        updated_by=officer,
        updated_at=first or datetime.datetime(item.baseline_year + 1, 1, 15, tzinfo=datetime.UTC),
    )
    IndicatorTarget.objects.bulk_create(
        IndicatorTarget(indicator=indicator, year=year, value=value) for year, value in sorted(targets.items())
    )
    content_type = ContentType.objects.get_for_model(IndicatorActual)
    steps = []
    for a in actuals:
        decided = a.verified or a.returned
        state = ReviewState.VERIFIED if a.verified else ReviewState.RETURNED if a.returned else ReviewState.SUBMITTED
        actual = IndicatorActual.objects.create(
            indicator=indicator,
            year=a.year,
            value=Decimal(a.value),
            source=a.source,
            created_by=officer,
            created_at=a.submitted,
            review_state=state,
            submitted_at=a.submitted,
            submitted_by=officer,
            decided_at=decided,
            decided_by=reviewer if decided else None,
            return_reason=a.reason,
        )
        steps.append(
            ReviewStep(
                content_type=content_type, object_id=actual.pk, action=Step.SUBMITTED, actor=officer, at=a.submitted
            )
        )
        if decided:
            action = Step.VERIFIED if a.verified else Step.RETURNED
            steps.append(
                ReviewStep(
                    content_type=content_type,
                    object_id=actual.pk,
                    action=action,
                    actor=reviewer,
                    at=decided,
                    comment=a.reason,
                )
            )
    ReviewStep.objects.bulk_create(steps)
    return indicator
