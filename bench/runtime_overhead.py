"""The local runtime's own overhead per request: raw HTTP parts → API Gateway proxy event → trivial declared
handler → HTTP answer, in-process. The handler's own cost is measured alone and subtracted. Then the same
request over a socket, on one kept-alive connection as browsers and test clients use it.

Target: ≤ 1 ms. Printed, not asserted.

    .venv/bin/python -m bench.runtime_overhead [--requests 5000]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import statistics
import threading
import time

os.environ.setdefault("JWT_SECRET", "bench")
os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "ERROR")
os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")

import requests

from cryptotalks_dev.gateway import Gateway, proxy_event
from cryptotalks_dev.lambda_context import LocalLambdaContext
from cryptotalks_dev.server import LocalServer, listening_socket
from functions.registry import Declared
from tests.unit.gateway_endpoints import echo

HEADERS = [("Content-Type", "application/json"), ("Cookie", "_rt=abc"), ("User-Agent", "bench")]
BODY = b'{"hello": "world"}'
PATH = "/api/things/echo/7?q=x"


def _per_call(function: object, calls: int) -> list[float]:
    timings = []
    for _ in range(calls):
        started = time.perf_counter()
        function()  # type: ignore[operator]
        timings.append(time.perf_counter() - started)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=5000)
    calls = parser.parse_args().requests
    gateway = Gateway([Declared("tests.unit.gateway_endpoints.echo", echo.endpoint)], authorizer=None)
    event = proxy_event(echo.endpoint.path, "POST", "/api/things/echo/7", "q=x", HEADERS, BODY, {"id": "7"})
    context = LocalLambdaContext("bench")

    through_runtime = _per_call(lambda: gateway.handle("POST", PATH, HEADERS, BODY), calls)
    handler_alone = _per_call(lambda: echo.handler(event, context), calls)

    def summary(timings: list[float]) -> str:
        ordered = sorted(timings)
        p50, p95 = statistics.median(ordered), ordered[int(len(ordered) * 0.95)]
        return f"p50 {p50 * 1e6:7.1f} µs   p95 {p95 * 1e6:7.1f} µs"

    print(f"{calls} requests, in-process")
    print(f"  HTTP parts → event → handler → HTTP answer: {summary(through_runtime)}")
    print(f"  the handler alone (Powertools resolver):     {summary(handler_alone)}")
    overhead = [a - b for a, b in zip(sorted(through_runtime), sorted(handler_alone), strict=True)]
    print(f"  runtime overhead:                            {summary(overhead)}   (target ≤ 1 ms)")

    server = LocalServer(listening_socket("127.0.0.1", 0), gateway, {})
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}{PATH}"
    # The server prints a line per request: kept out of the figures.
    with requests.Session() as session, contextlib.redirect_stdout(io.StringIO()):
        over_http = _per_call(lambda: session.post(url, data=BODY, headers=dict(HEADERS), timeout=5), calls // 5)
    server.shutdown()
    print(f"  over HTTP, one kept-alive connection:        {summary(over_http)}   ({calls // 5} requests)")


if __name__ == "__main__":
    main()
