"""Send the events whose publishing failed after their transaction committed."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext
from cryptotalks.events import outbox
from cryptotalks.jobs import Job
from cryptotalks.observability import logger, metrics

job = Job("Re-send unsent events from the outbox", schedule="rate(1 minute)")


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    sent = outbox.relay()
    metrics.add_metric(name="OutboxRelayed", unit="Count", value=sent)
    return {"sent": sent}
