"""Reads of a user's in-app notices: the bell's unread count, the list page, one notice of the user's."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from milestones.models import Notice
from ssk_tracker.lib.users import AnyUser

# Notices on one page of the list.
PAGE_SIZE = 25


def unread_count(user: AnyUser) -> int:
    """The bell's badge: one query on the partial index of unread notices; none for an anonymous visitor."""
    if not user.is_authenticated:
        return 0
    return Notice.objects.filter(recipient=user, read_at__isnull=True).count()


def notices_of(user: AnyUser) -> QuerySet[Notice]:
    """The user's notices, newest first (the unread ones are highlighted on the page, not moved)."""
    if not user.is_authenticated:
        return Notice.objects.none()
    return Notice.objects.filter(recipient=user).order_by("-created_at", "-pk")


def notice_of_user_or_404(user: AnyUser, pk: int) -> Notice:
    """One of the user's own notices: another user's is a 404, as if it did not exist."""
    return get_object_or_404(notices_of(user), pk=pk)
