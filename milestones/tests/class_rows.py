"""Rows shared by one class of tests in a ``module_db`` module (see conftest.py's ``module_db``)."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction


@contextmanager
def rows_for_a_class(django_db_blocker) -> Iterator[None]:
    """Write the rows inside the block (the database is open there); they are kept in a savepoint of
    their own while the class's tests run (each in its own savepoint within) and rolled back after the
    class, so the module's other tests never see them. Use it in a class-scoped fixture that asks for
    ``module_db``."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
