"""Everything the functions expect around them, started on this machine and stopped again."""

from __future__ import annotations

import contextlib
import os
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cryptotalks import db, migrations
from cryptotalks_dev.aws import ConsumerQueue, aws_endpoint, provision
from cryptotalks_dev.database import database
from cryptotalks_dev.pollers import QueuePoller

BUS_NAME = "cryptotalks"


@dataclass
class LocalStack:
    data_dir: Path
    database_url: str
    aws_endpoint_url: str
    queues: list[ConsumerQueue]
    outbox_dir: Path


def _jwt_secret(data_dir: Path) -> str:
    """A random signing key kept in the data folder, so sessions survive a restart."""
    path = data_dir / "jwt-secret"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def configure_environment(data_dir: Path, public_base_url: str) -> Path:
    outbox_dir = data_dir / "outbox"
    defaults = {
        "JWT_SECRET": _jwt_secret(data_dir),
        "EVENT_BUS_NAME": BUS_NAME,
        "PUBLIC_BASE_URL": public_base_url,
        "CRYPTOTALKS_DEV_OUTBOX_DIR": str(outbox_dir),
        "POWERTOOLS_SERVICE_NAME": "cryptotalks",
        "POWERTOOLS_METRICS_NAMESPACE": "Cryptotalks",
        "POWERTOOLS_METRICS_DISABLED": "true",
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
    }
    for name, value in defaults.items():
        os.environ.setdefault(name, value)
    return Path(os.environ["CRYPTOTALKS_DEV_OUTBOX_DIR"])


@contextlib.contextmanager
def local_stack(data_dir: Path, public_base_url: str) -> Iterator[LocalStack]:
    data_dir.mkdir(parents=True, exist_ok=True)
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
def running_pollers(queues: list[ConsumerQueue]) -> Iterator[list[QueuePoller]]:
    stop = threading.Event()
    pollers = [QueuePoller(queue, stop) for queue in queues]
    for poller in pollers:
        poller.start()
    try:
        yield pollers
    finally:
        stop.set()
        for poller in pollers:
            poller.join(timeout=5)
