"""The local API Gateway: routing, proxy events and answers, with trivial declared endpoints."""

from __future__ import annotations

import importlib
import json

import pytest

from cryptotalks.http import Endpoint
from cryptotalks_dev.gateway import Gateway
from functions.registry import Declared


def _gateway() -> Gateway:
    modules = [f"tests.unit.gateway_endpoints.{name}" for name in ("dynamic", "static", "echo")]
    return Gateway([Declared(m, importlib.import_module(m).endpoint) for m in modules], authorizer=None)


def test_static_routes_win_over_parameterised_ones() -> None:
    gateway = _gateway()
    assert json.loads(gateway.handle("GET", "/api/things/list", [], b"").body) == {"message": "static"}
    assert json.loads(gateway.handle("GET", "/api/things/a%20b", [], b"").body) == {"message": "dynamic a b"}


def test_the_proxy_event_carries_everything() -> None:
    answer = _gateway().handle(
        "POST",
        "/api/things/echo/7?q=y&tag=a&tag=b&flag=",
        [("Cookie", "_rt=abc"), ("Content-Type", "application/json")],
        b'{"hello": "world"}',
    )
    assert answer.status == 201
    seen = json.loads(answer.body)
    assert seen == {
        "id": 7,
        "q": "y",
        "multi": {"q": ["y"], "tag": ["a", "b"], "flag": [""]},
        "body": {"hello": "world"},
        "resource": "/api/things/echo/{id}",
        "cookie": "_rt=abc",
        "sourceIp": "127.0.0.1",
    }
    assert [v for h, v in answer.headers if h == "Set-Cookie"] == ["a=1", "b=2"]


def test_the_source_ip_is_the_peer_and_x_forwarded_for_is_not_believed() -> None:
    headers = [("X-Forwarded-For", "10.1.2.3"), ("Content-Type", "application/json")]
    answer = _gateway().handle("POST", "/api/things/echo/7", headers, b"{}", source_ip="127.0.0.2")
    assert json.loads(answer.body)["sourceIp"] == "127.0.0.2"


def test_unknown_routes_and_bad_parameters() -> None:
    gateway = _gateway()
    assert gateway.handle("GET", "/api/nothing", [], b"").status == 404
    assert gateway.handle("PUT", "/api/things/list", [], b"").status == 404
    assert gateway.handle("POST", "/api/things/echo/not-a-number", [], b"{}").status == 400
    assert gateway.handle("POST", "/api/things/echo/1", [], b"x" * (10 * 1024 * 1024 + 1)).status == 413


def test_an_alias_is_answered_by_the_endpoints_own_function() -> None:
    gateway = _gateway()
    answer = gateway.handle("POST", "/api/things/echoes/8", [("Content-Type", "application/json")], b"{}")
    assert answer.status == 201
    assert json.loads(answer.body)["resource"] == "/api/things/echoes/{id}"
    [route, alias] = [r for r in gateway.routes if r.declared.module.endswith(".echo")]
    assert (route.path, alias.path) == ("/api/things/echo/{id}", "/api/things/echoes/{id}")
    assert alias.handler is route.handler


def test_an_alias_takes_the_paths_parameters() -> None:
    with pytest.raises(ValueError, match="same path parameters"):
        Endpoint("GET", "/api/things/{id}", "thing", context="things", aliases=("/api/thing/{slug}",))
