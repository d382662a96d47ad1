"""POST /api/user/set-phone"""

from cryptotalks import errors
from cryptotalks.http import Auth, Endpoint, MessageResponse, SignedIn, success_or
from cryptotalks.users import security
from cryptotalks.users.models import SetPhoneRequest

endpoint = Endpoint(
    "POST",
    "/api/user/set-phone",
    "Without a code: an SMS code goes to the number (`code-sent`); with it: saved",
    auth=Auth.SIGNED_IN,
    status=201,
    errors=(errors.BAD_REQUEST, errors.PHONE_CODE_ERROR, errors.TOO_MANY_ATTEMPTS, errors.TOO_MANY_REQUESTS),
    context="users",
)


@endpoint.route
def set_phone(body: SetPhoneRequest, caller: SignedIn) -> MessageResponse:
    return success_or(security.set_phone(caller.user_id, body))


handler = endpoint.lambda_handler
