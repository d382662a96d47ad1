"""`cryptotalks dlq` against a running `cryptotalks dev`, on each bus. SendGrid (a local stand-in) refuses mail,
so the confirmation email's consumer fails on the new account 3 times and its record is dead-lettered, while the
other consumers of the same event go on; once SendGrid answers again, a redrive delivers the email."""

from __future__ import annotations

import json
import re
import time
import uuid
from typing import Any

import pytest
import requests

from tests.e2e.conftest import BUSES, LocalRuntimes, Runtime
from tests.stand_ins import RecordingServer, recording_server
from tests.support import STRONG_PASSWORD

CONSUMER = "consumers-users-user-created"


def _dead_letters(runtime: Runtime) -> list[dict[str, Any]]:
    listed = runtime.cli("dlq", "list", "--consumer", CONSUMER, "--json")
    assert listed.returncode == 0, listed.stderr
    return list(json.loads(listed.stdout))


def _until(condition: Any, timeout: float) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.5)
    raise AssertionError(f"not within {timeout}s")


def _mails_to(sendgrid: RecordingServer, email: str) -> list[dict[str, Any]]:
    return [r for r in sendgrid.received if r["body"]["personalizations"][0]["to"] == [{"email": email}]]


@pytest.mark.parametrize("bus", BUSES)
def test_a_refused_email_is_dead_lettered_listed_and_redriven(local_runtimes: LocalRuntimes, bus: str) -> None:
    with recording_server() as sendgrid:
        sendgrid.status = 500
        runtime = local_runtimes.get(bus, SENDGRID_API_KEY="SG.test-key", SENDGRID_HOST=sendgrid.url)
        name = f"dlq{uuid.uuid4().hex[:8]}"
        email = f"{name}@example.com"
        body = {"email": email, "password": STRONG_PASSWORD, "username": name, "tac": True}
        assert requests.post(f"{runtime.base_url}/api/user/sign-up", json=body, timeout=10).status_code == 201

        [letter] = _until(lambda: _dead_letters(runtime), timeout=45)
        assert letter["event_type"] == "user_created" and letter["consumer"] == CONSUMER
        assert len(_mails_to(sendgrid, email)) == 3  # three deliveries, then the dead letter
        audit = runtime.cli("audit", "tail", "-n", "50")
        assert "User " in audit.stdout and "SIGN_UP" in audit.stdout  # the audit consumer of the sign-up went on

        sendgrid.status = 202
        redriven = runtime.cli("dlq", "redrive", "--consumer", CONSUMER)
        assert redriven.returncode == 0 and "1 dead letters redriven" in redriven.stdout, redriven.stderr
        mails = _until(lambda: _mails_to(sendgrid, email)[3:], timeout=30)
        secret = re.search(r"/account-confirmation/([0-9a-f]{40})", mails[0]["body"]["content"][0]["value"])
        assert secret
        confirm = f"{runtime.base_url}/api/user/account-confirmation/{secret.group(1)}"
        assert requests.get(confirm, timeout=10).json() == {"message": "success"}
        assert _dead_letters(runtime) == []
