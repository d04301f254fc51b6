from milestones.services import milestones as services
from milestones.tests import builders


def test_reviewers_are_told_when_an_update_is_submitted(
    bartim, officer_bartim, pokja_kalteng, pokja_kalsel, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        builders.submitted(builders.milestone(bartim, 4), officer_bartim, progress=65)
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["pokja_kalteng@example.test"]  # not the other province's staff
    assert "Kabupaten Barito Timur" in mail.subject and "M4" in mail.subject
    assert "65%" in mail.body
    assert "http://127.0.0.1:8000/milestone/" in mail.body


def test_the_officer_is_told_the_reason_when_returned(
    bartim, officer_bartim, pokja_kalteng, mailoutbox, django_capture_on_commit_callbacks
):
    update = builders.submitted(builders.milestone(bartim, 4), officer_bartim)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.return_update(update=update, reviewer=pokja_kalteng, reason="Lampirkan SK UPTD.")
    assert [m.to for m in mailoutbox] == [["officer_bartim@example.test"]]
    assert "Lampirkan SK UPTD." in mailoutbox[0].body
    assert "dikembalikan" in mailoutbox[0].subject


def test_the_officer_is_told_when_approved(
    bartim, officer_bartim, pokja_kalteng, mailoutbox, django_capture_on_commit_callbacks
):
    update = builders.submitted(builders.milestone(bartim, 4), officer_bartim, progress=70)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_update(update=update, reviewer=pokja_kalteng)
    assert len(mailoutbox) == 1 and "disetujui" in mailoutbox[0].subject
    assert "70%" in mailoutbox[0].body


def test_nothing_is_queued_when_the_transaction_fails(
    bartim, officer_bartim, mailoutbox, django_capture_on_commit_callbacks
):
    from django.db import transaction

    update = builders.draft(builders.milestone(bartim, 4), officer_bartim)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                services.submit_update(update=update, actor=officer_bartim)
                raise RuntimeError("the request failed after submitting")
        except RuntimeError:
            pass
    assert callbacks == [] and mailoutbox == []
