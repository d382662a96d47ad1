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
from cryptotalks_dev.pollers import QueuePoller
from cryptotalks_dev.scheduler import JobScheduler
from functions import registry


@dataclass
class LocalStack:
    data_dir: Path
    database_url: str
    aws_endpoint_url: str
    queues: list[ConsumerQueue]
    outbox_dir: Path


@contextlib.contextmanager
def local_stack(data_dir: Path, public_base_url: str) -> Iterator[LocalStack]:
    outbox_dir = configure_environment(data_dir, public_base_url)
    with database(data_dir) as database_url, aws_endpoint() as aws_url:
        os.environ["DATABASE_URL"] = database_url
        with db.connect(database_url) as conn:
            migrations.apply_all(conn)
        db.use_pool(max_size=20)
        try:
            queues = provision(os.environ["EVENT_BUS_NAME"])
            yield LocalStack(data_dir, database_url, aws_url, queues, outbox_dir)
        finally:
            db.close()


@contextlib.contextmanager
def running_workers(queues: list[ConsumerQueue]) -> Iterator[list[threading.Thread]]:
    """The queue pollers (event source mappings) and the job scheduler (schedule rules)."""
    stop = threading.Event()
    workers: list[threading.Thread] = [QueuePoller(queue, stop) for queue in queues]
    workers.append(JobScheduler(registry.jobs(), stop))
    for worker in workers:
        worker.start()
    try:
        yield workers
    finally:
        stop.set()
        for worker in workers:
            worker.join(timeout=5)
