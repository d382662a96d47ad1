"""Schemathesis sends generated requests to every documented operation of the running local runtime: no 5xx,
and every answer within the documented schema. New endpoints are covered as soon as they are declared.

It runs through schemathesis' own command line (its pytest plugin does not support pytest 9 yet), twice:
anonymous, and signed in — without the operations that end the session the run is signed in with.
"""

from __future__ import annotations

import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import requests

from tests.e2e.conftest import wait_for_mail

CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
ENDS_THE_SESSION = "logout|close-account"
EXAMPLES_PER_OPERATION = 30


def _schemathesis(base_url: str, *options: str) -> None:
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "run",
        f"{base_url}/docs/openapi.json",
        "--checks",
        CHECKS,
        "--max-examples",
        str(EXAMPLES_PER_OPERATION),
        "--generation-deterministic",
        "--no-color",
        *options,
    ]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=900)
    assert finished.returncode == 0, finished.stdout[-12000:] + finished.stderr[-2000:]


def _signed_in_token(base_url: str) -> str:
    name = f"fuzz{uuid.uuid4().hex[:8]}"
    email, password = f"{name}@example.com", "Fuzz!ng-passw0rd"
    body = {"email": email, "password": password, "username": name, "tac": True}
    assert requests.post(f"{base_url}/api/user/sign-up", json=body, timeout=10).status_code == 201
    secret = re.search(r"/account-confirmation/([0-9a-f]{40})", wait_for_mail(base_url, email)["text"])
    assert secret
    assert requests.get(f"{base_url}/api/user/account-confirmation/{secret.group(1)}", timeout=10).status_code == 200
    answer = requests.post(f"{base_url}/api/user/sign-in", json={"email": email, "password": password}, timeout=10)
    return str(answer.json()["_at"])


@pytest.mark.timeout(1200)
def test_anonymous_requests(local_runtime: str) -> None:
    _schemathesis(local_runtime)


@pytest.mark.timeout(1200)
def test_signed_in_requests(local_runtime: str) -> None:
    token = _signed_in_token(local_runtime)
    _schemathesis(
        local_runtime, "--header", f"x-access-token: Bearer {token}", "--exclude-path-regex", ENDS_THE_SESSION
    )
