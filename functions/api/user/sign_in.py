"""POST /api/user/sign-in"""

from aws_lambda_powertools.event_handler import Response, content_types
from cryptotalks import errors
from cryptotalks.auth import logic as auth
from cryptotalks.auth.cookies import refresh_cookie
from cryptotalks.auth.models import AccessTokenResponse
from cryptotalks.http import Endpoint
from cryptotalks.users import logic as users
from cryptotalks.users.models import SignInRequest

endpoint = Endpoint(
    "POST",
    "/api/user/sign-in",
    "Sign in: answers the access token and sets the refresh cookie `_rt`",
    status=201,
    errors=(errors.WRONG_CREDENTIALS, errors.ACCOUNT_NOT_CONFIRMED),
)


@endpoint.route
def sign_in(body: SignInRequest) -> Response[AccessTokenResponse]:
    account = users.check_credentials(body.email, body.password)
    issued = auth.open_session(account.id)
    return Response(
        201,
        content_types.APPLICATION_JSON,
        AccessTokenResponse(access_token=issued.access_token),
        cookies=[refresh_cookie(issued.refresh_token)],
    )


handler = endpoint.lambda_handler
