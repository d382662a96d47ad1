"""Who is calling: injected into endpoint functions with Powertools `Depends`."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from http.cookies import CookieError, SimpleCookie
from typing import Annotated

from aws_lambda_powertools.event_handler import Depends
from aws_lambda_powertools.event_handler.request import Request
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent

from cryptotalks import errors
from cryptotalks.errors import ApiError
from cryptotalks.security import tokens

ACCESS_TOKEN_HEADER = "x-access-token"


@dataclass(frozen=True)
class Caller:
    user_id: uuid.UUID
    session_id: uuid.UUID


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
    try:
        claims = tokens.read_access_token(header)
    except ApiError:
        return None
    return Caller(claims.user_id, claims.session_id)


def cookie(request: Request, name: str) -> str | None:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(request.resolved_event.headers.get("cookie") or "")
    except CookieError:
        return None
    morsel = jar.get(name)
    return morsel.value if morsel and morsel.value else None


SignedIn = Annotated[Caller, Depends(signed_in_caller)]
OptionalReader = Annotated[Caller | None, Depends(optional_reader)]
