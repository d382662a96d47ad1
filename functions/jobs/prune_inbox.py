"""Forget the event ids the consumers processed longer ago than any event can be redelivered."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from cryptotalks.jobs import Job
from cryptotalks.messaging import inbox
from cryptotalks.observability import logger, metrics

job = Job("Prune processed event ids past the redelivery window from the consumers' inbox", schedule="rate(1 day)")


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    pruned = inbox.prune()
    metrics.add_metric(name="InboxPruned", unit="Count", value=pruned)
    return {"pruned": pruned}
