"""Refresh coins and market stats from Coinranking every hour (the bundled snapshot when no key is configured)."""

from datetime import timedelta
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from cryptotalks.crypto import sync
from cryptotalks.jobs import Job
from cryptotalks.observability import logger, metrics
from cryptotalks.uses import Uses

job = Job("Refresh coins and market stats", schedule="rate(1 hour)", context="crypto", uses=(Uses.COINRANKING,))


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Skips when the last sync is younger than the schedule's interval, unless the event says `"force": true`."""
    interval = timedelta(seconds=job.interval_seconds or 3600)
    return sync.sync_coins(interval, force=event.get("force") is True).as_dict()
