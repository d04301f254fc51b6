"""The shared test data of conftest.py: there for every database test, copied fresh into each one."""

import pytest
from django.contrib.auth import get_user_model

from milestones.models import MilestoneDefinition
from regencies import scoping
from regencies.models import Balai, Province, Regency, UserRole


def test_every_database_test_starts_from_the_shared_data(db):
    assert list(Province.objects.values_list("code", flat=True)) == ["62", "63"]
    assert Regency.objects.filter(province="62").count() == 14
    assert list(Regency.objects.filter(province="63").values_list("code", flat=True)) == ["63.01", "63.71"]
    assert list(Balai.objects.get().provinces.values_list("code", flat=True)) == ["62"]
    assert get_user_model().objects.count() == 9 and UserRole.objects.count() == 8
    assert list(MilestoneDefinition.objects.values_list("number", flat=True)) == [1, 2, 3, 4]


@pytest.mark.parametrize("run", ["first", "second"])
def test_what_a_test_does_to_its_personas_and_regions_stays_in_that_test(officer_bartim, bartim, run):
    # Each run finds everything as built, then spoils it; were anything shared, the second run would fail.
    assert officer_bartim.first_name == "Officer_Bartim" and not hasattr(officer_bartim, "_ssk_scope")
    assert officer_bartim.ssk_role.regency.name == bartim.name == "Kabupaten Barito Timur"
    assert officer_bartim.ssk_role.regency is not bartim
    assert scoping.scope_for(officer_bartim).regency_code == "62.13"

    officer_bartim.first_name = "Changed"
    officer_bartim.ssk_role.regency.name = "Changed"
    bartim.name = "Changed"
    bartim.save()
    get_user_model().objects.filter(pk=officer_bartim.pk).update(is_active=False)


@pytest.mark.parametrize("run", ["empty", "afterwards"])
def test_empty_db_removes_the_shared_data_for_one_test(request, run):
    if run == "empty":
        request.getfixturevalue("empty_db")
        assert not Province.objects.exists() and not get_user_model().objects.exists()
        assert MilestoneDefinition.objects.count() == 4  # as a fresh migration leaves it
    else:
        request.getfixturevalue("db")
        assert Province.objects.count() == 2 and get_user_model().objects.count() == 9
