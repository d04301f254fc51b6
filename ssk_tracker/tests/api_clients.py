"""The API tests' clients: a user's token, and a client that sends it (``Authorization: Token <key>``)."""

import pytest
from django.core.cache import cache
from django.test import Client

from regencies import tokens


def key_of(user) -> str:
    _token, key = tokens.create_token(user=user, name="skrip")
    return key


def token_client(key: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def client_for(user) -> Client:
    return token_client(key_of(user))


@pytest.fixture
def fresh_throttle():
    """The throttle counts in the cache: each test starts and leaves it empty."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def officer_key(officer_bartim) -> str:
    return key_of(officer_bartim)
