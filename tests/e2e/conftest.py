"""`cryptotalks dev` started as a developer starts it: a subprocess, a temporary data folder, a free port.

One runtime per bus (and per worker count and extra environment) per test module, started when a test first asks
for it and stopped when the module's tests are done: an idle runtime still polls its queues (about 7% of a core), and
under pytest-xdist a module's tests may run on several workers, each with runtimes of its own. A test takes
`local_runtime` (EventBridge, the CLI's default worker count), or is parametrised over the buses with
`pytest.mark.parametrize("local_runtime", BUSES, indirect=True)`; a test of what happens when requests meet takes
`racing_runtime` (three workers, as Lambdas running at once). Before a runtime stops, its action log is read through
`cryptotalks audit tail` and must hold no secret.

The tests marked `deployed` run against a deployed stage as well: with `CRYPTOTALKS_E2E_BASE_URL` set (API
Gateway's URL, e.g. on LocalStack: `make localstack-smoke`), `local_runtime` is that URL and starts nothing, the
emails are read from `CRYPTOTALKS_E2E_MAILBOX_URL` (a SendGrid stand-in's list, in the dev mailbox's shape),
the Kafka parametrisations are skipped (a deployed stage runs on one bus, EventBridge) and so are the tests not
marked `deployed`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from cryptotalks_dev.aws import free_port
from tests.events_support import secrets_in
from tests.support import STRONG_PASSWORD, repo_root

READY_WITHIN_SECONDS = 90
DEPLOYED_BASE_URL = os.environ.get("CRYPTOTALKS_E2E_BASE_URL", "").rstrip("/")
DEPLOYED_MAILBOX_URL = os.environ.get("CRYPTOTALKS_E2E_MAILBOX_URL")
# A deployed consumer (an event rule, a queue poll, a cold start) takes longer than the local runtime's poller.
MAIL_WITHIN_SECONDS = 90 if DEPLOYED_BASE_URL else 20
BUSES = ["eventbridge", "kafka"]
RACING_WORKERS = 3
DEV_COMMAND = [sys.executable, "-m", "cryptotalks_dev.cli", "dev"]
# Settings the runtime makes for itself: not inherited from the tests' process, which may have set its own
# (tests/conftest.py's function environment: another base URL, mailbox folder, bus, credentials).
RUNTIME_SETS_ITSELF = (
    "AWS_",
    "ARGON2_",
    "SENDGRID_",
    "JWT_",
    "KAFKA_",
    "MONGODB_",
    "EVENT_BUS",
    "PUBLIC_BASE_URL",
    "CRYPTOTALKS_DEV_",
    "POWERTOOLS_",
    "LIMIT_",
)
# The settings of the runtimes the tests share. Every test reaches them from 127.0.0.1, as no real client does: the
# per-client limits of cryptotalks.users.limits are raised there. Their password hashes are argon2id at its lowest
# cost, as in the in-process tests (tests/conftest.py): at the library's, the sign-ups, sign-ins and schemathesis'
# generated ones took a large share of the suite's CPU. The racing runtime keeps both (its tests each use an
# address, and its races run at the real hashing cost).
SHARED_RUNTIME_SETTINGS = {
    "LIMIT_FAILURES_PER_CLIENT": "100000",
    "LIMIT_SMS_PER_CLIENT": "100000",
    "LIMIT_EMAILS_PER_CLIENT": "100000",
    # The browser journey texts one number six times within a minute (phone, four step-ups, a sign-in).
    "LIMIT_SMS_PER_NUMBER": "20",
    "LIMIT_SMS_PER_ACCOUNT": "20",
    "ARGON2_TIME_COST": "1",
    "ARGON2_MEMORY_COST_KIB": "64",
}


@dataclass
class Runtime:
    base_url: str
    data_dir: Path
    process: subprocess.Popen[bytes]
    log: Any

    def cli(self, *arguments: str, **environment: str) -> subprocess.CompletedProcess[str]:
        """Another `cryptotalks` command, working on this running runtime (with the runtime's own settings, and
        `environment`)."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(RUNTIME_SETS_ITSELF)}
        return subprocess.run(
            [sys.executable, "-m", "cryptotalks_dev.cli", *arguments, "--data-dir", str(self.data_dir)],
            cwd=repo_root(),
            env={**env, **environment},
            capture_output=True,
            text=True,
            timeout=120,
        )

    def check_action_log(self) -> None:
        """Read through `cryptotalks audit tail`, it holds no secret."""
        tail = self.cli("audit", "tail", "-n", "100000", "--json")
        assert tail.returncode == 0, tail.stderr
        leaks = {r["message"]: secrets_in(r, [STRONG_PASSWORD]) for r in json.loads(tail.stdout)}
        assert not {m: found for m, found in leaks.items() if found}, "secrets in the action log"

    def wait_stopped(self) -> None:
        """Once terminated: stopped, with exit code 0."""
        try:
            self.process.wait(timeout=30)
        finally:
            self.log.close()
        assert self.process.returncode == 0, (self.data_dir / "dev.log").read_text()[-3000:]


