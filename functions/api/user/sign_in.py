"""POST /api/user/sign-in"""

from aws_lambda_powertools.event_handler import Response, content_types

from cryptotalks import errors
from cryptotalks.auth import logic as auth
from cryptotalks.auth.cookies import refresh_cookie
from cryptotalks.auth.models import AccessTokenResponse
from cryptotalks.http import Endpoint, MessageResponse, success_or
from cryptotalks.users import logic as users
from cryptotalks.users.models import SignInRequest
from cryptotalks.users.second_factor import StepUp

endpoint = Endpoint(
    "POST",
    "/api/user/sign-in",
    "Sign in: answers the access token and sets the refresh cookie `_rt`, or asks for the second factor",
    status=201,
    errors=(
        errors.WRONG_CREDENTIALS,
        errors.ACCOUNT_NOT_CONFIRMED,
        errors.WRONG_2FA,
        errors.PHONE_CODE_ERROR,
        errors.TOO_MANY_ATTEMPTS,
        errors.TOO_MANY_REQUESTS,
    ),
    no_store=True,
    guards_credentials=True,
    context="users",
    one_transaction=True,
)


@endpoint.route
def sign_in(body: SignInRequest) -> Response[AccessTokenResponse | MessageResponse]:
    signed_in = users.sign_in(body)
    if isinstance(signed_in, StepUp):
        return Response(201, content_types.APPLICATION_JSON, success_or(signed_in))
    issued = auth.open_session(signed_in.id, signed_in.role)
    return Response(
        201,
        content_types.APPLICATION_JSON,
        AccessTokenResponse(access_token=issued.access_token),
        cookies=[refresh_cookie(issued.refresh_token)],
    )


handler = endpoint.lambda_handler
