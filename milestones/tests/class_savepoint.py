"""Rows built once for a class of tests: a savepoint inside ``module_db`` around the class, so what the
class's fixture wrote is gone before the module's next test (which may count rows) runs."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction


@contextmanager
def rolled_back(django_db_blocker) -> Iterator[None]:
    """Whatever is written inside is rolled back on leaving; the tests in between each run in their own
    savepoint within (pytest-django's ``db`` nests)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
