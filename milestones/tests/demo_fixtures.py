"""Seed the demo once per test module, not once per test.

``demo = seed_once(seed_milestones, ...)`` in a test module gives it a module-scoped ``demo`` fixture:
the organisations, the demo users and then each seed, run in an atomic block that is rolled back when
the module ends. Each test still asks for ``db``; its own transaction nests inside as a savepoint, so
what one test writes is gone before the next.
"""

import contextlib
import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import transaction
from django.test import TestCase

from milestones.demo import loader
from regencies import demo as regencies_demo

# The day the demo tests' story ends on (``seed_demo --today``), so what they find does not depend on the
# day they run.
DEMO_TODAY = datetime.date(2026, 12, 2)


@dataclass
class SeededDemo:
    created: dict[str, list]  # what each seed returned (what it created), by the seed's name
    callbacks: list  # on-commit callbacks queued while seeding (notifications would be here)
    outbox: list  # mail sent while seeding


def seed_once(*seeds: Callable[[], list | None], today: datetime.date = DEMO_TODAY):
    """A module-scoped ``demo`` fixture that seeds the organisations, the users and then ``seeds``, the
    story ending on ``today``."""

    @pytest.fixture(scope="module", name="demo")
    def demo(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock(), seeded(seeds, today) as result:
            yield result

    return demo


@contextlib.contextmanager
def seeded(seeds, today: datetime.date) -> Iterator[SeededDemo]:
    """The demo seeded as of ``today`` in an atomic block, rolled back when the block ends."""
    with transaction.atomic():
        sent = len(mail.outbox) if hasattr(mail, "outbox") else 0
        with TestCase.captureOnCommitCallbacks() as callbacks:
            regencies_demo.seed_users(regencies_demo.seed_organisations())
            loader.set_today(today)
            try:
                created = {seed.__name__: seed() for seed in seeds}
            finally:
                loader.set_today(None)
        outbox = list(getattr(mail, "outbox", [])[sent:])
        yield SeededDemo(created=created, callbacks=callbacks, outbox=outbox)
        transaction.set_rollback(True)


def snapshot() -> dict[str, list[dict]]:
    """Every row of the milestones and regencies apps (many-to-many links too) and every user, field by
    field, in pk order. Password hashes are left out (regencies/tests/test_seed_demo.py checks that a second
    seeding keeps them); so is the audit trail, which records the second seeding too."""
    from milestones.models import AuditEntry

    models = [
        *(m for m in apps.get_app_config("milestones").get_models(include_auto_created=True) if m is not AuditEntry),
        *apps.get_app_config("regencies").get_models(include_auto_created=True),
        get_user_model(),
    ]
    rows = {model._meta.label: list(model.objects.order_by("pk").values()) for model in models}
    for user in rows[get_user_model()._meta.label]:
        del user["password"]
    return rows
