"""GET /api/notifications/{page}/{pageSize}"""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path

from cryptotalks.http import Auth, Endpoint, SignedIn
from cryptotalks.notices import logic
from cryptotalks.notices.models import MAX_PAGE, MAX_PAGE_SIZE, NotificationPage

endpoint = Endpoint(
    "GET",
    "/api/notifications/{page}/{pageSize}",
    "Your notifications, newest first, with how many are unread",
    auth=Auth.SIGNED_IN,
    context="notices",
    no_store=True,
)


@endpoint.route
def list_notifications(
    page: Annotated[int, Path(ge=0, le=MAX_PAGE, description="Page number, from 0")],
    pageSize: Annotated[int, Path(ge=1, le=MAX_PAGE_SIZE)],
    caller: SignedIn,
) -> NotificationPage:
    return logic.page(caller.user_id, page, pageSize)


handler = endpoint.lambda_handler
