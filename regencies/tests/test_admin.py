import pytest
from django.contrib import admin
from django.urls import reverse

MODELS = [model for model in admin.site._registry if model._meta.app_label in {"regencies", "milestones", "reports"}]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_admin_lists_and_adds_every_model(client, administrator, model):
    client.force_login(administrator)
    opts = model._meta
    assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == 200


def test_admin_is_closed_to_other_roles(client, pokja_kalteng):
    client.force_login(pokja_kalteng)
    assert client.get(reverse("admin:index")).status_code == 302
