"""Mail the notifications waiting for a digest: one email per user, at most one per subject (a post) an hour."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from cryptotalks.jobs import Job
from cryptotalks.notices import logic
from cryptotalks.observability import logger, metrics
from cryptotalks.uses import Uses

job = Job(
    "Mail the notification digests that are due", schedule="rate(15 minutes)", context="notices", uses=(Uses.SENDGRID,)
)


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    sent = logic.send_digests()
    metrics.add_metric(name="NotificationDigestsSent", unit="Count", value=sent)
    return {"sent": sent}
