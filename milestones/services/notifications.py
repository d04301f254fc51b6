"""E-mails about milestone updates, in Bahasa Indonesia (the users' working language)."""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import translation

from milestones.models import MilestoneUpdate
from regencies.models import Regency, Role
from ssk_tracker.lib.users import User


def load(update_id: int) -> MilestoneUpdate:
    return MilestoneUpdate.objects.select_related(
        "milestone__definition", "milestone__regency__province", "author", "decided_by"
    ).get(pk=update_id)


def _send(template: str, context: dict[str, object], recipients: list[str]) -> int:
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
        text = render_to_string(f"emails/{template}_body.txt", context)
        html = render_to_string(f"emails/{template}_body.html", context)
    message = EmailMultiAlternatives(subject, text, to=recipients)
    message.attach_alternative(html, "text/html")
    message.send()
    return len(recipients)


def reviewer_users(regency: Regency) -> QuerySet[User]:
    """Whom a submitted update is told to (e-mail and notice): the active provincial Pokja staff of its province."""
    return get_user_model().objects.filter(
        is_active=True, ssk_role__role=Role.PROVINCIAL_STAFF, ssk_role__province=regency.province_id
    )


def reviewers_of(regency: Regency) -> list[str]:
    return _emails(reviewer_users(regency))


def decision_users(update: MilestoneUpdate) -> list[User]:
    """Whom a decision is told to (e-mail and notice): the update's author, while active."""
    return [update.author] if update.author.is_active else []


def _emails(users: Iterable[User] | QuerySet[User]) -> list[str]:
    if isinstance(users, QuerySet):
        return sorted(users.exclude(email="").values_list("email", flat=True))
    return sorted(user.email for user in users if user.email)


def send_update_submitted(update_id: int) -> int:
    update = load(update_id)
    context = {"update": update, "milestone": update.milestone, "link": _link(update)}
    return _send("update_submitted", context, reviewers_of(update.milestone.regency))


def send_update_decided(update_id: int) -> int:
    update = load(update_id)
    context = {"update": update, "milestone": update.milestone, "link": _link(update)}
    return _send("update_decided", context, _emails(decision_users(update)))


def _link(update: MilestoneUpdate) -> str:
    return f"{settings.SITE_URL}{update.milestone.get_absolute_url()}"
