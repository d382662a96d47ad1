"""GET /api/notifications/unsubscribe?token=..."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from cryptotalks import errors
from cryptotalks.http import Endpoint
from cryptotalks.notices import logic
from cryptotalks.notices.models import Unsubscribed

endpoint = Endpoint(
    "GET",
    "/api/notifications/unsubscribe",
    "Stop the emails of one kind: the one-click link of every email but security notices, signed out",
    errors=(errors.INVALID_TOKEN, errors.TOKEN_EXPIRED, errors.USER_NOT_FOUND),
    context="notices",
)


@endpoint.route
def unsubscribe(
    token: Annotated[str, Query(min_length=1, max_length=2000, description="The link's signed token")],
) -> Unsubscribed:
    return logic.unsubscribe(token)


handler = endpoint.lambda_handler
