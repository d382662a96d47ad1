"""POST /api/user/set-2fa"""

from cryptotalks import errors
from cryptotalks.http import SUCCESS, Auth, Endpoint, MessageResponse, SignedIn
from cryptotalks.users import security
from cryptotalks.users.models import SetTwoFaRequest, TwoFaSetup

endpoint = Endpoint(
    "POST",
    "/api/user/set-2fa",
    "Without a code: a new authenticator secret (with its otpauth URI and QR code); with it and a code: 2FA on",
    auth=Auth.SIGNED_IN,
    status=201,
    errors=(errors.BAD_REQUEST, errors.WRONG_2FA, errors.TOO_MANY_ATTEMPTS),
    no_store=True,
    context="users",
)


@endpoint.route
def set_two_fa(body: SetTwoFaRequest, caller: SignedIn) -> TwoFaSetup | MessageResponse:
    return security.set_two_fa(caller.user_id, body) or SUCCESS


handler = endpoint.lambda_handler
