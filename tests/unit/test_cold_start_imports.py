"""A cold start pays for every module its handler imports: an API function loads the heavy clients only where a
request uses them (requests for the market data, PyJWT and cryptography for tokens, boto3, SendGrid, Twilio,
Pillow), not when its module is imported; nor what rare branches use (pyotp for authenticator codes, html and its
table of entities for mail bodies)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from functions import registry

HEAVY = ("requests", "boto3", "sendgrid", "twilio", "cryptography", "jwt", "PIL", "argon2", "confluent_kafka")
RARE = ("pyotp", "segno", "html")

# One interpreter imports what every function shares (the floor), then forks a child per module: each child
# reports what its module added, as a fresh execution environment would load it.
_PROBE = """
import json, os, sys
import aws_lambda_powertools, pydantic, psycopg
heavy, modules = json.loads(sys.argv[1]), json.loads(sys.argv[2])
for module in modules:
    read, write = os.pipe()
    if os.fork() == 0:
        __import__(module)
        os.write(write, json.dumps([h for h in heavy if h in sys.modules]).encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as answer:
        print(json.dumps([module, json.loads(answer.read() or "null")]))
    os.wait()
"""


def test_no_api_module_imports_a_heavy_client_before_a_request_needs_it() -> None:
    modules = [d.module for d in registry.endpoints()] + [registry.AUTHORIZER_MODULE]
    probe = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(HEAVY + RARE), json.dumps(modules)],
        capture_output=True,
        text=True,
        check=True,
        # The code this test imports (a worktree's, first on PYTHONPATH), not only the installed one.
        env={
            "JWT_SECRET": "test",
            "POWERTOOLS_TRACE_DISABLED": "true",
            "PATH": "",
            "PYTHONPATH": os.pathsep.join(sys.path),
        },
    )
    loaded = dict(json.loads(line) for line in probe.stdout.splitlines())
    assert set(loaded) == set(modules)
    assert {module: heavy for module, heavy in loaded.items() if heavy} == {}
