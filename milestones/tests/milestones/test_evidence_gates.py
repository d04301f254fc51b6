"""Evidence gates: the reviewer judges each required item; 100 % verifies only with every item accepted and
the previous milestone verified; reopening states the progress and the reason."""

import pytest
from django.urls import reverse
from django.utils import translation

from milestones.models import EvidenceVerdict, HistoryEntry, Milestone, MilestoneDefinition, MilestoneUpdate
from milestones.services import milestones as services
from milestones.tests import builders


@pytest.fixture(autouse=True)
def in_english():
    """Service messages are matched in English; the page tests below check the Indonesian."""
    with translation.override("en"):
        yield


def requirements(milestone):
    return list(milestone.definition.requirements.order_by("order"))


def full_update(milestone, officer):
    """A submitted update at 100 % claiming every required item."""
    return builders.submitted(milestone, officer, progress=100, requirements=requirements(milestone))


def judge(update, requirement, reviewer, verdict="accepted", note=""):
    return services.judge_evidence(
        update=update, requirement=requirement, reviewer=reviewer, verdict=verdict, note=note
    )


@pytest.fixture
def m1(bartim):
    return builders.milestone(bartim, 1)


@pytest.fixture
def waiting_m1(m1, officer_bartim, pokja_kalteng):
    """M1 at 100 % with the first two items accepted and the third not judged."""
    update = full_update(m1, officer_bartim)
    for requirement in requirements(m1)[:2]:
        judge(update, requirement, pokja_kalteng)
    return update


# --- The gate at 100 % ----------------------------------------------------------------------------------


def test_approving_at_100_with_an_item_not_accepted_is_refused_and_nothing_changes(waiting_m1, pokja_kalteng):
    missing = requirements(waiting_m1.milestone)[2]
    with pytest.raises(services.ActionRefused, match="not yet accepted: " + missing.label):
        services.approve_update(update=waiting_m1, reviewer=pokja_kalteng)
    waiting_m1.refresh_from_db()
    milestone = Milestone.objects.get(pk=waiting_m1.milestone_id)
    assert (waiting_m1.status, waiting_m1.decided_by) == ("submitted", None)
    assert (milestone.status, milestone.progress) == ("submitted", 0)
    assert not HistoryEntry.objects.filter(milestone=milestone, action="approved").exists()


def test_a_rejected_item_blocks_verification_too(waiting_m1, pokja_kalteng):
    judge(waiting_m1, requirements(waiting_m1.milestone)[2], pokja_kalteng, "rejected", "Foto tidak terbaca.")
    with pytest.raises(services.ActionRefused, match="not yet accepted"):
        services.approve_update(update=waiting_m1, reviewer=pokja_kalteng)


def test_every_item_accepted_verifies_and_locks_the_milestone(waiting_m1, pokja_kalteng):
    judge(waiting_m1, requirements(waiting_m1.milestone)[2], pokja_kalteng)
    services.approve_update(update=waiting_m1, reviewer=pokja_kalteng)
    milestone = Milestone.objects.get(pk=waiting_m1.milestone_id)
    assert (milestone.status, milestone.progress, milestone.is_locked) == ("verified", 100, True)


def test_below_100_approval_works_with_items_open(m1, officer_bartim, pokja_kalteng):
    update = builders.submitted(m1, officer_bartim, progress=70, requirements=requirements(m1)[:1])
    services.approve_update(update=update, reviewer=pokja_kalteng)
    m1.refresh_from_db()
    assert (m1.status, m1.progress) == ("in_progress", 70)
    assert not update.verdicts.exists()


def test_the_page_shows_the_approve_button_disabled_with_the_missing_items(client_as, waiting_m1):
    translation.activate("id")
    missing = requirements(waiting_m1.milestone)[2]
    page = client_as("pokja_kalteng").get(waiting_m1.milestone.get_absolute_url()).content.decode()
    button = page[page.index(reverse("update_approve", args=[waiting_m1.pk])) :]
    button = button[: button.index("</form>")]
    assert "disabled" in button
    assert "Bukti wajib yang belum diterima: " + missing.label in button


