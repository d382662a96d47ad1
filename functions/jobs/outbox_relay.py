"""Send the events whose publishing failed after their transaction committed; forget those sent a week ago.

Metrics (namespace Cryptotalks, service `platform`): OutboxRelayed, the events this run sent; OutboxAgeSeconds,
how long the oldest event still unsent has waited after it (the dashboard graphs it, an alarm watches it)."""

import time
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from cryptotalks.jobs import Job
from cryptotalks.messaging import outbox
from cryptotalks.observability import logger, metrics

job = Job("Re-send unsent events from the outbox", schedule="rate(1 minute)")

RELAYED_METRIC = "OutboxRelayed"
AGE_METRIC = "OutboxAgeSeconds"
SPARE_SECONDS = 10  # left of the function's time when the relay stops starting batches


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    until = time.monotonic() + context.get_remaining_time_in_millis() / 1000 - SPARE_SECONDS
    sent = outbox.relay(until=until)
    pruned = outbox.prune()
    metrics.add_metric(name=RELAYED_METRIC, unit="Count", value=sent)
    metrics.add_metric(name=AGE_METRIC, unit="Seconds", value=outbox.oldest_unsent_age_seconds())
    return {"sent": sent, "pruned": pruned}
