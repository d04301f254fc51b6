from django.utils.functional import SimpleLazyObject

from regencies import scoping


def user_scope(request):
    """The user's role and scope for the navigation bar (computed only if a template asks)."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"ssk_scope": SimpleLazyObject(lambda: scoping.describe_scope(user))}
