import pytest
from django.contrib import admin
from django.urls import reverse

MODELS = [model for model in admin.site._registry if model._meta.app_label in {"regencies", "milestones", "reports"}]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_admin_lists_and_adds_every_model(client, administrator, model):
    client.force_login(administrator)
    opts = model._meta
    assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")).status_code == 200
    add = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code
    # Milestones open with their cohort; outbox messages and in-app notices only with the change that sends
    # them; the audit trail is written by the application only.
    # An API token is made by its user only (the key is shown once, to them).
    refused = {"milestones.Milestone", "milestones.OutboxMessage", "milestones.Notice", "milestones.AuditEntry"}
    refused |= {"regencies.ApiToken"}
    assert add == (403 if model._meta.label in refused else 200)


def test_admin_is_closed_to_other_roles(client, pokja_kalteng):
    client.force_login(pokja_kalteng)
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_cohort_added_in_the_admin_opens_its_four_milestones(client, administrator, bartim):
    client.force_login(administrator)
    data = {
        "regency": "62.13",
        "year_m1_m3": "2024",
        "year_m4": "2025",
        "decree_number": "",
        "decree_date": "",
        "milestones-TOTAL_FORMS": "0",
        "milestones-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:milestones_cohort_add"), data)
    assert response.status_code == 302
    assert bartim.milestones.filter(cohort__year_m1_m3=2024).count() == 4
