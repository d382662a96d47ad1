"""`cryptotalks dev --workers N` serves the API from several processes at once, as Lambda does, and stops whole
on one SIGTERM."""

from __future__ import annotations

import json
import re
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path

import psycopg
import requests

from tests.e2e.conftest import RACING_WORKERS, LocalRuntimes

STOPPED_WITHIN_SECONDS = 20


def _database_url(data_dir: Path) -> str:
    return str(json.loads((data_dir / "runtime.json").read_text())["database_url"])


def _market_stats_read_waiting(conn: psycopg.Connection[tuple[object, ...]]) -> bool:
    """Whether the market-stats request's SELECT (not the coin sync's DELETE) waits for the table lock."""
    row = conn.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        " AND query LIKE 'SELECT %FROM crypto.market_stats%'"
    ).fetchone()
    return bool(row and row[0])


def test_a_worker_held_up_in_a_function_does_not_hold_up_the_others(local_runtimes: LocalRuntimes) -> None:
    runtime = local_runtimes.get("eventbridge", workers=RACING_WORKERS)  # racing_runtime's
    with (
        psycopg.connect(_database_url(runtime.data_dir)) as locker,
        psycopg.connect(_database_url(runtime.data_dir), autocommit=True) as watcher,
        ThreadPoolExecutor(max_workers=20) as pool,
    ):
        locker.execute("LOCK TABLE crypto.market_stats IN ACCESS EXCLUSIVE MODE")
        try:
            held_up = pool.submit(requests.get, f"{runtime.base_url}/api/crypto/market-stats", timeout=60)
            deadline = time.monotonic() + 20
            while not _market_stats_read_waiting(watcher):
                assert time.monotonic() < deadline, "the request never reached the database"
                time.sleep(0.05)
            # One worker is now inside a function, waiting: it leaves new connections to the others, which
            # answer every request below (each on a connection of its own) while it waits.
            others = [
                pool.submit(requests.get, f"{runtime.base_url}/api/user/get/nobody{n}", timeout=60) for n in range(12)
            ]
            _, pending = wait(others, timeout=30)
            assert not pending, f"{len(pending)} of 12 requests waited for the held-up worker"
            assert not held_up.done()
        finally:
            locker.rollback()
        assert held_up.result().status_code == 200
        assert all(other.result().status_code == 404 for other in others)


def test_fifty_requests_with_bodies_at_once_are_all_answered(racing_runtime: str) -> None:
    start = threading.Barrier(50)

    def create_post(n: int) -> int:
        start.wait()
        body = {"title": f"Race {n}", "content": "x" * 2000, "tags": ["race"]}
        return requests.post(f"{racing_runtime}/api/posts/create", json=body, timeout=60).status_code

    with ThreadPoolExecutor(max_workers=50) as pool:
        for _ in range(3):  # a short listen backlog resets some connections of a burst, not always the same number
            statuses = list(pool.map(create_post, range(50)))  # a reset connection raises here
            assert statuses == [401] * 50  # no token: the authorizer's answer


def test_one_sigterm_stops_the_runtime_and_its_workers(local_runtimes: LocalRuntimes) -> None:
    runtime = local_runtimes.start("eventbridge", workers=2)
    try:
        assert requests.get(f"{runtime.base_url}/api/user/get/nobody", timeout=30).status_code == 404
        workers = _worker_pids(runtime.data_dir)
        assert len(workers) == 2 and all(_running(pid) for pid in workers)
        runtime.process.send_signal(signal.SIGTERM)
        assert runtime.process.wait(timeout=STOPPED_WITHIN_SECONDS) == 0
        deadline = time.monotonic() + 5
        while any(_running(pid) for pid in workers):
            assert time.monotonic() < deadline, [pid for pid in workers if _running(pid)]
            time.sleep(0.1)
    finally:
        if runtime.process.poll() is None:
            runtime.process.kill()
        runtime.log.close()
    assert "Stopping…" in (runtime.data_dir / "dev.log").read_text()


def _worker_pids(data_dir: Path) -> list[int]:
    """From the runtime's start message: `API workers: 2 processes (4242, 4243)`."""
    found = re.search(r"API workers: \d+ processes \(([\d, ]+)\)", (data_dir / "dev.log").read_text())
    assert found, "no worker process ids in the start message"
    return [int(pid) for pid in found.group(1).split(", ")]


def _running(pid: int) -> bool:
    """Alive and not a zombie (one left to a PID 1 that does not reap is stopped all the same)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "State:\tZ" not in status
