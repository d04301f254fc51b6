from django.utils.functional import SimpleLazyObject

from reports import deliveries


def report_inbox(request):
    """How many delivered reports wait for the user's acknowledgement (the navigation's badge), counted
    only if a template asks."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"report_inbox_count": SimpleLazyObject(lambda: deliveries.inbox_count(user))}
