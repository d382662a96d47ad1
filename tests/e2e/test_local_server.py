"""What the local server adds around the functions: the caller's address as API Gateway gives it, an access log
without secrets, and the API docs page's own security headers."""

from __future__ import annotations

import http.client
import json
import re
import secrets
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

from tests.e2e.conftest import LocalRuntimes

OTHER_LOOPBACK = "127.0.0.2"  # Linux answers on all of 127.0.0.0/8


def _request_from(source_ip: str, base_url: str, method: str, path: str, headers: dict[str, str]) -> int:
    """A request over a connection bound to `source_ip`, as a client on another machine would come."""
    address = urlsplit(base_url)
    connection = http.client.HTTPConnection(
        address.hostname or "", address.port, timeout=30, source_address=(source_ip, 0)
    )
    try:
        connection.request(method, path, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def _log_lines(data_dir: Path) -> list[str]:
    return (data_dir / "dev.log").read_text().splitlines()


def _logged_event(data_dir: Path, user_agent: str) -> dict[str, Any]:
    """The proxy event a function logged (POWERTOOLS_LOGGER_LOG_EVENT) for the request with this User-Agent."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for line in _log_lines(data_dir):
            if user_agent in line and line.startswith("{"):
                event: dict[str, Any] = json.loads(line)["message"]
                return event
        time.sleep(0.1)
    raise AssertionError(f"no function logged the event of {user_agent}")


def test_the_function_sees_the_peer_address_and_not_x_forwarded_for(local_runtimes: LocalRuntimes) -> None:
    runtime = local_runtimes.get("eventbridge", POWERTOOLS_LOGGER_LOG_EVENT="true", POWERTOOLS_LOG_LEVEL="INFO")
    user_agent = f"source-ip-test-{uuid.uuid4()}"
    headers = {"User-Agent": user_agent, "X-Forwarded-For": "203.0.113.9"}
    status = _request_from(OTHER_LOOPBACK, runtime.base_url, "GET", "/api/user/get/nobody", headers)
    assert status == 404
    event = _logged_event(runtime.data_dir, user_agent)
    assert event["requestContext"]["identity"]["sourceIp"] == OTHER_LOOPBACK
    assert event["headers"]["X-Forwarded-For"] == "203.0.113.9"  # passed on as a header, believed by nobody


def test_the_access_log_names_the_peer_and_hides_one_time_secrets(local_runtimes: LocalRuntimes) -> None:
    runtime = local_runtimes.shared()
    confirmation, new_email, reset = (secrets.token_hex(20) for _ in range(3))
    two_fa_code, sms_code = "482913", "771204"
    paths = [
        f"/api/user/account-confirmation/{confirmation}",
        f"/api/user/email-change-confirmation/{new_email}",
        f"/account-confirmation/{confirmation}",  # the web client's pages the emails link to
        f"/email-change-confirmation/{new_email}",
        f"/forgot-password?email=someone%40example.com&verificationString={reset}",
        f"/api/posts/delete/{uuid.uuid4()}?twoFaCode={two_fa_code}&code={sms_code}",
    ]
    for path in paths:
        method = "DELETE" if path.startswith("/api/posts/delete/") else "GET"
        _request_from(OTHER_LOOPBACK, runtime.base_url, method, path, {"Accept": "text/html"})
    log = (runtime.data_dir / "dev.log").read_text()
    for secret in (confirmation, new_email, reset, two_fa_code, sms_code):
        assert secret not in log
    assert f"{OTHER_LOOPBACK} GET /api/user/account-confirmation/[redacted] 404" in log
    assert f"{OTHER_LOOPBACK} GET /forgot-password?email=someone%40example.com&verificationString=[redacted]" in log
    assert re.search(
        rf"{OTHER_LOOPBACK} DELETE /api/posts/delete/[\w-]+\?twoFaCode=\[redacted\]&code=\[redacted\] 401", log
    )


def test_the_docs_page_forbids_framing_and_scripts_from_elsewhere(local_runtime: str) -> None:
    page = requests.get(f"{local_runtime}/docs", timeout=30)
    assert page.status_code == 200
    policy = dict(directive.strip().split(" ", 1) for directive in page.headers["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == "'self'" and policy["frame-ancestors"] == "'none'"
    assert page.headers["X-Frame-Options"] == "DENY"
    # The page still works under its policy: no inline script, and what it loads is there, from the site.
    scripts = re.findall(r"<script([^>]*)>", page.text)
    assert scripts and all('src="/docs/' in attributes for attributes in scripts)
    assets = re.findall(r'(?:src|href)="(/docs/[^"]+)"', page.text)
    assert sorted(assets) == ["/docs/swagger-initializer.js", "/docs/swagger-ui-bundle.js", "/docs/swagger-ui.css"]
    for asset in assets:
        answer = requests.get(f"{local_runtime}{asset}", timeout=30)
        assert answer.status_code == 200 and answer.headers["X-Frame-Options"] == "DENY", asset
    initializer = requests.get(f"{local_runtime}/docs/swagger-initializer.js", timeout=30).text
    assert "/docs/openapi.json" in initializer
    assert requests.get(f"{local_runtime}/docs/openapi.json", timeout=30).json()["paths"]
