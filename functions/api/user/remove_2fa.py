"""POST /api/user/remove-2fa"""

from cryptotalks import errors
from cryptotalks.http import SUCCESS, Auth, Endpoint, MessageResponse, SignedIn
from cryptotalks.users import security
from cryptotalks.users.models import RemoveTwoFaRequest

endpoint = Endpoint(
    "POST",
    "/api/user/remove-2fa",
    "Turn authenticator 2FA off with a valid code",
    auth=Auth.SIGNED_IN,
    status=201,
    errors=(errors.BAD_REQUEST, errors.WRONG_2FA, errors.TOO_MANY_ATTEMPTS),
    context="users",
)


@endpoint.route
def remove_two_fa(body: RemoveTwoFaRequest, caller: SignedIn) -> MessageResponse:
    security.remove_two_fa(caller.user_id, body.twoFaCode)
    return SUCCESS


handler = endpoint.lambda_handler
