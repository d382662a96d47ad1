"""POST /api/notifications/unsubscribe"""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body, Query

from cryptotalks import errors
from cryptotalks.errors import ApiError
from cryptotalks.http import Endpoint
from cryptotalks.notices import logic
from cryptotalks.notices.models import Unsubscribed, UnsubscribeRequest

endpoint = Endpoint(
    "POST",
    "/api/notifications/unsubscribe",
    "Stop the emails of one kind, signed out: from the web client's unsubscribe page, or a mail client's one click",
    status=201,
    errors=(errors.INVALID_TOKEN, errors.TOKEN_EXPIRED, errors.USER_NOT_FOUND),
    context="notices",
    one_click=True,
)


@endpoint.route
def unsubscribe(
    body: Annotated[UnsubscribeRequest | None, Body()] = None,
    token: Annotated[
        str | None, Query(min_length=1, max_length=2000, description="RFC 8058's one click: the email's token")
    ] = None,
) -> Unsubscribed:
    """The token of an email's link in the body (`{"token"}`), or, as a mail client's one-click unsubscribe
    (RFC 8058: the `List-Unsubscribe` header's URL), in the query with the form body
    `List-Unsubscribe=One-Click`."""
    given = body.token if body else token
    if given is None:
        raise ApiError(errors.VALIDATION_ERROR)
    return logic.unsubscribe(given)


handler = endpoint.lambda_handler
