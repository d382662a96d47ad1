"""What the EventBridge schedules do: run every scheduled job at start, then at its rate."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from cryptotalks.jobs import Job
from cryptotalks.observability import logger
from cryptotalks_dev.lambda_context import ACCOUNT_ID, REGION, LocalLambdaContext
from functions import registry


def scheduled_event(declared: registry.Declared[Job]) -> dict[str, Any]:
    """The event an EventBridge schedule rule sends to its target."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": ACCOUNT_ID,
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": REGION,
        "resources": [f"arn:aws:events:{REGION}:{ACCOUNT_ID}:rule/cryptotalks-{declared.function_id}"],
        "detail": {},
    }


class JobScheduler(threading.Thread):
    def __init__(self, jobs: list[registry.Declared[Job]], stop: threading.Event) -> None:
        super().__init__(name="scheduler", daemon=True)
        self.jobs = [j for j in jobs if j.declaration.schedule]
        self.stop = stop

    def run(self) -> None:
        due = dict.fromkeys((j.function_id for j in self.jobs), 0.0)
        while not self.stop.is_set():
            for declared in self.jobs:
                if time.monotonic() >= due[declared.function_id]:
                    self.run_job(declared)
                    interval = declared.declaration.interval_seconds or 0
                    due[declared.function_id] = time.monotonic() + interval
            self.stop.wait(1)

    def run_job(self, declared: registry.Declared[Job]) -> None:
        try:
            declared.handler(scheduled_event(declared), LocalLambdaContext(declared.function_id, timeout_seconds=900))
        except Exception:
            logger.exception("scheduled job failed", extra={"job": declared.function_id})
