"""Fixtures of the ssk_tracker tests (the shared regions and personas are the root conftest's)."""

from ssk_tracker.tests.api_clients import fresh_throttle, officer_key

__all__ = ["fresh_throttle", "officer_key"]
