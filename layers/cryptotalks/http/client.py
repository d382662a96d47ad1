"""The address of the client a request comes from: API Gateway's `requestContext.identity.sourceIp`, never a
header such as X-Forwarded-For (the client writes those). Limits on attempts and on sending are keyed by it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

UNKNOWN = "unknown"  # no request (a consumer, a job) or no address in the event

_current: ContextVar[str] = ContextVar("cryptotalks_client_address", default=UNKNOWN)


@contextmanager
def serving(event: dict[str, Any]) -> Iterator[None]:
    """While the API function handles `event`, `address()` is its client's."""
    identity = (event.get("requestContext") or {}).get("identity") or {}
    token = _current.set(str(identity.get("sourceIp") or UNKNOWN))
    try:
        yield
    finally:
        _current.reset(token)


def address() -> str:
    return _current.get()
