"""`cryptotalks dev --workers N` serves the API from several processes at once, as Lambda does, and stops whole
on one SIGTERM."""

from __future__ import annotations

import contextlib
import json
import signal
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from pathlib import Path

import psycopg
import requests

from tests.e2e.conftest import RACING_WORKERS, LocalRuntimes

STOPPED_WITHIN_SECONDS = 20


def _database_url(data_dir: Path) -> str:
    return str(json.loads((data_dir / "runtime.json").read_text())["database_url"])


def _waiting_on_a_lock(conn: psycopg.Connection[tuple[object, ...]]) -> bool:
    row = conn.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
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
            while not _waiting_on_a_lock(watcher):
                assert time.monotonic() < deadline, "the request never reached the database"
                time.sleep(0.05)
            # One worker is now inside a function, waiting. Each request below comes on its own connection,
            # which any worker may accept: those the other workers take are answered at once.
            others = [
                pool.submit(requests.get, f"{runtime.base_url}/api/user/get/nobody{n}", timeout=60) for n in range(12)
            ]
            done, _ = wait(others, timeout=30, return_when=FIRST_COMPLETED)
            assert done, "no request was answered while one worker was held up"
            assert next(iter(done)).result().status_code == 404
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
        children = _children(runtime.process.pid)
        assert len(children) >= 2, children  # the workers (and multiprocessing's resource tracker)
        runtime.process.send_signal(signal.SIGTERM)
        assert runtime.process.wait(timeout=STOPPED_WITHIN_SECONDS) == 0
        deadline = time.monotonic() + 5
        while any(_running(pid) for pid in children):
            assert time.monotonic() < deadline, [pid for pid in children if _running(pid)]
            time.sleep(0.1)
    finally:
        if runtime.process.poll() is None:
            runtime.process.kill()
        runtime.log.close()
    assert "Stopping…" in (runtime.data_dir / "dev.log").read_text()


def _children(pid: int) -> list[int]:
    """The child processes, whichever of the process's threads started them."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(FileNotFoundError):  # a thread that has just ended
            found += [int(child) for child in (task / "children").read_text().split()]
    return found


def _running(pid: int) -> bool:
    """Alive and not a zombie (one left to a PID 1 that does not reap is stopped all the same)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "State:\tZ" not in status
