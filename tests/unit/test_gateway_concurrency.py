"""Requests served at once by the local runtime each keep their own caller."""

from __future__ import annotations

import importlib
import json
from concurrent.futures import ThreadPoolExecutor

from cryptotalks_dev.gateway import Gateway
from functions.registry import Declared


def test_concurrent_requests_do_not_see_each_other() -> None:
    module = "tests.unit.gateway_endpoints.echo"
    gateway = Gateway([Declared(module, importlib.import_module(module).endpoint)], authorizer=None)

    def echo(n: int) -> int:
        answer = gateway.handle("POST", f"/api/things/echo/{n}?q={n}", [], json.dumps({"n": n}).encode())
        seen = json.loads(answer.body)
        assert seen["id"] == n and seen["q"] == str(n) and seen["body"] == {"n": n}
        return n

    with ThreadPoolExecutor(max_workers=16) as pool:
        assert sorted(pool.map(echo, range(2000))) == list(range(2000))
