"""Two users open the same edit form; the first saves; the second's save is refused with what changed
meanwhile, field by field, and everything they typed still in the form; saved again, it goes through."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from milestones.forms.edits import VERSION_FIELD
from milestones.models import BudgetLine, FundingSource, ProgrammeActivity
from milestones.services.edits import EditConflict, claim_version
from milestones.tests.edits.cases import EDIT_CASES, colleague
from milestones.tests.form_client import FormClient, form_values


def signed_in(user) -> FormClient:
    client = FormClient()
    client.force_login(user)
    return client


def errors_of(html: str) -> str:
    """The text of the form's error box."""
    found = re.findall(r'<div class="alert[^"]*alert-danger[^"]*"[^>]*>(.*?)</div>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", part) for part in found)


@pytest.mark.parametrize("case", EDIT_CASES, ids=str)
def test_the_second_save_over_a_newer_version_is_refused_and_loses_nothing(case, personas):
    record = case.build()
    url = reverse(case.url_name, args=[record.pk])
    first_user = personas[case.persona]
    first, second = signed_in(first_user), signed_in(colleague(first_user))
    first_form, second_form = first.open_form(url), second.open_form(url)
    assert first_form[VERSION_FIELD] == second_form[VERSION_FIELD] == [str(record.version)]
    kept = {name: getattr(record, name) for name in [case.other] if name}

    first_form[case.field] = [case.first]
    assert first.post(url, first_form).status_code == 302

    second_form[case.field] = [case.second]
    if case.other:
        second_form[case.other] = [case.other_value]
    refused = second.post(url, second_form)

    assert refused.status_code == 200
    html = refused.content.decode()
    errors = errors_of(html)
    assert case.first in errors  # what the first user saved, named in the message
    if case.other and kept[case.other]:
        assert str(kept[case.other]) not in errors  # a field nobody else changed is not listed
    shown = form_values(html)
    assert shown[case.field] == [case.second]  # what the second user typed is still there
    if case.other:
        assert shown[case.other] == [case.other_value]
    record.refresh_from_db()
    assert str(getattr(record, case.field)) == case.first and record.version == 2  # the first's change intact
    for name, value in kept.items():
        assert getattr(record, name) == value  # nothing of the second user's saved
    assert shown[VERSION_FIELD] == ["2"]  # the form now carries the version it showed the changes of

    assert second.post(url, shown).status_code == 302  # merged (here: kept theirs) and saved again
    record.refresh_from_db()
    assert str(getattr(record, case.field)) == case.second and record.version == 3


def test_the_message_says_what_changed_in_indonesian(personas):
    case = EDIT_CASES[0]
    record = case.build()
    url = reverse(case.url_name, args=[record.pk])
    first, second = signed_in(personas["pokja_kalteng"]), signed_in(colleague(personas["pokja_kalteng"]))
    first_form, second_form = first.open_form(url), second.open_form(url)
    first_form["title"] = ["Judul baru"]
    first.post(url, first_form)
    second.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    errors = errors_of(second.post(url, second_form).content.decode())
    assert "Judul kini: Judul baru" in errors
    assert "Tidak ada isian Anda yang disimpan" in errors


def test_a_form_sent_without_its_version_is_refused_and_shows_what_is_on_record(personas):
    case = EDIT_CASES[0]
    record = case.build()
    url = reverse(case.url_name, args=[record.pk])
    client = signed_in(personas["pokja_kalteng"])
    form = {key: value for key, value in client.open_form(url).items() if key not in ("version", "loaded_values")}
    form["title"] = ["Tanpa versi"]
    response = client.post(url, form)
    assert response.status_code == 200 and record.title in errors_of(response.content.decode())
    record.refresh_from_db()
    assert record.title != "Tanpa versi" and record.version == 1


def test_claim_version_raises_with_the_current_row(bartim):
    saved = ProgrammeActivity.objects.create(
        regency=bartim, code="X-1", subsector="wastewater", name="A", agency="PUPR", year_start=2023, year_end=2024
    )
    assert claim_version(ProgrammeActivity, pk=saved.pk, version=1, values={"name": "B"}) == 2
    with pytest.raises(EditConflict) as refused:
        claim_version(ProgrammeActivity, pk=saved.pk, version=1, values={"name": "C"})
    assert refused.value.current.name == "B"
    saved.refresh_from_db()
    assert saved.name == "B"


def test_an_edit_of_a_deleted_record_says_so(bartim):
    with pytest.raises(EditConflict) as refused:
        claim_version(ProgrammeActivity, pk=999_999, version=1, values={"name": "C"})
    assert refused.value.current is None


def test_a_budget_line_changed_on_the_activity_form_raises_both_versions(client_as, bartim):
    from milestones.tests.planning.test_activities import activity

    saved = activity(bartim)
    client = client_as("officer_bartim")
    url = reverse("activity_edit", args=[saved.pk])
    line = BudgetLine.objects.create(activity=saved, year=2024, source=FundingSource.values[0], allocated=1)
    form = client.open_form(url)
    amount_field = next(name for name in form if name.startswith("budget-0-") and name.endswith("allocated"))
    form[amount_field] = ["123456"]
    assert client.post(url, form).status_code == 302
    saved.refresh_from_db()
    line.refresh_from_db()
    assert saved.version == 2 and line.version == 2


def test_two_administrators_editing_the_same_pokja_in_the_admin(administrator, kalteng):
    from milestones.tests.clinic_builders import provincial_pokja
    from regencies.models import WorkingGroupMember

    pokja = provincial_pokja(kalteng)
    member = WorkingGroupMember.objects.create(working_group=pokja, name="Ir. Rahmat")
    url = reverse("admin:regencies_workinggroup_change", args=[pokja.pk])
    first, second = signed_in(administrator), signed_in(colleague(administrator, staff=True))
    first_form, second_form = first.open_form(url), second.open_form(url)
    first_form["name"] = ["Pokja PKP Kalteng (A)"]
    first_form["members-0-title"] = ["Sekretaris Daerah"]
    assert first.post(url, first_form).status_code == 302
    second_form["name"] = ["Pokja PKP Kalteng (B)"]
    refused = second.post(url, second_form)
    html = refused.content.decode()
    assert refused.status_code == 200 and "Pokja PKP Kalteng (A)" in html and "Sekretaris Daerah" in html
    assert form_values(html)["name"] == ["Pokja PKP Kalteng (B)"]
    pokja.refresh_from_db()
    member.refresh_from_db()
    assert pokja.name == "Pokja PKP Kalteng (A)" and pokja.version == 2 and member.version == 2
    assert second.post(url, form_values(html)).status_code == 302
    pokja.refresh_from_db()
    assert pokja.name == "Pokja PKP Kalteng (B)" and pokja.version == 3
