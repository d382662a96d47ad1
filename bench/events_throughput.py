"""Events through the local pipeline, on each bus: publish (the outbox, sent after commit) → broker (moto's
EventBridge and SQS, or a tansu Kafka broker) → poller (the event source mapping) → consumer → PostgreSQL.

It publishes `crypto_for_user_created` events (one consumer: an INSERT of the user's empty favourites list), each
in its own transaction as a request would, from a few threads of a process of their own (as the runtime's API
workers are), with every consumer's poller running in this process as in `cryptotalks dev`. It prints events per
second (published; processed, from the first publish to the last consumer's transaction) and the end-to-end delay
(publish to the consumer's transaction, read from the outbox and the inbox). Printed, not asserted.

    .venv/bin/python -m bench.events_throughput [--events 10000] [--bus eventbridge|kafka|both] [--rate N|0]

By default each bus is offered its target rate (TARGET_RATE: the issue's "highest rate with an end-to-end p95 under
a second"); `--rate N` offers N events per second, `--rate 0` publishes at once: the publishers then outrun the
consumer and the delay measures the backlog. (A consumer's inbox row is written as its
batch's transaction begins, so a delay leaves out the rest of that batch's transaction: milliseconds.)

It also prints the CPU time each process spent per event while the measured events went through: this process
(the pollers and consumers, as the runtime's parent), the publishers' and the other children (moto's server, the
Kafka broker), and the database server's backends of the run (when it runs on this machine).
CPU per event does not depend on the machine's other load, as rates and delays do.

A throwaway database is made on BENCH_DATABASE_SERVER (default 127.0.0.1:5432) for each bus, in a process of its own.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from pathlib import Path

from psycopg.conninfo import conninfo_to_dict

from bench.crypto_common import migrated_database, milliseconds
from bench.figures import record

PUBLISHING_THREADS = 4
CONSUMER = "crypto.create_favorite_list"  # the inbox name of the crypto_for_user_created consumer
TARGET_RATE = {"kafka": 1000, "eventbridge": 300}  # events per second with an end-to-end p95 under a second
TARGET_CPU_MS = {"kafka": 1.0}  # CPU per event of the pollers and consumers
CONSUMERS = "pollers and consumers"  # this process, as CPU figures name it
DATABASE = "database server"  # the backends of the run's database
IDLE_SECONDS = 5  # the pollers' idle cost is measured this long before publishing
WARM_UP_EVENTS = 2  # one from each process: the consumer groups have joined, the connections are open


def _publish_one() -> None:
    from cryptotalks import db
    from cryptotalks.events import publish
    from cryptotalks.events.catalogue import CryptoForUserCreated

    with db.transaction():
        publish(CryptoForUserCreated(userId=uuid.uuid4()), "users")


def _processed() -> int:
    from cryptotalks import db

    with db.transaction() as tx:
        row = tx.conn.execute("SELECT count(*) FROM messaging.inbox WHERE consumer = %s", (CONSUMER,)).fetchone()
    return int(row["count"]) if row else 0


def _wait_until_processed(count: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while _processed() < count:
        if time.monotonic() > deadline:
            raise SystemExit(f"only {_processed()} of {count} events processed within {timeout:.0f}s")
        time.sleep(0.2)


def _delays(since_event: int) -> tuple[list[float], float]:
    """End-to-end delays of the measured events, and the seconds from their first publish to the last processing."""
    from cryptotalks import db

    with db.transaction() as tx:
        rows = tx.conn.execute(
            "SELECT extract(epoch FROM i.processed_at - (o.envelope->>'occurredAt')::timestamptz) AS delay,"
            " extract(epoch FROM (o.envelope->>'occurredAt')::timestamptz) AS published,"
            " extract(epoch FROM i.processed_at) AS processed"
            " FROM messaging.outbox o JOIN messaging.inbox i ON i.event_id = o.id AND i.consumer = %s"
            " ORDER BY o.created_at OFFSET %s",
            (CONSUMER, since_event),
        ).fetchall()
    span = float(max(r["processed"] for r in rows) - min(r["published"] for r in rows))
    return [float(r["delay"]) for r in rows], span


def _cpu_seconds(publishers: int) -> dict[str, float]:
    """CPU seconds (user and system) of this process and of each of its children, by name, but the publishers'
    process (`publishers`, a process id: it measures its own); and of the PostgreSQL backends serving the run's
    database, when the server runs on this machine (they share its cores)."""
    ticks = os.sysconf("SC_CLK_TCK")
    backend = f" {conninfo_to_dict(os.environ['DATABASE_URL'])['dbname']} "  # in a backend's process title
    spent: dict[str, float] = {}
    for status in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = status.read_text().rpartition(")")[2].split()
            ours = status.parent.name == str(os.getpid()) or int(fields[1]) == os.getpid()
            if status.parent.name == str(publishers):
                continue
            command = (status.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, ValueError):
            continue  # a process that ended meanwhile
        if ours:
            name = CONSUMERS if status.parent.name == str(os.getpid()) else _child_name(command)
        elif command.startswith("postgres: ") and backend in command:
            name = DATABASE
        else:
            continue
        spent[name] = spent.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / ticks
    return spent


def _child_name(command: str) -> str:
    if "moto_server" in command:
        return "moto server"
    if "tansu" in command:
        return "kafka broker"
    return command.split(" ", 1)[0].rsplit("/", 1)[-1]


def _publishers(rate: float | None, events: int, control: Connection) -> None:
    """The publishing process: once warm, on "go", publishes `events` from PUBLISHING_THREADS threads; answers the
    seconds it took and the CPU seconds it spent."""
    from cryptotalks import db

    db.use_pool(max_size=PUBLISHING_THREADS)
    _publish_one()
    control.send("ready")
    control.recv()
    started, cpu = time.monotonic(), time.process_time()
    with ThreadPoolExecutor(PUBLISHING_THREADS) as pool:
        list(pool.map(lambda number: _publish_at(rate, started, number), range(events)))
    control.send((time.monotonic() - started, time.process_time() - cpu))
    db.close()


def _publish_at(rate: float | None, started: float, number: int) -> None:
    if rate:
        time.sleep(max(0.0, started + number / rate - time.monotonic()))
    _publish_one()


def measure(bus: str, events: int, rate: float | None) -> None:
    os.environ["EVENT_BUS"] = bus
    from cryptotalks_dev.kafka_pollers import kafka_pollers
    from cryptotalks_dev.pollers import QueuePoller
    from cryptotalks_dev.services import local_services

    with (
        tempfile.TemporaryDirectory(prefix="cryptotalks-bench-") as data_dir,
        migrated_database(),
        local_services(Path(data_dir), "http://127.0.0.1:3000") as stack,
    ):
        stop = threading.Event()
        pollers: list[threading.Thread] = [QueuePoller(queue, stop) for queue in stack.queues]
        if stack.kafka_bootstrap_servers:
            pollers += kafka_pollers(stop)
        for poller in pollers:
            poller.start()
        _publish_one()
        control, control_there = multiprocessing.Pipe()
        publishers = multiprocessing.get_context("spawn").Process(
            target=_publishers, args=(rate, events, control_there), name="publishers"
        )
        publishers.start()
        if not control.poll(120):
            raise SystemExit("the publishing process did not start within 120 s")
        control.recv()
        _wait_until_processed(WARM_UP_EVENTS, timeout=60)
        idle_before = _cpu_seconds(publishers.pid or 0)
        time.sleep(IDLE_SECONDS)
        idle = _cpu_seconds(publishers.pid or 0)

        cpu_before, window = idle, time.monotonic()
        control.send("go")
        publishing, publishers_cpu = control.recv()
        _wait_until_processed(events + WARM_UP_EVENTS, timeout=max(120.0, events / 5))
        cpu_after, window = _cpu_seconds(publishers.pid or 0), time.monotonic() - window
        publishers.join(timeout=30)
        delays, span = _delays(since_event=WARM_UP_EVENTS)
        stop.set()
        for poller in pollers:
            poller.join(timeout=5)

    offered = f" at {rate:g}/s" if rate else ""
    processed = events / span
    print(
        f"{bus:<11} {events} events{offered}: published {events / publishing:7.0f}/s,"
        f" processed {processed:7.0f}/s; end-to-end {milliseconds(delays)}",
        flush=True,
    )
    spent = {name: (cpu_after[name] - cpu_before.get(name, 0.0)) * 1000 / events for name in cpu_after}
    per_event = {name: ms for name, ms in spent.items() if ms >= 0.005}  # not the idle helpers (resource tracker)
    per_event["publishers"] = publishers_cpu * 1000 / events
    print("  CPU per event: " + ", ".join(f"{name} {ms:.2f} ms" for name, ms in sorted(per_event.items())), flush=True)
    # What the pollers cost with nothing to do (long polls, fetches) is paid per second, not per event: the slower
    # the publishers (a loaded machine), the more of it each event carries. Without it, CPU per event is the events'.
    idle_share = {name: (idle[name] - idle_before.get(name, 0.0)) / IDLE_SECONDS for name in idle}
    marginal = {name: ms - idle_share.get(name, 0.0) * window * 1000 / events for name, ms in per_event.items()}
    consumers_idle = idle_share[CONSUMERS]
    idling = ", ".join(f"{name} {share:.1%} of a core" for name, share in sorted(idle_share.items()))
    above = ", ".join(f"{name} {ms:.2f} ms" for name, ms in sorted(marginal.items()))
    print(f"  idle: {idling}; CPU per event above idle: {above}", flush=True)
    p95 = sorted(delays)[max(0, round(0.95 * len(delays)) - 1)]
    target_rate = TARGET_RATE[bus]
    record(
        "events_throughput",
        f"{bus}: end-to-end p95, {events} events{offered or ' at once'}",
        p95 * 1000,
        "ms",
        f"< 1000 ms at ≥ {target_rate}/s",
        bool(rate and rate >= target_rate and p95 < 1.0 and processed >= 0.95 * rate) if rate else None,
        f"published {events / publishing:.0f}/s, processed {processed:.0f}/s",
    )
    target_cpu = TARGET_CPU_MS.get(bus)
    record(
        "events_throughput",
        f"{bus}: CPU per event above idle, the pollers' and consumers' process",
        marginal[CONSUMERS],
        "ms",
        f"≤ {target_cpu:g} ms" if target_cpu else "-",
        marginal[CONSUMERS] <= target_cpu if target_cpu else None,
        f"with its idle polling ({consumers_idle:.1%} of a core) over {window:.0f} s: {per_event[CONSUMERS]:.2f} ms; "
        + ", ".join(f"{name} {ms:.2f} ms" for name, ms in sorted(marginal.items()) if name != CONSUMERS),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--bus", choices=["eventbridge", "kafka", "both"], default="both")
    parser.add_argument(
        "--rate", type=float, default=None, help="events per second to publish (default: the bus's target; 0: at once)"
    )
    args = parser.parse_args()
    if args.bus != "both":
        measure(args.bus, args.events, TARGET_RATE[args.bus] if args.rate is None else args.rate or None)
        return
    for bus in ("eventbridge", "kafka"):  # a process each: the environment and the caches start afresh
        rate = [] if args.rate is None else ["--rate", str(args.rate)]
        command = [sys.executable, "-m", "bench.events_throughput", "--bus", bus, "--events", str(args.events), *rate]
        subprocess.run(command, check=True)


if __name__ == "__main__":
    main()
