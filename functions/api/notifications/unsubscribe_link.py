"""GET /api/notifications/unsubscribe?token=..."""

from typing import Annotated
from urllib.parse import quote

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query

from cryptotalks.config import settings
from cryptotalks.http import Endpoint

endpoint = Endpoint(
    "GET",
    "/api/notifications/unsubscribe",
    "The unsubscribe link of emails sent before it led to the web client: a redirect to its page, nothing changed",
    status=303,
    context="notices",
)


@endpoint.route
def open_unsubscribe_link(
    token: Annotated[str, Query(min_length=1, max_length=2000, description="The link's signed token")],
) -> Response[None]:
    """A GET changes nothing (mail scanners open links): the page asks before it POSTs the token."""
    location = f"{settings().public_base_url}/unsubscribe?token={quote(token)}"
    return Response(303, headers={"Location": location})


handler = endpoint.lambda_handler
