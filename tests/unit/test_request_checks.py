"""The checks every request goes through before its route (Powertools middlewares of the endpoint's resolver): NUL
in the path, the query or the body, and bodies other than JSON, are answered 400 in the contract's shape, with the
CORS headers a client on the allowed origin (`WEB_ORIGIN`) needs to read the refusal."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any

import pytest
from aws_lambda_powertools.event_handler.openapi.params import Query
from pydantic import BaseModel

from cryptotalks import errors
from cryptotalks.http import Endpoint, MessageResponse
from cryptotalks_dev.gateway import proxy_event
from cryptotalks_dev.lambda_context import LocalLambdaContext

ORIGIN = "https://client.example"
JSON = ("Content-Type", "application/json")
Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


class Note(BaseModel):
    text: str


@pytest.fixture
def handler(monkeypatch: pytest.MonkeyPatch) -> Handler:
    """An endpoint whose resolver is made while the client's origin is allowed (as WEB_ORIGIN on AWS)."""
    monkeypatch.setenv("WEB_ORIGIN", ORIGIN)
    endpoint = Endpoint("POST", "/api/things/note/{id}", "note", context="things")

    @endpoint.route
    def note_thing(id: str, body: Note, tag: Annotated[str | None, Query()] = None) -> MessageResponse:
        return MessageResponse(message=f"{id} {tag} {body.text}")

    return endpoint.lambda_handler


def _call(
    handler: Handler, path: str, query: str = "", body: bytes = b'{"text": "hi"}', headers: tuple[Any, ...] = (JSON,)
) -> dict[str, Any]:
    parameters = {"id": path.rsplit("/", 1)[-1]}
    event = proxy_event("/api/things/note/{id}", "POST", path, query, list(headers), body, parameters)
    return handler(event, LocalLambdaContext("api-things-note"))


def _header(answer: dict[str, Any], name: str) -> str | None:
    values = {k.lower(): v for k, v in (answer.get("multiValueHeaders") or {}).items()}.get(name.lower())
    return values[-1] if values else None


REFUSED = {
    "NUL in the path": {"path": "/api/things/note/a\x00b"},
    "NUL in the query": {"path": "/api/things/note/1", "query": "tag=a%00b"},
    "NUL in a repeated query value": {"path": "/api/things/note/1", "query": "tag=a&tag=b%00"},
    "NUL in a query name": {"path": "/api/things/note/1", "query": "t%00g=a"},
    "NUL in the body": {"path": "/api/things/note/1", "body": b'{"text": "a\\u0000b"}'},
    "a form body": {
        "path": "/api/things/note/1",
        "body": b"text=hi",
        "headers": (("Content-Type", "application/x-www-form-urlencoded"),),
    },
    # Powertools' own validation, which runs before any other middleware, raised a 500 on this (schemathesis).
    "a multipart body without its boundary": {
        "path": "/api/things/note/1",
        "body": b'{"text": "hi"}',
        "headers": (("Content-Type", "multipart/form-data"),),
    },
}


@pytest.mark.parametrize("request_parts", REFUSED.values(), ids=REFUSED.keys())
def test_refusals_answer_the_contracts_400_with_cors(handler: Handler, request_parts: dict[str, Any]) -> None:
    headers = (*request_parts.pop("headers", (JSON,)), ("Origin", ORIGIN))
    answer = _call(handler, **request_parts, headers=headers)
    assert (answer["statusCode"], json.loads(answer["body"])) == (400, errors.VALIDATION_ERROR.body())
    assert _header(answer, "Access-Control-Allow-Origin") == ORIGIN
    assert _header(answer, "Access-Control-Allow-Credentials") == "true"
    assert _header(answer, "X-Content-Type-Options") == "nosniff"


def test_a_sound_request_reaches_its_route(handler: Handler) -> None:
    answer = _call(handler, "/api/things/note/1", "tag=x", headers=(JSON, ("Origin", ORIGIN)))
    assert (answer["statusCode"], json.loads(answer["body"])) == (200, {"message": "1 x hi"})
    assert _header(answer, "Access-Control-Allow-Origin") == ORIGIN
    without_content_type = _call(handler, "/api/things/note/2", headers=())  # taken as JSON
    assert json.loads(without_content_type["body"]) == {"message": "2 None hi"}


def test_no_cors_headers_for_another_origin(handler: Handler) -> None:
    answer = _call(handler, "/api/things/note/1", "tag=a%00b", headers=(JSON, ("Origin", "https://elsewhere.example")))
    assert answer["statusCode"] == 400
    assert _header(answer, "Access-Control-Allow-Origin") is None
