"""What API Gateway does in front of the functions: match the route, run the authorizer on protected
routes, turn the request into a REST proxy event, and the function's answer back into HTTP."""

from __future__ import annotations

import base64
import contextlib
import json
import re
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote

from cryptotalks import errors
from cryptotalks.errors import ErrorCode
from cryptotalks.http import Auth, Endpoint
from cryptotalks.http.endpoint import ANSWER_HEADERS
from cryptotalks_dev.lambda_context import ACCOUNT_ID, REGION, LocalLambdaContext
from functions import registry

STAGE = "local"
API_ID = "local"
MAX_BODY_BYTES = 10 * 1024 * 1024  # API Gateway's payload limit
IN_PROCESS_CALLER = "127.0.0.1"  # the source address of a call made in this process, without a socket
REQUEST_ID_HEADER = "x-amzn-RequestId"


@dataclass(frozen=True)
class HttpResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


@dataclass(frozen=True)
class Route:
    declared: registry.Declared[Endpoint]
    path: str  # the endpoint's path or one of its aliases, all answered by its handler
    pattern: re.Pattern[str]
    handler: Any

    @property
    def endpoint(self) -> Endpoint:
        return self.declared.declaration


def _pattern(path: str) -> re.Pattern[str]:
    # API Gateway path parameters match one segment each.
    return re.compile("^" + re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(path)) + "$")


def error_response(code: ErrorCode) -> HttpResponse:
    headers = [("Content-Type", "application/json"), *ANSWER_HEADERS.items()]
    return HttpResponse(code.status, headers, json.dumps(code.body()).encode())


class Gateway:
    def __init__(self, declared: list[registry.Declared[Endpoint]], authorizer: Any) -> None:
        # Static paths win over parameterised ones, as in API Gateway.
        ordered = sorted(declared, key=lambda d: d.declaration.path_parameters != [])
        self.routes = [Route(d, path, _pattern(path), d.handler) for d in ordered for path in d.declaration.paths]
        self.authorizer = authorizer
        self._one_invocation_at_a_time = threading.Lock()

    @contextlib.contextmanager
    def idle(self) -> Iterator[None]:
        """Held while no invocation runs, and none starts."""
        with self._one_invocation_at_a_time:
            yield

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        for route in self.routes:
            if route.endpoint.method != method:
                continue
            found = route.pattern.match(path)
            if found:
                return route, {k: unquote(v) for k, v in found.groupdict().items()}
        return None

    def handle(
        self,
        method: str,
        raw_path: str,
        headers: list[tuple[str, str]],
        body: bytes,
        source_ip: str = IN_PROCESS_CALLER,
    ) -> HttpResponse:
        """`source_ip`: the connection's peer, as API Gateway sees it (X-Forwarded-For is the client's to write)."""
        if len(body) > MAX_BODY_BYTES:
            return error_response(errors.PAYLOAD_TOO_LARGE)
        path, _, query = raw_path.partition("?")
        matched = self.match(method, path)
        if matched is None:
            return error_response(errors.NOT_FOUND)
        route, path_parameters = matched
        event = proxy_event(route.path, method, path, query, headers, body, path_parameters, source_ip)
        response = self._invoke(route, event)
        # As API Gateway's, every answer names its request: the correlation id of its log lines and its events.
        return HttpResponse(
            response.status,
            [*response.headers, (REQUEST_ID_HEADER, event["requestContext"]["requestId"])],
            response.body,
        )

    def _invoke(self, route: Route, event: dict[str, Any]) -> HttpResponse:
        # Powertools' resolvers keep the request being handled in class attributes, shared by every resolver of
        # the process: two requests handled at once would read each other's event (and caller). Lambda runs one
        # request per execution environment; so does the gateway.
        with self._one_invocation_at_a_time:
            if route.endpoint.auth is Auth.SIGNED_IN:
                refused = self._authorize(event)
                if refused:
                    return refused
            result = route.handler(event, LocalLambdaContext(route.declared.function_id))
        return from_proxy_result(result)

    def _authorize(self, event: dict[str, Any]) -> HttpResponse | None:
        """Run the authorizer as API Gateway does; a Deny becomes the 401 gateway response."""
        context = event["requestContext"]
        method_arn = (
            f"arn:aws:execute-api:{REGION}:{ACCOUNT_ID}:{API_ID}/{STAGE}/{context['httpMethod']}{event['path']}"
        )
        answer = self.authorizer(
            {
                "type": "REQUEST",
                "methodArn": method_arn,
                "resource": event["resource"],
                "path": event["path"],
                "httpMethod": event["httpMethod"],
                "headers": event["headers"],
                "multiValueHeaders": event["multiValueHeaders"],
                "queryStringParameters": event["queryStringParameters"],
                "multiValueQueryStringParameters": event["multiValueQueryStringParameters"],
                "pathParameters": event["pathParameters"],
                "stageVariables": None,
                "requestContext": context,
            },
            LocalLambdaContext("api-auth-authorizer"),
        )
        statement = answer["policyDocument"]["Statement"][0]
        granted = answer.get("context") or {}
        if statement["Effect"] != "Allow":
            code = ErrorCode(401, str(granted.get("message", "invalid-token")), str(granted.get("error", "")))
            return error_response(code)
        context["authorizer"] = {"principalId": answer["principalId"], **granted}
        return None


def proxy_event(
    resource: str,
    method: str,
    path: str,
    query: str,
    headers: list[tuple[str, str]],
    body: bytes,
    path_parameters: dict[str, str],
    source_ip: str = IN_PROCESS_CALLER,
) -> dict[str, Any]:
    """A REST API (v1) proxy event, as API Gateway sends it to a Lambda integration; `resource` is the route's
    declared path (with its `{parameters}`)."""
    multi_headers: dict[str, list[str]] = {}
    for name, value in headers:
        multi_headers.setdefault(name, []).append(value)
    multi_query: dict[str, list[str]] = {}
    for name, value in parse_qsl(query, keep_blank_values=True):
        multi_query.setdefault(name, []).append(value)
    # Without binary media types (we declare none) API Gateway passes bodies on as text.
    text = body.decode(errors="replace")
    request_time = time.time()
    return {
        "resource": resource,
        "path": unquote(path),  # API Gateway hands functions the decoded path
        "httpMethod": method,
        "headers": {k: v[-1] for k, v in multi_headers.items()} or None,
        "multiValueHeaders": multi_headers or None,
        "queryStringParameters": {k: v[-1] for k, v in multi_query.items()} or None,
        "multiValueQueryStringParameters": multi_query or None,
        "pathParameters": path_parameters or None,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": resource,
            "httpMethod": method,
            "path": f"/{STAGE}{unquote(path)}",
            "stage": STAGE,
            "requestId": str(uuid.uuid4()),
            "requestTimeEpoch": int(request_time * 1000),
            "accountId": ACCOUNT_ID,
            "apiId": API_ID,
            "protocol": "HTTP/1.1",
            "identity": {"sourceIp": source_ip, "userAgent": multi_headers.get("User-Agent", [None])[-1]},
        },
        "body": (text if body else None),
        "isBase64Encoded": False,
    }


def from_proxy_result(result: dict[str, Any]) -> HttpResponse:
    headers = list((result.get("headers") or {}).items())
    for name, values in (result.get("multiValueHeaders") or {}).items():
        headers += [(name, value) for value in values]
    body = result.get("body") or ""
    raw = base64.b64decode(body) if result.get("isBase64Encoded") else body.encode()
    return HttpResponse(int(result["statusCode"]), headers, raw)
