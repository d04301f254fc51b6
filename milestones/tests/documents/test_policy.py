"""Policy package (paket kebijakan) pages: the officer writes the package and its items, the province reads."""

from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from milestones.models import PolicyItem, PolicyPackage
from milestones.services import documents as services
from milestones.tests import document_builders as build
from milestones.tests.builders import cohort
from milestones.tests.shared_rows import rolled_back
from regencies.models import Regency

KINDS = PolicyItem.Kind.values
OUTSIDERS = [("officer_mura", 404), ("pokja_kalsel", 404), ("nobody", 404)]
READERS = ["national", "administrator", "pokja_kalteng", "balai_kalteng", "coordinator_kalteng"]


def package_data(items=(), existing=0, **overrides):
    """POST data: the package's fields, then one row per item (a dict with an optional "id")."""
    data = {"title": "Paket Kebijakan Sanitasi Barito Timur 2022", "status": "draft", "notes": "", **overrides}
    rows = list(items)
    data.update({"items-TOTAL_FORMS": len(rows), "items-INITIAL_FORMS": existing, "items-MAX_NUM_FORMS": 1000})
    for n, row in enumerate(rows):
        row = {"kind": "", "description": "", "legal_instrument": "", "status": "planned", **row}
        data.update({f"items-{n}-{key}": value for key, value in row.items()})
    return data


def every_kind():
    return [{"kind": kind, "description": f"Rekomendasi {kind}"} for kind in KINDS]


@pytest.fixture(scope="class")
def package_pk(module_db, django_db_blocker) -> Iterator[int]:
    """A package of Barito Timur's, built once for a class of tests."""
    with rolled_back(django_db_blocker):
        with django_db_blocker.unblock():
            officer_bartim = get_user_model().objects.get(username="officer_bartim")
            package = build.package(Regency.objects.get(code="62.13"), officer_bartim)
        yield package.pk


@pytest.mark.parametrize(("persona", "status"), [("officer_bartim", 200)] + [(p, 403) for p in READERS] + OUTSIDERS)
def test_create_form_access(client_as, bartim, persona, status):
    assert client_as(persona).get(reverse("policy_create", args=["62.13"])).status_code == status


class TestAPackage:
    """Who may read a package and open its form (the package built once for the class)."""

    @pytest.fixture
    def package(self, db, package_pk) -> PolicyPackage:
        return PolicyPackage.objects.get(pk=package_pk)

    @pytest.mark.parametrize(("persona", "status"), [("officer_bartim", 200)] + [(p, 200) for p in READERS] + OUTSIDERS)
    def test_package_page_access(self, client_as, package, persona, status):
        assert client_as(persona).get(reverse("policy_package", args=[package.pk])).status_code == status

    @pytest.mark.parametrize(("persona", "status"), [("officer_bartim", 200)] + [(p, 403) for p in READERS] + OUTSIDERS)
    def test_edit_form_access(self, client_as, package, persona, status):
        assert client_as(persona).get(reverse("policy_edit", args=[package.pk])).status_code == status


def test_the_create_form_offers_a_row_for_every_kind(client_as, bartim):
    formset = client_as("officer_bartim").get(reverse("policy_create", args=["62.13"])).context["formset"]
    assert [form.initial["kind"] for form in formset.forms] == KINDS


def test_officer_creates_a_package_with_an_item_of_every_kind(client_as, bartim):
    data = package_data(every_kind(), status="committed", committed_on="2022-06-14")
    response = client_as("officer_bartim").submit(reverse("policy_create", args=["62.13"]), data)
    package = PolicyPackage.objects.get()
    assert response.status_code == 302 and response.url == reverse("policy_package", args=[package.pk])
    assert package.regency == bartim and str(package.committed_on) == "2022-06-14"
    assert sorted(package.items.values_list("kind", flat=True)) == sorted(KINDS)


def test_empty_rows_are_skipped(client_as, bartim):
    # As the browser sends the form: every row keeps its pre-selected kind, two are left empty.
    rows = [{"kind": "regulation", "description": "Perbup air limbah domestik"}, {"kind": KINDS[1]}, {"kind": KINDS[2]}]
    client_as("officer_bartim").submit(reverse("policy_create", args=["62.13"]), package_data(rows))
    assert PolicyItem.objects.count() == 1


