"""Everything the functions expect around them, started on this machine and stopped again."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cryptotalks import db, migrations
from cryptotalks_dev.aws import ConsumerQueue, aws_endpoint, provision
from cryptotalks_dev.database import database
from cryptotalks_dev.environment import configure_environment
from cryptotalks_dev.kafka_broker import kafka_if_chosen
from cryptotalks_dev.kafka_pollers import kafka_pollers
from cryptotalks_dev.pollers import QueuePoller
from cryptotalks_dev.scheduler import JobScheduler
from functions import registry


@dataclass
class LocalServices:
    data_dir: Path
    database_url: str
    aws_endpoint_url: str
    queues: list[ConsumerQueue]
    outbox_dir: Path
    kafka_bootstrap_servers: str | None = None  # with EVENT_BUS=kafka; the queues are then not provisioned


@contextlib.contextmanager
def local_services(data_dir: Path, public_base_url: str) -> Iterator[LocalServices]:
    outbox_dir = configure_environment(data_dir, public_base_url)
    with database(data_dir) as database_url, aws_endpoint() as aws_url, kafka_if_chosen(data_dir) as kafka_servers:
        os.environ["DATABASE_URL"] = database_url
        with db.connect(database_url) as conn:
            migrations.apply_all(conn)
        db.use_pool(max_size=20)
        try:
            queues = [] if kafka_servers else provision(os.environ["EVENT_BUS_NAME"])
            yield LocalServices(data_dir, database_url, aws_url, queues, outbox_dir, kafka_servers)
        finally:
            db.close()


@contextlib.contextmanager
def running_pollers(stack: LocalServices) -> Iterator[list[threading.Thread]]:
    """The queue or topic pollers (event source mappings) and the job scheduler (schedule rules)."""
    stop = threading.Event()
    workers: list[threading.Thread] = [QueuePoller(queue, stop) for queue in stack.queues]
    if stack.kafka_bootstrap_servers:
        workers += kafka_pollers(stop)
    workers.append(JobScheduler(registry.jobs(), stop))
    for worker in workers:
        worker.start()
    try:
        yield workers
    finally:
        stop.set()
        for worker in workers:
            worker.join(timeout=5)
