from django.utils.functional import SimpleLazyObject

from milestones.selectors import notices


def notice_bell(request):
    """The bell's unread count in the top bar, counted only if a template asks (and never for an anonymous
    visitor: the template shows the bell to signed-in users only)."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"notice_unread_count": SimpleLazyObject(lambda: notices.unread_count(user))}
