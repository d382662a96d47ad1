"""While `cryptotalks dev` runs, `<data dir>/runtime.json` says where its parts listen (database, AWS endpoint,
Kafka brokers), so other commands can work on the running stack: `cryptotalks dlq`, `cryptotalks audit tail`.
It is removed on exit; it names local endpoints only, and is readable by its owner alone."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from cryptotalks_dev.environment import configure_environment
from cryptotalks_dev.lambda_context import REGION
from cryptotalks_dev.services import LocalServices

RUNTIME_FILE = "runtime.json"


class NotRunningError(RuntimeError):
    pass


@dataclass(frozen=True)
class RunningStack:
    pid: int
    base_url: str
    bus: str  # eventbridge | kafka
    database_url: str
    aws_endpoint_url: str
    kafka_bootstrap_servers: str | None
    mongodb_uri: str | None

    def use(self) -> None:
        """Points this process's functions' code (database, boto3, Kafka clients, audit store) at the stack."""
        os.environ.update(DATABASE_URL=self.database_url, AWS_ENDPOINT_URL=self.aws_endpoint_url, EVENT_BUS=self.bus)
        for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
            os.environ.setdefault(name, "testing")  # moto's
        os.environ.setdefault("AWS_DEFAULT_REGION", REGION)
        optional = {"KAFKA_BOOTSTRAP_SERVERS": self.kafka_bootstrap_servers, "MONGODB_URI": self.mongodb_uri}
        for name, given in optional.items():
            if given:
                os.environ[name] = given
            else:
                os.environ.pop(name, None)


@contextlib.contextmanager
def recorded(stack: LocalServices, base_url: str) -> Iterator[Path]:
    path = stack.data_dir / RUNTIME_FILE
    running = RunningStack(
        pid=os.getpid(),
        base_url=base_url,
        bus=os.environ.get("EVENT_BUS", "eventbridge"),
        database_url=stack.database_url,
        aws_endpoint_url=stack.aws_endpoint_url,
        kafka_bootstrap_servers=stack.kafka_bootstrap_servers,
        mongodb_uri=os.environ.get("MONGODB_URI"),
    )
    path.touch()
    path.chmod(0o600)
    path.write_text(json.dumps(asdict(running), indent=2) + "\n")
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)


def running_stack(data_dir: Path) -> RunningStack:
    path = data_dir / RUNTIME_FILE
    if not path.exists():
        raise NotRunningError(f"no `cryptotalks dev` is running with --data-dir {data_dir}")
    stack = RunningStack(**json.loads(path.read_text()))
    try:
        os.kill(stack.pid, 0)
    except ProcessLookupError:
        raise NotRunningError(f"`cryptotalks dev` (pid {stack.pid}) stopped without removing {path}") from None
    return stack


def attach(data_dir: Path) -> RunningStack:
    """The running stack, with this process's environment pointed at it."""
    stack = running_stack(data_dir)
    configure_environment(data_dir, stack.base_url)
    stack.use()
    return stack
