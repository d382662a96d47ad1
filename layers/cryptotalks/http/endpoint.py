"""The declaration of an API endpoint, made once beside its function.

    endpoint = Endpoint("POST", "/api/user/sign-up", "Create an account", context="users", status=201, errors=(...))

    @endpoint.route
    def sign_up(body: SignUpRequest) -> MessageResponse: ...

    handler = endpoint.lambda_handler

The CDK stack, the local runtime, the OpenAPI document and the tests read these declarations. The function
runs behind a Powertools resolver that validates the request against the function's signature and answers
every error in the contract's shape.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache, wraps
from typing import Any, get_args, get_origin, get_type_hints
from urllib.parse import parse_qs

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, CORSConfig, Response, content_types, depends
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware, openapi_validation
from aws_lambda_powertools.event_handler.middlewares.openapi_validation import (
    OpenAPIRequestValidationMiddleware,
    OpenAPIResponseValidationMiddleware,
)
from aws_lambda_powertools.event_handler.openapi.compat import ModelField
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from aws_lambda_powertools.event_handler.types import EventHandlerInstance
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, TypeAdapter

from cryptotalks import db, errors
from cryptotalks.errors import ApiError, ErrorCode
from cryptotalks.http import client
from cryptotalks.observability import logger, metrics, traced
from cryptotalks.uses import Uses

SECURITY_SCHEME = "accessToken"
_PATH_PARAMETER = re.compile(r"\{(\w+)\}")
# Every answer, errors included, and API Gateway's own answers too: a browser never takes a JSON answer (or an
# error echoing the request) for HTML or a script.
ANSWER_HEADERS = {"X-Content-Type-Options": "nosniff"}
# Answers of `no_store` endpoints carry tokens, secrets or private settings: no cache may keep them.
NO_STORE = {"Cache-Control": "no-store"}
UNHANDLED_ERRORS_METRIC = "UnhandledErrors"  # an error no handler expected: the answer was a 500
ONE_CLICK_FORM = {"List-Unsubscribe": ["One-Click"]}  # RFC 8058's POST body, parsed
# Bodies nest no deeper and hold no longer integers: beyond, a body is refused before anything walks it.
MAX_JSON_DEPTH = 64
MAX_INTEGER_DIGITS = 100

# Powertools (3.37) derives again on every request what depends on a route's declaration only; each is derived once
# (Powertools looks these functions up in its modules at call time, so these are used): a route's tree of Depends(),
# built with typing.get_type_hints on the route and each dependency (a tenth of a list request's CPU); the type hints
# of each dependency, read again to inject the Request; whether each query and header parameter is a scalar (a
# sixth of the resolver's own time on GET /api/posts/list, with its three query parameters).
depends.build_dependency_tree = cache(depends.build_dependency_tree)
depends.get_type_hints = cache(get_type_hints)  # type: ignore[assignment]  # lru_cache wraps the same call
openapi_validation.is_scalar_field = cache(openapi_validation.is_scalar_field)
# The schema types of an answer that pydantic-core writes as JSON text exactly as json.dumps writes Powertools' dump
# of it to Python objects: no floats (Python writes 1e-05 where pydantic-core writes 0.00001), nothing untyped,
# no serialiser of our own.
_WRITTEN_ALIKE = frozenset(
    {
        "bool", "int", "str", "uuid", "datetime", "date", "literal", "list", "nullable", "default", "union",
        "tagged-union", "model", "model-fields", "model-field", "definitions", "definition-ref",
    }
)  # fmt: skip


class Auth(StrEnum):
    PUBLIC = "public"
    SIGNED_IN = "signed-in"  # the authorizer must let the caller through
    OPTIONAL = "optional"  # public, but a valid token makes the reader known


def error_response(code: ErrorCode) -> Response[Any]:
    return Response(code.status, content_types.APPLICATION_JSON, json.dumps(code.body()))


@dataclass
class Endpoint:
    method: str
    path: str  # API Gateway form: /api/user/account-confirmation/{confirmationHash}
    summary: str
    auth: Auth = Auth.PUBLIC
    # The bounded context that owns the endpoint (its service name in logs, traces and metrics, its secrets):
    # `users` for /api/user/...
    context: str = field(kw_only=True)
    status: int = 200
    errors: tuple[ErrorCode, ...] = ()
    no_store: bool = False  # the answer carries tokens, secrets or private settings
    # Takes a password or sends a one-time code without a session: the firewall allows an address far fewer calls.
    guards_credentials: bool = False
    # The function composes several contexts: their work is one transaction, committed once it has answered.
    one_transaction: bool = False
    # Other paths the same function answers on (clients of the original use both spellings of a route), with the
    # same path parameters; each is a route of its own in API Gateway, the local gateway and the OpenAPI document.
    aliases: tuple[str, ...] = ()
    uses: tuple[Uses, ...] = ()  # third parties and buckets its function reaches (cryptotalks.uses)
    # Also takes RFC 8058's one-click form (`List-Unsubscribe=One-Click`, form-encoded), read as no body: the URL
    # says what to do. Every other body is JSON.
    one_click: bool = False
    function: Callable[..., Any] | None = field(default=None, repr=False)
    _resolver: APIGatewayRestResolver | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        for alias in self.aliases:
            if sorted(_PATH_PARAMETER.findall(alias)) != sorted(self.path_parameters):
                raise ValueError(f"alias {alias} of {self.path} must take the same path parameters")

    @property
    def paths(self) -> tuple[str, ...]:
        """The path, then its aliases."""
        return (self.path, *self.aliases)

    @property
    def name(self) -> str:
        """Unique and stable: `user.sign_up` (module of the path, function name)."""
        assert self.function is not None
        return f"{self.tag}.{self.function.__name__}"

    @property
    def tag(self) -> str:
        return self.path.split("/")[2]

    @property
    def path_parameters(self) -> list[str]:
        return _PATH_PARAMETER.findall(self.path)

    def documented_errors(self) -> list[ErrorCode]:
        """Declared errors plus those every endpoint of its kind can answer."""
        implied = [errors.VALIDATION_ERROR]
        if self.auth is Auth.SIGNED_IN:
            implied += errors.TOKEN_ERRORS
        if self.path_parameters:
            implied.append(errors.NOT_FOUND)
        return list(dict.fromkeys([*self.errors, *implied]))

    def route(self, function: Callable[..., Any]) -> Callable[..., Any]:
        self.function = function
        self._resolver = new_resolver(one_click=self.one_click)
        self.register(self._resolver)
        return function

    def register(self, resolver: APIGatewayRestResolver) -> None:
        """Add this endpoint's routes to a resolver (its own, or the one the OpenAPI document is built from)."""
        assert self.function is not None
        function = _in_one_transaction(self.function) if self.one_transaction else self.function
        operation_id = _camel(self.function.__name__)
        for number, path in enumerate(self.paths):
            # An OpenAPI operation id names one operation: an alias's is the endpoint's, numbered.
            suffix = "" if number == 0 else "Alias" if number == 1 else f"Alias{number}"
            resolver.route(
                rule=_PATH_PARAMETER.sub(r"<\1>", path),
                method=self.method,
                summary=self.summary if number == 0 else f"{self.summary} (as {self.method} {self.path})",
                description=(self.function.__doc__ or "").strip() or None,
                status_code=self.status,
                responses={**self._success_response(), **_error_responses(self.documented_errors())},
                tags=[self.tag],
                operation_id=operation_id + suffix,
                security=[{SECURITY_SCHEME: []}] if self.auth is Auth.SIGNED_IN else None,
            )(function)

    def _success_response(self) -> dict[int, Any]:
        """Powertools documents no success answer once `responses` is given: name it from the return type."""
        assert self.function is not None
        returned = get_type_hints(self.function).get("return")
        if get_origin(returned) is Response:
            returned = get_args(returned)[0]
        answers_json = isinstance(returned, type) and returned is not type(None)  # None: no body (a redirect)
        content = {"application/json": {"model": returned}} if answers_json else {}
        return {self.status: {"description": self.summary, "content": content}}

    @property
    def lambda_handler(self) -> Callable[[dict[str, Any], LambdaContext], dict[str, Any]]:
        resolver = self._resolver
        assert resolver is not None, "decorate the endpoint function with @endpoint.route"

        @logger.inject_lambda_context
        @traced
        @metrics.log_metrics
        def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
            # API Gateway's request id, read as such: Powertools' correlation_id_path runs a JMESPath search on each
            # request (half of its logger's work per request).
            logger.set_correlation_id((event.get("requestContext") or {}).get("requestId"))
            with client.serving(event):
                result = resolver.resolve(event, context)
            return _with_headers(result, {**ANSWER_HEADERS, **(NO_STORE if self.no_store else {})})

        return handler


