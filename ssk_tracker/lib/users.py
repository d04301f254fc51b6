"""The user types that annotations share.

The project keeps Django's own user model (there is no AUTH_USER_MODEL setting), and django-stubs resolves
``settings.AUTH_USER_MODEL`` to it: every foreign key to the user model holds a ``User``, and
``request.user`` is an ``AnyUser``. Annotations name them from here, so that a custom user model would
change this one module.
"""

from django.contrib.auth.models import AnonymousUser, User

__all__ = ["AnyUser", "User"]

# Who makes a request, signed in or not: what ``request.user`` is, and what scoping decides about.
type AnyUser = User | AnonymousUser
