"""Apply the database migrations (run on deploy, and by the local runtime on start)."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from cryptotalks import db, migrations
from cryptotalks.jobs import Job
from cryptotalks.observability import logger

job = Job("Apply database migrations", schedule=None)


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    with db.connect() as conn:
        applied = migrations.apply_all(conn)
    names = [f"{m.context}/{m.version}" for m in applied]
    logger.info("migrations applied", extra={"applied": names})
    return {"applied": names}
