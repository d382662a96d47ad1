"""Keep the newest posts' search documents (the first place a search looks) to the newest posts."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from cryptotalks.jobs import Job
from cryptotalks.observability import logger, metrics
from cryptotalks.posts import logic

job = Job(
    "Move the newest posts' search documents on to the newest posts, dropping those that fell behind",
    schedule="rate(1 hour)",
    context="posts",
)


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    dropped = logic.refresh_recent_search()
    metrics.add_metric(name="RecentSearchDocumentsDropped", unit="Count", value=dropped)
    return {"dropped": dropped}
