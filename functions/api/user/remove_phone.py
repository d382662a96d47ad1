"""POST /api/user/remove-phone"""

from cryptotalks import errors
from cryptotalks.http import Auth, Endpoint, MessageResponse, SignedIn, success_or
from cryptotalks.users import security
from cryptotalks.users.models import RemovePhoneRequest

endpoint = Endpoint(
    "POST",
    "/api/user/remove-phone",
    "Without a code: an SMS code goes to the phone (`code-sent`); with it: removed",
    auth=Auth.SIGNED_IN,
    status=201,
    errors=(errors.BAD_REQUEST, errors.PHONE_CODE_ERROR, errors.TOO_MANY_ATTEMPTS, errors.TOO_MANY_REQUESTS),
    context="users",
)


@endpoint.route
def remove_phone(body: RemovePhoneRequest, caller: SignedIn) -> MessageResponse:
    return success_or(security.remove_phone(caller.user_id, body.code))


handler = endpoint.lambda_handler