def test_the_page_refuses_the_approval_post_with_the_message(client_as, waiting_m1):
    response = client_as("pokja_kalteng").post(reverse("update_approve", args=[waiting_m1.pk]), follow=True)
    page = response.content.decode()
    assert "belum dapat memverifikasi milestone" in page
    assert requirements(waiting_m1.milestone)[2].label in page
    waiting_m1.refresh_from_db()
    assert waiting_m1.status == "submitted"
    assert Milestone.objects.get(pk=waiting_m1.milestone_id).status == "submitted"


def test_with_every_item_accepted_the_button_verifies(client_as, waiting_m1, pokja_kalteng):
    judge(waiting_m1, requirements(waiting_m1.milestone)[2], pokja_kalteng)
    page = client_as("pokja_kalteng").get(waiting_m1.milestone.get_absolute_url()).content.decode()
    button = page[page.index(reverse("update_approve", args=[waiting_m1.pk])) :]
    assert "disabled" not in button[: button.index("</form>")]
    client_as("pokja_kalteng").post(reverse("update_approve", args=[waiting_m1.pk]))
    assert Milestone.objects.get(pk=waiting_m1.milestone_id).status == "verified"


# --- The previous milestone first ------------------------------------------------------------------------


def test_m2_cannot_be_verified_before_m1(bartim, officer_bartim, pokja_kalteng):
    m2 = builders.milestone(bartim, 2)
    update = full_update(m2, officer_bartim)  # submitting is not blocked
    builders.accept_all(update, pokja_kalteng)
    with pytest.raises(services.ActionRefused, match="M1 must be verified first"):
        services.approve_update(update=update, reviewer=pokja_kalteng)
    assert Milestone.objects.get(pk=m2.pk).status == "submitted"


def test_m2_is_verified_once_m1_is(bartim, officer_bartim, pokja_kalteng):
    builders.approved(builders.milestone(bartim, 1), officer_bartim, pokja_kalteng, progress=100)
    builders.approved(builders.milestone(bartim, 2), officer_bartim, pokja_kalteng, progress=100)
    assert builders.milestone(bartim, 2).status == "verified"


def test_requires_previous_can_be_switched_off(bartim, officer_bartim, pokja_kalteng):
    MilestoneDefinition.objects.filter(number=3).update(requires_previous=False)
    builders.approved(builders.milestone(bartim, 3), officer_bartim, pokja_kalteng, progress=100)
    assert builders.milestone(bartim, 3).status == "verified"


def test_the_page_explains_the_previous_milestone(client_as, bartim, officer_bartim, pokja_kalteng):
    translation.activate("id")
    update = full_update(builders.milestone(bartim, 2), officer_bartim)
    builders.accept_all(update, pokja_kalteng)
    page = client_as("officer_bartim").get(update.milestone.get_absolute_url()).content.decode()
    assert "M2 baru dapat diverifikasi setelah M1 diverifikasi" in page
    assert "M1 harus diverifikasi lebih dulu" in page


def test_below_100_m2_is_approved_while_m1_is_open(bartim, officer_bartim, pokja_kalteng):
    builders.approved(builders.milestone(bartim, 2), officer_bartim, pokja_kalteng, progress=40)
    assert builders.milestone(bartim, 2).progress == 40


# --- Judging ----------------------------------------------------------------------------------------------


def test_rejecting_without_a_note_is_refused(waiting_m1, pokja_kalteng):
    with pytest.raises(services.ActionRefused, match="Say why the evidence is rejected"):
        judge(waiting_m1, requirements(waiting_m1.milestone)[2], pokja_kalteng, "rejected", "   ")
    assert waiting_m1.verdicts.count() == 2


