import os
from pathlib import Path

import pytest
from django.conf import settings

from milestones.models import Blob


def stored_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT)
    return {Path(folder, name) for folder, _dirs, names in os.walk(root) for name in names}


@pytest.fixture
def stores_nothing(db):
    """Asserts at the end of the test that no Blob row and no file in storage was added."""
    blobs, files = Blob.objects.count(), stored_files()
    yield
    assert Blob.objects.count() == blobs
    assert stored_files() == files
