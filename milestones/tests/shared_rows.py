"""Rows shared by the tests of one class, built once: a savepoint inside ``module_db`` (conftest.py),
rolled back after the class's last test so that the module's other tests never see them.

    @pytest.fixture(scope="class")
    @classmethod
    def many(cls, module_db, django_db_blocker):
        with rolled_back(django_db_blocker):
            with building(django_db_blocker, NOW):
                ...  # write the rows
            yield ...

Each test still asks for ``db``: its own writes go into a savepoint within, gone before the next test.
"""

import contextlib
import datetime
from collections.abc import Iterator

import time_machine
from django.contrib.auth import get_user_model
from django.db import transaction


@contextlib.contextmanager
def rolled_back(django_db_blocker) -> Iterator[None]:
    """Whatever is written inside is rolled back on leaving; the tests in between each run in their own
    savepoint within (pytest-django's ``db`` nests). ``module_db`` in conftest.py is this around a module."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@contextlib.contextmanager
def building(django_db_blocker, now: datetime.datetime | str) -> Iterator[None]:
    """The database open and the clock at ``now`` (the modules' frozen_time is function-scoped)."""
    with django_db_blocker.unblock(), time_machine.travel(now, tick=False):
        yield


def users(*usernames: str) -> dict:
    """Persona rows by username, for building (the persona fixtures are function-scoped)."""
    found = get_user_model().objects.select_related("ssk_role__province", "ssk_role__regency")
    return {user.username: user for user in found.filter(username__in=usernames)}