def test_the_page_refuses_a_rejection_without_a_note(client_as, waiting_m1):
    requirement = requirements(waiting_m1.milestone)[0]
    response = client_as("pokja_kalteng").post(
        reverse("update_judge", args=[waiting_m1.pk]),
        {"requirement": requirement.pk, "verdict": "rejected", "note": ""},
        follow=True,
    )
    assert "Sebutkan mengapa bukti ditolak" in response.content.decode()
    assert waiting_m1.verdicts.get(requirement=requirement).verdict == "accepted"


def test_the_reviewer_judges_on_the_page_and_can_change_the_judgment(client_as, waiting_m1, pokja_kalteng):
    requirement = requirements(waiting_m1.milestone)[0]
    url = reverse("update_judge", args=[waiting_m1.pk])
    client_as("pokja_kalteng").post(
        url, {"requirement": requirement.pk, "verdict": "rejected", "note": "Belum ada tanda tangan."}
    )
    verdict = waiting_m1.verdicts.get(requirement=requirement)
    assert (verdict.verdict, verdict.note, verdict.judged_by) == ("rejected", "Belum ada tanda tangan.", pokja_kalteng)
    client_as("pokja_kalteng").post(url, {"requirement": requirement.pk, "verdict": "accepted"})
    verdict.refresh_from_db()
    assert (verdict.verdict, verdict.note) == ("accepted", "")
    assert waiting_m1.verdicts.count() == 2  # one per item, changed in place


def test_an_item_the_officer_did_not_claim_cannot_be_accepted(m1, officer_bartim, pokja_kalteng):
    update = builders.submitted(m1, officer_bartim, progress=100, requirements=requirements(m1)[:1])
    with pytest.raises(services.ActionRefused, match="has not claimed"):
        judge(update, requirements(m1)[1], pokja_kalteng)
    judge(update, requirements(m1)[1], pokja_kalteng, "rejected", "Notulen tidak dilampirkan.")


def test_an_item_of_another_milestone_cannot_be_judged(waiting_m1, bartim, pokja_kalteng):
    other = requirements(builders.milestone(bartim, 2))[0]
    with pytest.raises(services.ActionRefused, match="not required by this milestone"):
        judge(waiting_m1, other, pokja_kalteng)


def test_judgments_are_frozen_once_the_update_is_decided(waiting_m1, pokja_kalteng):
    services.return_update(update=waiting_m1, reviewer=pokja_kalteng, reason="Lengkapi dokumentasi.")
    with pytest.raises(services.ActionRefused, match="no longer waiting for review"):
        judge(waiting_m1, requirements(waiting_m1.milestone)[0], pokja_kalteng, "rejected", "x")
    assert waiting_m1.verdicts.filter(verdict="accepted").count() == 2


@pytest.mark.parametrize(("persona", "status"), [("pokja_kalsel", 404), ("officer_bartim", 403), ("national", 403)])
def test_only_the_province_judges(client_as, waiting_m1, persona, status):
    requirement = requirements(waiting_m1.milestone)[2]
    response = client_as(persona).post(
        reverse("update_judge", args=[waiting_m1.pk]), {"requirement": requirement.pk, "verdict": "accepted"}
    )
    assert response.status_code == status
    assert not waiting_m1.verdicts.filter(requirement=requirement).exists()


# --- The officer and the revision -------------------------------------------------------------------------


@pytest.fixture
def returned_m1(waiting_m1, pokja_kalteng):
    judge(waiting_m1, requirements(waiting_m1.milestone)[2], pokja_kalteng, "rejected", "Foto kegiatan buram.")
    return services.return_update(update=waiting_m1, reviewer=pokja_kalteng, reason="Lengkapi dokumentasi.")


def test_the_officer_sees_the_rejection_note(client_as, returned_m1):
    officer = client_as("officer_bartim")
    assert "Foto kegiatan buram." in officer.get(returned_m1.milestone.get_absolute_url()).content.decode()
    form = officer.get(reverse("update_edit", args=[returned_m1.pk])).content.decode()
    assert "Foto kegiatan buram." in form
    assert requirements(returned_m1.milestone)[2].label in form


