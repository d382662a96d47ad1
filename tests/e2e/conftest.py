"""`cryptotalks dev` started as a developer starts it: a subprocess, a temporary data folder, a free port."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from cryptotalks_dev.aws import free_port
from tests.support import repo_root

READY_WITHIN_SECONDS = 90


@pytest.fixture(scope="session")
def local_runtime(fresh_database: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a running local runtime; stopped (with everything it started) at the end."""
    port = free_port()
    data_dir = tmp_path_factory.mktemp("dev-data")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SENDGRID_", "JWT_"))}
    env.update(DATABASE_URL=fresh_database(), PYTHONUNBUFFERED="1")
    log = (data_dir / "dev.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "cryptotalks_dev.cli", "dev", "--port", str(port), "--data-dir", str(data_dir)],
        cwd=repo_root(),
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_ready(process, data_dir / "dev.log", base_url)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        finally:
            log.close()
    assert process.returncode == 0, (data_dir / "dev.log").read_text()[-3000:]


def _wait_until_ready(process: subprocess.Popen[bytes], log: Path, base_url: str) -> None:
    deadline = time.monotonic() + READY_WITHIN_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"cryptotalks dev exited:\n{log.read_text()[-3000:]}")
        if f"Cryptotalks is ready on {base_url}" in log.read_text():
            return
        time.sleep(0.2)
    raise RuntimeError(f"cryptotalks dev was not ready in {READY_WITHIN_SECONDS}s:\n{log.read_text()[-3000:]}")


def wait_for_mail(base_url: str, to: str, timeout: float = 20) -> dict[str, str]:
    """The newest message to an address, once the consumer (polling its queue) has sent it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        messages = [m for m in requests.get(f"{base_url}/dev/mailbox", timeout=5).json() if m["to"] == to]
        if messages:
            return messages[-1]
        time.sleep(0.2)
    raise AssertionError(f"no email to {to} within {timeout}s")
