"""DELETE /api/crypto/alerts/{id}"""

import uuid
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path

from cryptotalks import errors
from cryptotalks.crypto import logic
from cryptotalks.http import SUCCESS, Auth, Endpoint, MessageResponse, SignedIn

endpoint = Endpoint(
    "DELETE",
    "/api/crypto/alerts/{id}",
    "Delete one of your price alerts",
    auth=Auth.SIGNED_IN,
    errors=(errors.ALERT_NOT_FOUND,),
    context="crypto",
)


@endpoint.route
def delete_price_alert(id: Annotated[uuid.UUID, Path()], caller: SignedIn) -> MessageResponse:
    logic.delete_alert(caller.user_id, id)
    return SUCCESS


handler = endpoint.lambda_handler