@dataclass
class LocalRuntimes:
    fresh_database: Any
    tmp_path_factory: pytest.TempPathFactory
    started: dict[tuple[str, int | None, tuple[tuple[str, str], ...]], Runtime] = field(default_factory=dict)

    def get(self, bus: str, workers: int | None = None, **environment: str) -> Runtime:
        """The runtime shared by the run's tests; `workers`: the CLI's default when None."""
        key = (bus, workers, tuple(sorted(environment.items())))
        if key not in self.started:
            self.started[key] = self.start(bus, workers, environment)
        return self.started[key]

    def shared(self, bus: str = "eventbridge") -> Runtime:
        """The runtime `local_runtime` names on `bus` (the CLI's worker count, SHARED_RUNTIME_SETTINGS)."""
        return self.get(bus, **SHARED_RUNTIME_SETTINGS)

    def start(self, bus: str, workers: int | None = None, environment: dict[str, str] | None = None) -> Runtime:
        """A runtime of the caller's own, which the caller stops."""
        port = free_port()
        data_dir = self.tmp_path_factory.mktemp(f"dev-{bus}")
        env = {k: v for k, v in os.environ.items() if not k.startswith(RUNTIME_SETS_ITSELF)}
        env.update(DATABASE_URL=self.fresh_database(), PYTHONUNBUFFERED="1", **(environment or {}))
        log = (data_dir / "dev.log").open("w")
        options = ["--port", str(port), "--data-dir", str(data_dir), "--bus", bus]
        if workers is not None:
            options += ["--workers", str(workers)]
        process = subprocess.Popen(
            [*DEV_COMMAND, *options],
            cwd=repo_root(),
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        runtime = Runtime(f"http://127.0.0.1:{port}", data_dir, process, log)
        try:
            _wait_until_ready(process, data_dir / "dev.log", runtime.base_url)
        except BaseException:
            process.kill()
            log.close()
            raise
        return runtime

    def stop_all(self) -> None:
        """Every runtime's action log checked, then all stopped at once: each takes seconds to stop."""
        runtimes = list(self.started.values())

        def failures_of(step: Callable[[Runtime], None]) -> list[str]:
            failures = []
            for runtime in runtimes:
                try:
                    step(runtime)
                except AssertionError as failure:
                    failures.append(f"{runtime.base_url}: {failure}")
            return failures

        try:
            failures = failures_of(Runtime.check_action_log)
        finally:
            for runtime in runtimes:
                runtime.process.terminate()
        failures += failures_of(Runtime.wait_stopped)
        assert not failures, "\n".join(failures)


@pytest.fixture(scope="module")
def local_runtimes(fresh_database: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalRuntimes]:
    runtimes = LocalRuntimes(fresh_database, tmp_path_factory)
    yield runtimes
    runtimes.stop_all()


@pytest.fixture
def local_runtime(request: pytest.FixtureRequest) -> str:
    """The base URL of a running local runtime, on the bus the test is parametrised with (EventBridge if none);
    or the deployed stage's (`CRYPTOTALKS_E2E_BASE_URL`) for a test marked `deployed`."""
    bus = getattr(request, "param", "eventbridge")
    if DEPLOYED_BASE_URL:
        if request.node.get_closest_marker("deployed") is None:
            pytest.skip("needs the local runtime (not marked deployed)")
        if bus != "eventbridge":
            pytest.skip("the deployed stage runs on EventBridge")
        return DEPLOYED_BASE_URL
    runtimes: LocalRuntimes = request.getfixturevalue("local_runtimes")
    return runtimes.shared(bus).base_url


@pytest.fixture(scope="module")
def racing_runtime(local_runtimes: LocalRuntimes) -> str:
    """The base URL of a `cryptotalks dev --workers 3` on EventBridge: requests fired at once are served at once,
    each worker one request at a time, as Lambdas on one database."""
    return local_runtimes.get("eventbridge", workers=RACING_WORKERS).base_url


def _wait_until_ready(process: subprocess.Popen[bytes], log: Path, base_url: str) -> None:
    deadline = time.monotonic() + READY_WITHIN_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"cryptotalks dev exited:\n{log.read_text()[-3000:]}")
        if f"Cryptotalks is ready on {base_url}" in log.read_text():
            return
        time.sleep(0.2)
    raise RuntimeError(f"cryptotalks dev was not ready in {READY_WITHIN_SECONDS}s:\n{log.read_text()[-3000:]}")


def wait_for_mail(base_url: str, to: str, timeout: float = MAIL_WITHIN_SECONDS) -> dict[str, str]:
    """The newest message to an address, once the consumer (polling its queue) has sent it."""
    mailbox = DEPLOYED_MAILBOX_URL or f"{base_url}/dev/mailbox"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        messages = [m for m in requests.get(mailbox, timeout=5).json() if m["to"] == to]
        if messages:
            return messages[-1]
        time.sleep(0.2)
    raise AssertionError(f"no email to {to} within {timeout}s")
