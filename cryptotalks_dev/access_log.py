"""The local server's line per request, without the one-time secrets some URLs carry: the emailed links'
confirmation hashes (in the API's paths and in the web client's pages of the same names), the reset link's
verification string, the unsubscribe links' token and the step-up codes some requests carry in their query string."""

from __future__ import annotations

from functools import cache
from itertools import pairwise
from urllib.parse import unquote, unquote_plus

from functions import registry

SECRET_PATH_PARAMETERS = frozenset({"confirmationHash"})
# `token`: the unsubscribe links' signed token (the API's and the web client's page).
SECRET_QUERY_PARAMETERS = frozenset({"verificationString", "code", "twoFaCode", "twoFaToken", "password", "token"})
REDACTED = "[redacted]"


@cache
def secret_segments() -> frozenset[str]:
    """The path segment before each secret path parameter of the declared endpoints: `account-confirmation` for
    /api/user/account-confirmation/{confirmationHash}. The emailed links open the client's pages of the same name."""
    found = set()
    for declared in registry.endpoints():
        for path in declared.declaration.paths:
            for before, segment in pairwise(path.split("/")):
                if segment.startswith("{") and segment.strip("{}") in SECRET_PATH_PARAMETERS:
                    found.add(before)
    return frozenset(found)


def redacted(raw_path: str) -> str:
    """The request's path and query with the secrets' values replaced."""
    path, question_mark, query = raw_path.partition("?")
    segments = path.split("/")
    hidden = secret_segments()
    segments[1:] = [REDACTED if unquote(before) in hidden else segment for before, segment in pairwise(segments)]
    pairs = [_redacted_pair(pair) for pair in query.split("&")] if query else []
    return "/".join(segments) + question_mark + "&".join(pairs)


def _redacted_pair(pair: str) -> str:
    name = pair.partition("=")[0]
    return f"{name}={REDACTED}" if unquote_plus(name) in SECRET_QUERY_PARAMETERS else pair


def access_line(peer: str, method: str, raw_path: str, status: int | str) -> str:
    return f"{peer} {method} {redacted(raw_path)} {status}"
