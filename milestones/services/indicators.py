"""Writes of the outcome indicators: a regency's baseline and targets, its yearly actuals, and the
province's verification or return of an actual through the shared review workflow (``services.review``).

Who may act is the views' business (``regencies.scoping``): the regency's officer or the province's Pokja
enters, the province's Pokja decides. Every write is one transaction: a refused value saves nothing.
"""

from collections.abc import Mapping
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from milestones.models import IndicatorActual, IndicatorDefinition, IndicatorTarget, RegencyIndicator
from milestones.selectors import indicators as selectors
from milestones.services import ActionRefused, review
from regencies.models import Regency
from ssk_tracker.lib import audit
from ssk_tracker.lib.users import User

HUNDRED = Decimal(100)


def check_percent(value: Decimal, what: str) -> None:
    if value is None or not (0 <= value <= HUNDRED):
        raise ActionRefused(_("%(what)s must be a percentage between 0 and 100.") % {"what": what})


def period_or_refuse(regency: Regency) -> tuple[int, int]:
    period = selectors.ssk_period(regency)
    if period is None:
        raise ActionRefused(
            _("This regency has no SSK document yet: record its SSK first, indicators are planned in its period.")
        )
    return period


def check_year(year: int, period: tuple[int, int], *, baseline: bool = False) -> None:
    low = period[0] - (5 if baseline else 0)
    if not (low <= year <= period[1]):
        raise ActionRefused(
            _("The year %(year)s is outside the SSK period %(start)s–%(end)s.")
            % {"year": year, "start": low if baseline else period[0], "end": period[1]}
        )


def save_indicator(
    *,
    regency: Regency,
    definition: IndicatorDefinition,
    actor: User,
    baseline_year: int,
    baseline_value: Decimal,
    baseline_source: str = "",
    targets: Mapping[int, Decimal | None],
) -> RegencyIndicator:
    """Set the regency's baseline of ``definition`` and its targets by year (a year given None has none)."""
    period = period_or_refuse(regency)
    check_year(baseline_year, period, baseline=True)
    check_percent(baseline_value, _("The baseline value"))
    for year, value in targets.items():
        check_year(year, period)
        if value is not None:
            check_percent(value, _("The target for %(year)s") % {"year": year})
    with transaction.atomic():
        indicator, _created = RegencyIndicator.objects.update_or_create(
            regency=regency,
            definition=definition,
            defaults={
                "baseline_year": baseline_year,
                "baseline_value": baseline_value,
                "baseline_source": (baseline_source or "").strip(),
                "updated_by": actor,
                "updated_at": timezone.now(),
            },
        )
        existing = {t.year: t for t in indicator.targets.all()}
        for year, value in sorted(targets.items()):
            target = existing.get(year)
            if value is None:
                if target is not None:
                    target.delete()
            elif target is None:
                IndicatorTarget.objects.create(indicator=indicator, year=year, value=value)
            elif target.value != value:
                target.value = value
                target.save(update_fields=["value"])
    return indicator


def save_actual(
    *,
    indicator: RegencyIndicator,
    actor: User,
    year: int,
    value: Decimal,
    source: str,
    actual: IndicatorActual | None = None,
    submit: bool = False,
) -> IndicatorActual:
    """Create or change a year's actual (a draft or a returned one), and send it to the province if ``submit``."""
    period = period_or_refuse(indicator.regency)
    check_year(year, period)
    check_percent(value, _("The actual value"))
    source = (source or "").strip()
    if not source:
        raise ActionRefused(_("Name the source of the value (for example Susenas, EHRA, STBM)."))
    if actual is not None and not actual.is_editable:
        raise ActionRefused(_("This actual is waiting for review or verified; it can no longer be changed."))
    clash = IndicatorActual.objects.filter(indicator=indicator, year=year)
    if actual is not None:
        clash = clash.exclude(pk=actual.pk)
    if clash.exists():
        raise ActionRefused(
            _("An actual for %(year)s is already recorded: there is one actual per year.") % {"year": year}
        )
    try:
        with transaction.atomic():
            if actual is None:
                actual = IndicatorActual.objects.create(
                    indicator=indicator,
                    year=year,
                    value=value,
                    source=source,
                    created_by=actor,
                    created_at=timezone.now(),
                )
            else:
                changed = audit.update(
                    IndicatorActual.objects.filter(pk=actual.pk, review_state__in=["draft", "returned"]),
                    year=year,
                    value=value,
                    source=source,
                )
                if not changed:
                    raise ActionRefused(_("This actual was submitted or decided meanwhile; the page shows its status."))
                actual.refresh_from_db()
            if submit:
                review.submit(actual, actor=actor)
    except IntegrityError:
        raise ActionRefused(
            _("An actual for %(year)s is already recorded: there is one actual per year.") % {"year": year}
        ) from None
    return actual


def submit_actual(*, actual: IndicatorActual, actor: User) -> IndicatorActual:
    with transaction.atomic():
        return review.submit(actual, actor=actor)  # type: ignore[return-value]


def verify_actual(*, actual: IndicatorActual, reviewer: User, comment: str = "") -> IndicatorActual:
    with transaction.atomic():
        return review.verify(actual, reviewer=reviewer, comment=comment)  # type: ignore[return-value]


def return_actual(*, actual: IndicatorActual, reviewer: User, reason: str) -> IndicatorActual:
    with transaction.atomic():
        return review.return_(actual, reviewer=reviewer, reason=reason)  # type: ignore[return-value]


def reopen_actual(*, actual: IndicatorActual, actor: User, reason: str) -> IndicatorActual:
    with transaction.atomic():
        return review.reopen(actual, actor=actor, reason=reason)  # type: ignore[return-value]
