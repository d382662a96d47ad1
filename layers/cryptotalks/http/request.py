"""Who is calling: injected into endpoint functions with Powertools `Depends`.

No `from __future__ import annotations` here: Powertools reads the dependencies' type hints on every request, and
annotations kept as strings would be evaluated each time."""

import uuid
from dataclasses import dataclass
from typing import Annotated

from aws_lambda_powertools.event_handler import Depends
from aws_lambda_powertools.event_handler.request import Request
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent

from cryptotalks import errors
from cryptotalks.errors import ApiError

ACCESS_TOKEN_HEADER = "x-access-token"


@dataclass(frozen=True)
class Caller:
    user_id: uuid.UUID
    session_id: uuid.UUID
    # The token's role claim: a hint that spares members a role lookup on public reads, never a permission.
    role_hint: str = "member"


def signed_in_caller(request: Request) -> Caller:
    """The caller the authorizer let through (API Gateway puts its context under requestContext.authorizer).
    Without that context (LocalStack runs no authorizer; a route deployed without one), the function makes the
    authorizer's check itself: a valid access token of a live session, or the same 401s. A missing context
    never means signed in."""
    event = APIGatewayProxyEvent(request.resolved_event.raw_event)
    context = event.request_context.authorizer.get_context() or {}
    if "userId" not in context and "sessionId" not in context:
        from cryptotalks.auth import logic  # the authorizer's check; public routes never load it

        claims = logic.authorize(request.resolved_event.headers.get(ACCESS_TOKEN_HEADER))
        return Caller(claims.user_id, claims.session_id)
    try:
        return Caller(uuid.UUID(context["userId"]), uuid.UUID(context["sessionId"]))
    except (KeyError, TypeError, ValueError):
        raise ApiError(errors.INVALID_TOKEN) from None


def optional_reader(request: Request) -> Caller | None:
    """A reader on a public route: signed in when a valid token comes along, anonymous otherwise."""
    header = request.resolved_event.headers.get(ACCESS_TOKEN_HEADER)
    if not header:
        return None
    from cryptotalks.credentials import tokens  # PyJWT (and cryptography): loaded by the first request with a token

    try:
        claims = tokens.read_access_token(header)
    except ApiError:
        return None
    return Caller(claims.user_id, claims.session_id, claims.role_hint)


def cookie(request: Request, name: str) -> str | None:
    """The first non-empty value of cookie `name`, read as browsers and the original read Cookie headers:
    `;`-separated `name=value` entries, anything else (attributes such as a stray `Path`, malformed entries)
    skipped. The original's web client forwards `_rt=<jwt>; Path`, which a strict parser refuses whole."""
    event = request.resolved_event
    multi = event.raw_event.get("multiValueHeaders") or {}
    headers = [v for k, values in multi.items() if k.lower() == "cookie" for v in values]
    for entry in ";".join(headers or [event.headers.get("cookie") or ""]).split(";"):
        key, equals, value = entry.partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]
        if equals and key.strip() == name and value:
            return value
    return None


SignedIn = Annotated[Caller, Depends(signed_in_caller)]
OptionalReader = Annotated[Caller | None, Depends(optional_reader)]
