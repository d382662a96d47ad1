"""Requests per second that `cryptotalks dev --workers 2` answers over HTTP, on one kept-alive connection and on
eight at once. Each worker serves one request at a time, like a Lambda: with two workers on two cores, eight
connections should be answered at least 1.7 times as fast as one. Printed, not asserted.

    .venv/bin/python -m bench.runtime_throughput [--seconds 10] [--workers 2]

The runtime is started as a developer starts it, on a throwaway database made on BENCH_DATABASE_SERVER (default
127.0.0.1:5432); the request is GET /api/crypto/market-stats (the authorizer-free path through a function and the
database). Figures are measured once the runtime is idle: its start's coin sync done (the market stats answered) and
its parent process (pollers, scheduler) back to its idle polling, under 10% of a core over two seconds. (That share
was 5% once, below what the pollers' long polls cost while moto's server ran in the parent, ~10%: the wait never
ended. It ends with an error after IDLE_WITHIN_SECONDS now.)
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.synchronize import Barrier as BarrierType
from pathlib import Path

from bench.databases import throwaway_database
from bench.figures import record
from cryptotalks_dev.aws import free_port

PATH = "/api/crypto/market-stats"
READY_WITHIN_SECONDS = 120
IDLE_WITHIN_SECONDS = 180
IDLE_CPU_SHARE = 0.10  # of a core: the pollers' idle long polls cost ~4% (moto's server runs apart)
IDLE_SECONDS = 2
CONNECTIONS = (1, 8)
TARGET_RATIO = 1.7


@contextmanager
def running_runtime(workers: int, database_url: str) -> Iterator[int]:
    """`cryptotalks dev` on a free port, yielded once ready and idle; stopped on exit."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="cryptotalks-bench-") as data_dir:
        log_path = Path(data_dir) / "dev.log"
        command = [sys.executable, "-m", "cryptotalks_dev.cli", "dev", "--workers", str(workers)]
        with log_path.open("w") as log:
            runtime = subprocess.Popen(
                [*command, "--port", str(port), "--data-dir", data_dir],
                env={**os.environ, "DATABASE_URL": database_url, "PYTHONUNBUFFERED": "1"},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                _wait_until_ready(runtime, log_path)
                _wait_until_idle(runtime.pid, port)
                yield port
            finally:
                runtime.terminate()
                runtime.wait(timeout=30)


def _wait_until_ready(runtime: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + READY_WITHIN_SECONDS
    while "Cryptotalks is ready" not in log_path.read_text():
        if runtime.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"cryptotalks dev did not start:\n{log_path.read_text()[-3000:]}")
        time.sleep(0.2)


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _wait_until_idle(pid: int, port: int) -> None:
    """Until the start's coin sync has filled the market stats and the runtime's parent uses under IDLE_CPU_SHARE
    of a core over IDLE_SECONDS; a RuntimeError saying which did not happen after IDLE_WITHIN_SECONDS."""
    deadline = time.monotonic() + IDLE_WITHIN_SECONDS
    while not _market_stats_filled(port):
        if time.monotonic() > deadline:
            raise RuntimeError(f"the runtime's coin sync did not fill the market stats within {IDLE_WITHIN_SECONDS} s")
        time.sleep(1)
    share = 1.0
    while time.monotonic() < deadline:
        before = _cpu_seconds(pid)
        time.sleep(IDLE_SECONDS)
        share = (_cpu_seconds(pid) - before) / IDLE_SECONDS
        if share < IDLE_CPU_SHARE:
            return
    raise RuntimeError(
        f"the runtime did not become idle within {IDLE_WITHIN_SECONDS} s: its parent process used {share:.0%} of a"
        f" core over the last {IDLE_SECONDS} s (idle is under {IDLE_CPU_SHARE:.0%})"
    )


def _market_stats_filled(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", PATH)
        response = connection.getresponse()
        answer = response.read()
    finally:
        connection.close()
    return response.status == 200 and any(value is not None for value in json.loads(answer).values())


def _client(port: int, start: BarrierType, seconds: float, answered: multiprocessing.Queue[int | str]) -> None:
    """One kept-alive connection sending requests one after the other for `seconds`, in a process of its own: eight
    threads of one Python process shared its interpreter lock, and the clients, not the runtime, were the limit (they
    sent fewer requests at eight connections than at one)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.connect()  # before the start, as a worker takes a connection when it is opened
    start.wait()
    count, until = 0, time.perf_counter() + seconds
    while time.perf_counter() < until:
        connection.request("GET", PATH)
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            answered.put(f"GET {PATH} answered {response.status}")
            return
        count += 1
    connection.close()
    answered.put(count)


def requests_per_second(port: int, connections: int, seconds: float) -> float:
    start = multiprocessing.Barrier(connections + 1)
    answered: multiprocessing.Queue[int | str] = multiprocessing.Queue()
    clients = [
        multiprocessing.Process(target=_client, args=(port, start, seconds, answered)) for _ in range(connections)
    ]
    for client in clients:
        client.start()
    start.wait()
    counts = [answered.get() for _ in clients]
    for client in clients:
        client.join()
    failures = [count for count in counts if isinstance(count, str)]
    if failures:
        raise RuntimeError(failures[0])
    return sum(int(count) for count in counts) / seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with throwaway_database() as database_url, running_runtime(args.workers, database_url) as port:
        requests_per_second(port, max(CONNECTIONS), 1)  # warm-up: every worker has served
        figures = {n: requests_per_second(port, n, args.seconds) for n in CONNECTIONS}
    print(f"cryptotalks dev --workers {args.workers} on {os.cpu_count()} cores, GET {PATH}, {args.seconds:g} s each")
    for connections, rate in figures.items():
        print(f"  {connections} connection(s): {rate:8.1f} requests/s")
    ratio = figures[max(CONNECTIONS)] / figures[min(CONNECTIONS)]
    print(f"  {max(CONNECTIONS)} connections vs 1: {ratio:.2f} times as many   (target ≥ {TARGET_RATIO} on 2 cores)")
    record(
        "runtime_throughput",
        f"requests/s at {max(CONNECTIONS)} connections / at 1, --workers {args.workers}",
        ratio,
        "x",
        f"≥ x{TARGET_RATIO} (2 workers, 2 cores)",
        ratio >= TARGET_RATIO,
        " / ".join(f"{figures[n]:.1f}" for n in sorted(CONNECTIONS, reverse=True)) + " requests/s",
    )


if __name__ == "__main__":
    main()
