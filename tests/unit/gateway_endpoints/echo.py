"""Answers what the proxy event carried."""

import json
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.request import Request
from aws_lambda_powertools.shared.cookies import Cookie

from cryptotalks.http import Endpoint

endpoint = Endpoint(
    "POST", "/api/things/echo/{id}", "echo", status=201, context="things", aliases=("/api/things/echoes/{id}",)
)


@endpoint.route
def echo_thing(id: int, request: Request, q: Annotated[str | None, Query()] = None) -> Response[Any]:
    event = request.resolved_event
    seen = {
        "id": id,
        "q": q,
        "multi": event.multi_value_query_string_parameters,
        "body": event.json_body,
        "resource": event.raw_event["resource"],
        "cookie": event.headers.get("cookie"),
        "sourceIp": event.request_context.identity.source_ip,
    }
    cookies = [Cookie("a", "1", secure=False), Cookie("b", "2", secure=False)]
    return Response(201, content_types.APPLICATION_JSON, json.dumps(seen), cookies=cookies)


handler = endpoint.lambda_handler
