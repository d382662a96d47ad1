"""Malformed bodies over HTTP against `cryptotalks dev`: a 400 in the contract's shape, and its log stays short
(a 1.8 KB body of nested arrays used to answer 500 and write a 209 KB traceback line)."""

from __future__ import annotations

import requests

from cryptotalks.observability import MAX_LOG_LINE_BYTES
from tests.e2e.conftest import LocalRuntimes

BODIES = [b"[" * 900 + b"]" * 900, b'{"email": ' + b"9" * 5000 + b"}", b"{" * 100_000]


def test_malformed_bodies_answer_400_and_log_no_long_line(local_runtimes: LocalRuntimes) -> None:
    runtime = local_runtimes.shared()
    log = runtime.data_dir / "dev.log"
    logged_before = log.stat().st_size
    for body in BODIES:
        answer = requests.post(
            f"{runtime.base_url}/api/user/sign-in",
            data=body,
            headers={"Content-Type": "application/json"},
            timeout=30,
        )
        assert answer.status_code == 400
        assert answer.json() == {"statusCode": 400, "message": "validation-error", "error": "Validation error"}
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
    written = log.read_bytes()[logged_before:]
    assert max((len(line) for line in written.splitlines()), default=0) <= MAX_LOG_LINE_BYTES