def test_a_committed_package_needs_its_date_and_nothing_is_saved(client_as, bartim):
    data = package_data(every_kind(), status="committed")
    response = client_as("officer_bartim").submit(reverse("policy_create", args=["62.13"]), data)
    assert response.context["form"].has_error("committed_on")
    assert not PolicyPackage.objects.exists() and not PolicyItem.objects.exists()


def test_an_item_without_description_is_rejected_and_nothing_saved(client_as, bartim):
    data = package_data([{"kind": "regulation", "description": "", "legal_instrument": "Perbup 12/2022"}])
    response = client_as("officer_bartim").submit(reverse("policy_create", args=["62.13"]), data)
    assert response.context["formset"].forms[0].has_error("description")
    assert not PolicyPackage.objects.exists()


def test_officer_edits_items_removes_one_and_adds_one(client_as, bartim, officer_bartim):
    package = build.package(bartim, officer_bartim, kinds=("regulation", "institution"))
    regulation, institution = package.items.order_by("kind")[1], package.items.order_by("kind")[0]
    rows = [
        {
            "id": regulation.pk,
            "kind": "regulation",
            "description": "Perbup",
            "legal_instrument": "Perbup 12/2022",
            "status": "enacted",
        },
        {"id": institution.pk, "kind": "institution", "description": "UPTD", "DELETE": "on"},
        {"kind": "funding", "description": "Pemetaan pendanaan"},
    ]
    data = package_data(rows, existing=2, title="Paket 2022 (revisi)")
    response = client_as("officer_bartim").submit(reverse("policy_edit", args=[package.pk]), data)
    assert response.status_code == 302
    package.refresh_from_db()
    assert package.title == "Paket 2022 (revisi)"
    assert sorted(package.items.values_list("kind", "status")) == [("funding", "planned"), ("regulation", "enacted")]
    assert package.items.get(kind="regulation").legal_instrument == "Perbup 12/2022"


def test_the_cohort_offered_is_the_regencys_own(client_as, bartim, mura):
    own, other = cohort(bartim, 2022), cohort(mura, 2022)
    field = client_as("officer_bartim").get(reverse("policy_create", args=["62.13"])).context["form"].fields["cohort"]
    assert list(field.queryset) == [own]
    data = package_data(cohort=other.pk)
    response = client_as("officer_bartim").submit(reverse("policy_create", args=["62.13"]), data)
    assert response.context["form"].has_error("cohort")


def test_items_of_another_package_cannot_be_edited_through_this_one(bartim, officer_bartim):
    first = build.package(bartim, officer_bartim)
    second = build.package(bartim, officer_bartim, title="Paket lain")
    foreign = first.items.first()
    with pytest.raises(services.ActionRefused):
        services.save_policy_package(
            regency=bartim,
            actor=officer_bartim,
            package=second,
            title="Paket lain",
            status="draft",
            items=[services.PolicyItemInput(kind="funding", description="x", pk=foreign.pk)],
        )
    foreign.refresh_from_db()
    assert foreign.description != "x"


def edit_half_and_remove_half(regency, officer, size):
    """Save a package of ``size`` items, changing the first half and removing the rest; the queries it took."""
    package = build.package(regency, officer, kinds=[KINDS[n % len(KINDS)] for n in range(size)])
    items = list(package.items.order_by("pk"))
    entries = [
        services.PolicyItemInput(item.kind, "Diubah", status="enacted", pk=item.pk, delete=n >= size // 2)
        for n, item in enumerate(items)
    ]
    with CaptureQueriesContext(connection) as queries:
        services.save_policy_package(
            regency=regency, actor=officer, package=package, title="Paket", status="draft", items=entries
        )
    assert list(package.items.values_list("description", "status")) == [("Diubah", "enacted")] * (size // 2)
    return len(queries)


def test_saving_a_package_takes_the_same_queries_however_many_items_change(bartim, officer_bartim):
    assert edit_half_and_remove_half(bartim, officer_bartim, 2) == edit_half_and_remove_half(bartim, officer_bartim, 10)


def test_the_package_page_lists_its_items(client_as, bartim, officer_bartim):
    package = build.package(bartim, officer_bartim, kinds=KINDS)
    html = client_as("pokja_kalteng").get(reverse("policy_package", args=[package.pk])).content.decode()
    assert html.count('data-testid="policy-item"') == len(KINDS)
    assert "Item promotion" in html