def test_a_resubmitted_update_keeps_its_verdicts_until_the_reviewer_changes_them(
    returned_m1, officer_bartim, pokja_kalteng
):
    milestone = returned_m1.milestone
    services.save_draft(
        milestone=milestone,
        author=officer_bartim,
        update=returned_m1,
        progress=100,
        narrative="Dokumentasi baru dilampirkan.",
        requirements=requirements(milestone)[1:],  # no longer claims the first item
    )
    services.submit_update(update=returned_m1, actor=officer_bartim)
    verdicts = {v.requirement.order: v.verdict for v in returned_m1.verdicts.all()}
    assert verdicts == {2: "accepted", 3: "rejected"}  # the unclaimed item's acceptance is gone
    with pytest.raises(services.ActionRefused, match="not yet accepted"):
        services.approve_update(update=returned_m1, reviewer=pokja_kalteng)


# --- Reopening --------------------------------------------------------------------------------------------


@pytest.fixture
def verified_m1(m1, officer_bartim, pokja_kalteng):
    builders.approved(m1, officer_bartim, pokja_kalteng, progress=100)
    m1.refresh_from_db()
    return m1


def test_reopen_sets_the_stated_progress_and_records_the_reason(verified_m1, pokja_kalteng):
    services.reopen_milestone(milestone=verified_m1, actor=pokja_kalteng, reason="SK dicabut.", progress=45)
    verified_m1.refresh_from_db()
    assert (verified_m1.status, verified_m1.progress, verified_m1.actual_date) == ("in_progress", 45, None)
    entry = HistoryEntry.objects.get(milestone=verified_m1, action="reopened")
    assert (entry.comment, entry.actor, entry.to_status) == ("SK dicabut.", pokja_kalteng, "in_progress")


def test_reopen_keeps_the_approved_update_and_its_verdicts_as_history(verified_m1, pokja_kalteng):
    services.reopen_milestone(milestone=verified_m1, actor=pokja_kalteng, reason="SK dicabut.", progress=45)
    approved = verified_m1.updates.get()
    assert approved.status == MilestoneUpdate.Status.APPROVED
    assert approved.verdicts.filter(verdict="accepted").count() == 3


@pytest.mark.parametrize("progress", [100, -1, None])
def test_reopen_refuses_a_progress_outside_0_to_99(verified_m1, pokja_kalteng, progress):
    with pytest.raises(services.ActionRefused, match="0 to 99"):
        services.reopen_milestone(milestone=verified_m1, actor=pokja_kalteng, reason="x", progress=progress)
    assert Milestone.objects.get(pk=verified_m1.pk).status == "verified"


def test_reopen_is_refused_while_the_next_milestone_is_verified(verified_m1, bartim, officer_bartim, pokja_kalteng):
    builders.approved(builders.milestone(bartim, 2), officer_bartim, pokja_kalteng, progress=100)
    with pytest.raises(services.ActionRefused, match="M2 is verified and requires this milestone"):
        services.reopen_milestone(milestone=verified_m1, actor=pokja_kalteng, reason="x", progress=50)


def test_the_reopen_form_requires_the_progress(client_as, verified_m1):
    url = reverse("milestone_reopen", args=[verified_m1.pk])
    response = client_as("pokja_kalteng").post(url, {"reason": "SK dicabut."})
    assert response.status_code == 400
    assert Milestone.objects.get(pk=verified_m1.pk).status == "verified"
    client_as("pokja_kalteng").post(url, {"reason": "SK dicabut.", "progress": "30"})
    verified_m1.refresh_from_db()
    assert (verified_m1.status, verified_m1.progress) == ("in_progress", 30)


def test_verdicts_are_shown_in_the_admin(client_as, verified_m1):
    update = verified_m1.updates.get()
    page = client_as("administrator").get(reverse("admin:milestones_milestoneupdate_change", args=[update.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    for verdict in EvidenceVerdict.objects.filter(update=update):
        assert f"{verdict.requirement}</" in content.replace("&amp;", "&")
