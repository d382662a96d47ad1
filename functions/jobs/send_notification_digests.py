"""Mail the notifications waiting for a digest: one email per user, at most one per subject (a post) an hour."""

import time
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from cryptotalks.jobs import Job
from cryptotalks.notices import logic
from cryptotalks.observability import logger, metrics
from cryptotalks.uses import Uses

job = Job(
    "Mail the notification digests that are due", schedule="rate(15 minutes)", context="notices", uses=(Uses.SENDGRID,)
)

SPARE_SECONDS = 10  # left of the function's time when the job starts no more digests


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    until = time.monotonic() + context.get_remaining_time_in_millis() / 1000 - SPARE_SECONDS
    sent = logic.send_digests(until=until)
    metrics.add_metric(name="NotificationDigestsSent", unit="Count", value=sent)
    return {"sent": sent}
