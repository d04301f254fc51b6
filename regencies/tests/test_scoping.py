import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from regencies import scoping
from regencies.models import Regency, Role, UserRole


def codes(user):
    return sorted(scoping.visible_regencies(user).values_list("code", flat=True))


def test_national_scope_is_everything(national, kalteng, kalsel):
    assert len(codes(national)) == 16


def test_provincial_scope_is_the_province(pokja_kalteng, kalsel):
    assert codes(pokja_kalteng) == sorted(Regency.objects.filter(province="62").values_list("code", flat=True))


def test_balai_scope_is_its_provinces(balai_kalteng, kalsel):
    balai = UserRole.objects.get(user=balai_kalteng).balai
    balai.provinces.add(kalsel)
    balai_kalteng = type(balai_kalteng).objects.get(pk=balai_kalteng.pk)  # a fresh user: no cached scope
    assert len(codes(balai_kalteng)) == 16


def test_officer_scope_is_their_regency(officer_bartim, kalsel):
    assert codes(officer_bartim) == ["62.13"]


def test_no_role_means_nothing(nobody, kalteng):
    assert codes(nobody) == []
    assert list(scoping.visible_provinces(nobody)) == []


def test_filter_by_scope_follows_a_path_to_the_regency(officer_mura, kalteng):
    from regencies.models import WorkingGroup

    for regency in Regency.objects.all():
        WorkingGroup.objects.create(level="regency", variant="PKP", name=f"Pokja {regency}", regency=regency)
    visible = scoping.filter_by_scope(officer_mura, WorkingGroup.objects.all(), "regency")
    assert [wg.regency_id for wg in visible] == ["62.12"]


def test_get_regency_or_404_hides_other_regencies(officer_bartim, mura):
    with pytest.raises(Http404):
        scoping.get_regency_or_404(officer_bartim, "62.12")


def test_only_the_own_officer_may_submit(officer_bartim, officer_mura, pokja_kalteng, national, bartim):
    assert scoping.can_submit_updates(officer_bartim, bartim)
    assert not scoping.can_submit_updates(officer_mura, bartim)
    assert not scoping.can_submit_updates(pokja_kalteng, bartim)
    assert not scoping.can_submit_updates(national, bartim)


def test_only_the_province_may_review(pokja_kalteng, pokja_kalsel, balai_kalteng, coordinator_kalteng, bartim):
    assert scoping.can_review(pokja_kalteng, bartim)
    for user in (pokja_kalsel, balai_kalteng, coordinator_kalteng):
        assert not scoping.can_review(user, bartim)


def test_require_raises_permission_denied(officer_mura, bartim):
    with pytest.raises(PermissionDenied):
        scoping.require(scoping.can_submit_updates(officer_mura, bartim))


@pytest.mark.parametrize(
    ("role", "region", "error_field"),
    [
        (Role.REGENCY_OFFICER, {}, "regency"),
        (Role.PROVINCIAL_STAFF, {"regency_id": "62.13"}, "province"),
        (Role.NATIONAL, {"province_id": "62"}, "__all__"),
    ],
)
def test_user_role_validation_explains_the_missing_scope(kalteng, nobody, role, region, error_field):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        UserRole(user=nobody, role=role, **region).full_clean()
    assert error_field in error.value.message_dict


def test_the_database_refuses_an_officer_without_a_regency(nobody):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        UserRole.objects.create(user=nobody, role=Role.REGENCY_OFFICER)