def _in_one_transaction(function: Callable[..., Any]) -> Callable[..., Any]:
    """`function` inside db.transaction(): the transactions its calls open join this one."""

    @wraps(function)  # Powertools reads the signature and the type hints through __wrapped__
    def in_one_transaction(*args: Any, **kwargs: Any) -> Any:
        with db.transaction():
            return function(*args, **kwargs)

    return in_one_transaction


def _with_headers(result: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
    if "multiValueHeaders" in result:
        result["multiValueHeaders"] = {**(result["multiValueHeaders"] or {}), **{k: [v] for k, v in headers.items()}}
    else:
        result["headers"] = {**(result.get("headers") or {}), **headers}
    return result


def _json_body(text: str) -> Any:
    """The request body. Whatever is not plain JSON within the limits is refused as malformed (Powertools answers
    a JSONDecodeError as a validation error): nesting deeper than MAX_JSON_DEPTH, integers longer than
    MAX_INTEGER_DIGITS, NaN and Infinity, and NUL characters (PostgreSQL text cannot hold them)."""
    try:
        value = json.loads(text, parse_int=_integer, parse_constant=_no_constant)
    except RecursionError:  # nested deeper than the parser's own stack allows
        raise json.JSONDecodeError("nested too deep", text, 0) from None
    except json.JSONDecodeError:
        raise
    except ValueError as error:
        raise json.JSONDecodeError(str(error), text, 0) from None
    refused = _refused_content(value)
    if refused:
        raise json.JSONDecodeError(refused, text, 0)
    return value


def _integer(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise ValueError(f"integers have at most {MAX_INTEGER_DIGITS} digits")
    return int(digits)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _refused_content(value: Any) -> str | None:
    """Why a parsed body is refused, if it is. Walked with a stack of its own, so no depth can overflow Python's."""
    pending = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, str) and "\x00" in item:
            return "NUL characters are not accepted"
        if isinstance(item, dict | list):
            if depth == MAX_JSON_DEPTH:
                return f"nested deeper than {MAX_JSON_DEPTH} levels"
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            pending += [(child, depth + 1) for child in children]
    return None


def _cors() -> CORSConfig | None:
    """The web client's origin (`WEB_ORIGIN`, set by the CDK stack) may read the answers, cookies included."""
    origin = os.environ.get("WEB_ORIGIN")
    if not origin:
        return None
    return CORSConfig(allow_origin=origin, allow_headers=["x-access-token"], allow_credentials=True, max_age=3600)


def new_resolver(one_click: bool = False) -> APIGatewayRestResolver:
    """`one_click`: RFC 8058's one-click form body is taken too (Endpoint.one_click)."""
    resolver = APIGatewayRestResolver(enable_validation=True, json_body_deserializer=_json_body, cors=_cors())
    # Every request, a route's or one no route matches (Powertools runs those through the middlewares too), and
    # their refusals are answers of the resolver: with the CORS headers an allowed origin reads.
    resolver.use([_refuse_nul_in_path_or_query])
    # Powertools runs its request validation before any middleware given to use(), and it parses form and multipart
    # bodies (a multipart one without its boundary raised a 500): the JSON-only check rides in front of it.
    resolver._request_validation_middleware = _JsonOnlyRequestValidation(one_click)
    resolver._response_validation_middleware = _JsonTextResponseValidation()

    @resolver.exception_handler(ApiError)
    def _api_error(error: ApiError) -> Response[Any]:
        return error_response(error.code)

    @resolver.exception_handler(RequestValidationError)
    def _invalid_request(error: RequestValidationError) -> Response[Any]:
        logger.info("request refused", extra={"validation_errors": _safe_errors(error)})
        return error_response(errors.VALIDATION_ERROR)

    @resolver.exception_handler(NotFoundError)
    def _no_route(error: NotFoundError) -> Response[Any]:
        # The gateway matched the route, but the path held characters the resolver's route pattern refuses.
        return error_response(errors.NOT_FOUND)

    @resolver.exception_handler([UnicodeDecodeError, RequestUnsupportedContentType])
    def _unreadable_body(error: Exception) -> Response[Any]:
        return error_response(errors.VALIDATION_ERROR)

    @resolver.exception_handler(Exception)
    def _unexpected(error: Exception) -> Response[Any]:
        logger.error("unhandled error", exc_info=error)
        metrics.add_metric(name=UNHANDLED_ERRORS_METRIC, unit="Count", value=1)
        return error_response(errors.INTERNAL_ERROR)

    return resolver


def _safe_errors(error: RequestValidationError) -> list[dict[str, Any]]:
    """Where and why, without the input values (they may be passwords)."""
    return [{"loc": e.get("loc"), "type": e.get("type")} for e in error.errors()]


def _refuse_nul_in_path_or_query(app: APIGatewayRestResolver, next_middleware: NextMiddleware) -> Response[Any]:
    """NUL in the path (its parameters are pieces of it) or in a query string's names or values is refused:
    PostgreSQL text cannot hold it. The body is checked as it is parsed (`_json_body`)."""
    event = app.current_event
    query = event.multi_value_query_string_parameters or {}
    parts = [event.path, *query, *(value for values in query.values() for value in values or [])]
    if any("\x00" in part for part in parts if isinstance(part, str)):
        return error_response(errors.VALIDATION_ERROR)
    return next_middleware(app)


class _JsonOnlyRequestValidation(OpenAPIRequestValidationMiddleware):
    """Powertools' request validation of a JSON body: bodies are JSON (a missing Content-Type is taken as JSON);
    form or multipart bodies are refused before Powertools would parse them, but for RFC 8058's one-click form
    where the endpoint takes it, which is read as no body."""

    def __init__(self, one_click: bool) -> None:
        super().__init__()
        self._one_click = one_click

    def handler(self, app: EventHandlerInstance, next_middleware: NextMiddleware) -> Response[Any]:
        event = app.current_event
        if event.body and not self._is_one_click(app):
            content_type = event.headers.get("content-type") or "application/json"
            media_type = content_type.split(";")[0].strip().lower()
            if not (media_type == "application/json" or media_type.endswith("+json")):
                return error_response(errors.VALIDATION_ERROR)
        return super().handler(app, next_middleware)

    def _get_body(self, app: EventHandlerInstance) -> dict[str, Any]:
        if self._is_one_click(app):
            return None  # type: ignore[return-value]  # Powertools takes None as no body
        return super()._get_body(app)

    def _is_one_click(self, app: EventHandlerInstance) -> bool:
        event = app.current_event
        if not (self._one_click and event.body):
            return False
        media_type = (event.headers.get("content-type") or "").split(";")[0].strip().lower()
        return media_type == "application/x-www-form-urlencoded" and parse_qs(event.decoded_body) == ONE_CLICK_FORM


class _JsonTextResponseValidation(OpenAPIResponseValidationMiddleware):
    """Powertools' response validation; a model answer is then written to JSON text by pydantic-core at once, where
    Powertools dumps it to Python objects for json.dumps (a page of 20 posts: 290 → 70 µs). The same bytes:
    compact and ASCII-only, as json.dumps writes them."""

    def _serialize_response_with_validation(self, *, field: ModelField, **options: Any) -> Any:
        return super()._serialize_response_with_validation(field=_AnswerField(field), **options)  # type: ignore[arg-type]


@dataclass(frozen=True)
class _AnswerField:
    """A route's answer field as Powertools validates it; serialised to JSON text where that gives the same bytes."""

    field: ModelField

    def validate(self, value: Any, *, loc: tuple[int | str, ...] = ()) -> Any:
        return self.field.validate(value=value, loc=loc)

    def serialize(self, value: Any, **options: Any) -> Any:
        adapter = self.field._type_adapter
        if not (isinstance(value, BaseModel) and _written_alike(adapter)):
            return self.field.serialize(value, **options)
        # json.dumps escapes DEL too, which pydantic-core's ensure_ascii leaves as it is.
        return adapter.dump_json(value, ensure_ascii=True, **options).decode().replace("\x7f", "\\u007f")


@cache
def _written_alike(adapter: TypeAdapter[Any]) -> bool:
    """Whether pydantic-core writes this answer's JSON text as Powertools' json.dumps does (_WRITTEN_ALIKE)."""
    pending: list[Any] = [adapter.core_schema]  # built: the answer has just been validated with it
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            if isinstance(node.get("type"), str) and node["type"] not in _WRITTEN_ALIKE:
                return False
            pending += node.values()
        elif isinstance(node, list | tuple):
            pending += node
    return True


def _error_responses(codes: list[ErrorCode]) -> dict[int, Any]:
    by_status: dict[int, list[ErrorCode]] = {}
    for code in codes:
        by_status.setdefault(code.status, []).append(code)
    return {
        status: {
            "description": ", ".join(c.message for c in group),
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "title": "ErrorResponse",
                        "required": ["statusCode", "message", "error"],
                        "properties": {
                            "statusCode": {"type": "integer", "enum": [status]},
                            "message": {"type": "string", "enum": [c.message for c in group]},
                            "error": {"type": "string"},
                        },
                    }
                }
            },
        }
        for status, group in by_status.items()
    }


def _camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(word.capitalize() for word in rest)
