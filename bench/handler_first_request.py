"""A cold start is the import and the first request: what a few API functions cost for both, in CPU time above
the dependency floor (`bench.handler_import_time`'s), each in a fresh interpreter on a migrated database of the
run's own. Models built at their first use (`defer_build`) leave the import and come back here: this is where a
deferral that only moves the work would show. Printed, not asserted.

    .venv/bin/python -m bench.handler_first_request [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import uuid
from typing import Any

from bench.crypto_common import migrated_database
from bench.figures import record
from bench.handler_import_time import ENVIRONMENT, FLOOR, compile_project
from cryptotalks_dev.gateway import proxy_event

SIGNED_IN = {"userId": str(uuid.uuid4()), "sessionId": str(uuid.uuid4())}
MISSING = str(uuid.uuid4())

# module: (method, path, API Gateway resource, path parameters, body, authorizer context, expected status)
REQUESTS: dict[str, tuple[str, str, str, dict[str, str] | None, Any, dict[str, str] | None, int]] = {
    "functions.api.crypto.list": (
        "GET",
        "/api/crypto/list/0/10/desc/rank",
        "/api/crypto/list/{page}/{pageSize}/{order}/{orderBy}",
        {"page": "0", "pageSize": "10", "order": "desc", "orderBy": "rank"},
        None,
        None,
        200,
    ),
    "functions.api.crypto.market_stats": (
        "GET",
        "/api/crypto/market-stats",
        "/api/crypto/market-stats",
        None,
        None,
        None,
        200,
    ),
    "functions.api.crypto.alerts_list": ("GET", "/api/crypto/alerts", "/api/crypto/alerts", None, None, SIGNED_IN, 200),
    # A coin no sync stored: the body is validated, then the answer is no-crypto (400).
    "functions.api.crypto.alerts_create": (
        "POST",
        "/api/crypto/alerts",
        "/api/crypto/alerts",
        None,
        {"uuid": "NoSuchCoin", "condition": "above", "threshold": 100},
        SIGNED_IN,
        400,
    ),
    "functions.api.posts.list": (
        "GET",
        "/api/posts/list/0/10/desc/createdAt",
        "/api/posts/list/{page}/{pageSize}/{order}/{orderBy}",
        {"page": "0", "pageSize": "10", "order": "desc", "orderBy": "createdAt"},
        None,
        None,
        200,
    ),
    # The modules whose imports cost the most (bench.handler_import_time), on paths an empty database answers.
    "functions.api.posts.coin": (
        "GET",
        "/api/posts/coin/Qwsogvtv82FCd/0/10",
        "/api/posts/coin/{uuid}/{page}/{pageSize}",
        {"uuid": "Qwsogvtv82FCd", "page": "0", "pageSize": "10"},
        None,
        None,
        200,
    ),
    # A post no one wrote: its author is looked up, then the answer is post-not-found.
    "functions.api.posts.delete": (
        "DELETE",
        f"/api/posts/delete/{MISSING}",
        "/api/posts/delete/{id}",
        {"id": MISSING},
        None,
        SIGNED_IN,
        404,
    ),
    "functions.api.posts.rate_post": (
        "POST",
        f"/api/posts/rate/post/{MISSING}",
        "/api/posts/rate/post/{id}",
        {"id": MISSING},
        {"rate": "+"},
        SIGNED_IN,
        404,
    ),
    # Step two with a code no one was sent: the body is validated, the code looked up, then wrong-hash (400).
    "functions.api.user.forgot_password": (
        "POST",
        "/api/user/forgot-password",
        "/api/user/forgot-password",
        None,
        {"email": "nobody@example.com", "verificationString": "0" * 40, "password": "Correct-Horse-9"},
        None,
        400,
    ),
    # The caller has no account: the body is validated, the role looked up, then user-not-found.
    "functions.api.moderation.decide": (
        "POST",
        "/api/moderation/decide",
        "/api/moderation/decide",
        None,
        {"itemType": "post", "itemId": MISSING, "decision": "hide"},
        SIGNED_IN,
        404,
    ),
}

_PROBE = """
import json, sys, time
started = time.process_time()
FLOOR
floor = time.process_time()
import importlib
module = importlib.import_module(sys.argv[1])
imported = time.process_time()
from cryptotalks_dev.lambda_context import LocalLambdaContext
event, context, expected = json.loads(sys.argv[2]), LocalLambdaContext("bench"), int(sys.argv[3])
before = time.process_time()
answer = module.handler(event, context)
first = time.process_time()
assert answer["statusCode"] == expected, answer
module.handler(event, context)
second = time.process_time()
print(json.dumps([floor - started, imported - floor, first - before, second - first]))
""".replace("FLOOR", FLOOR)


def _event(
    method: str, path: str, resource: str, parameters: dict[str, str] | None, body: Any, caller: dict[str, str] | None
) -> dict[str, Any]:
    """The proxy event the local gateway makes, with the authorizer's context when signed in."""
    headers = [("Content-Type", "application/json")] if body is not None else []
    payload = json.dumps(body).encode() if body is not None else b""
    event = proxy_event(resource, method, path, "", headers, payload, parameters or {})
    if caller:
        event["requestContext"]["authorizer"] = caller
    return event


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    compile_project()
    with migrated_database() as url:
        environment = {**ENVIRONMENT, "DATABASE_URL": url, "POWERTOOLS_METRICS_DISABLED": "true"}
        environment |= {"POWERTOOLS_LOG_LEVEL": "ERROR", "JWT_SECRET": "bench"}
        print(f"CPU ms above the floor ({FLOOR}), median of {runs} fresh interpreters")
        print(f"{'module':40s} {'floor':>6s} {'import':>7s} {'1st call':>9s} {'cold':>6s}  {'warm call':>9s}")
        ratios = {}
        for module, (method, path, resource, parameters, body, caller, status) in REQUESTS.items():
            event = json.dumps(_event(method, path, resource, parameters, body, caller))
            samples = [
                json.loads(
                    subprocess.run(
                        [sys.executable, "-c", _PROBE, module, event, str(status)],
                        check=True,
                        env=environment,
                        capture_output=True,
                        text=True,
                    ).stdout
                )
                for _ in range(runs)
            ]
            floor, imported, first, warm = (statistics.median(s[i] * 1000 for s in samples) for i in range(4))
            ratios[module] = (imported + first) / floor
            print(
                f"{module.removeprefix('functions.api.'):40s} {floor:6.0f} {imported:+7.0f} {first:+9.0f}"
                f" {imported + first:+6.0f}  {warm:9.1f}   x{1 + ratios[module]:.2f}"
            )
    record(
        "handler_first_request",
        "API import + first request CPU / floor, median",
        1 + statistics.median(ratios.values()),
        "x",
        "none (shows what deferred work costs)",
        None,
        f"{len(ratios)} functions, {runs} runs each",
    )


if __name__ == "__main__":
    main()
