from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

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


def test_scoped_querysets_are_built_once_per_request(coordinator_kalteng, balai, kalsel, django_assert_num_queries):
    """The Laporan page asks for the Balai and the regencies three times; the second ask builds nothing
    and queries nothing, and each caller gets its own clone (no shared result cache)."""
    scoping.scope_for(coordinator_kalteng)
    with mock.patch.object(scoping, "_balai_in", wraps=scoping._balai_in) as balai_in:
        with mock.patch.object(scoping, "regencies_in", wraps=scoping.regencies_in) as regencies_in:
            first_balai, first_regencies = scoping.visible_balai(coordinator_kalteng), codes(coordinator_kalteng)
            with django_assert_num_queries(0):
                again = scoping.visible_balai(coordinator_kalteng)
                scoping.visible_regencies(coordinator_kalteng)
    assert balai_in.call_count == 1 and regencies_in.call_count == 1
    assert again is not first_balai and list(again) == list(first_balai) == [balai]
    assert first_regencies == codes(coordinator_kalteng)


def test_scoped_querysets_follow_a_new_scope(coordinator_kalteng, balai, kalsel):
    """Nothing outlives the user object: a new request (a fresh user) sees a changed role, and so does a
    scope computed afresh on the same object."""
    assert list(scoping.visible_balai(coordinator_kalteng)) == [balai]
    UserRole.objects.filter(user=coordinator_kalteng).update(province=kalsel)
    fresh = type(coordinator_kalteng).objects.get(pk=coordinator_kalteng.pk)
    assert list(scoping.visible_balai(fresh)) == []
    assert set(scoping.visible_regencies(fresh).values_list("province", flat=True)) == {"63"}
    del coordinator_kalteng._ssk_scope, coordinator_kalteng._ssk_role  # as a new request would have it
    assert list(scoping.visible_balai(coordinator_kalteng)) == []


def test_a_new_request_sees_a_changed_role(client, coordinator_kalteng, kalsel):
    """The Laporan form's regency choices follow the role from one request to the next."""
    client.force_login(coordinator_kalteng)
    assert "62.13" in client.get(reverse("reports")).content.decode()
    UserRole.objects.filter(user=coordinator_kalteng).update(province=kalsel)
    page = client.get(reverse("reports")).content.decode()
    assert "62.13" not in page and "63.01" in page
