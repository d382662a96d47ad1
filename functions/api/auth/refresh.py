"""GET /api/auth/refresh"""

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.request import Request

from cryptotalks import errors
from cryptotalks.auth import logic as auth
from cryptotalks.auth.cookies import REFRESH_COOKIE, refresh_cookie
from cryptotalks.auth.models import RefreshResponse
from cryptotalks.http import Endpoint
from cryptotalks.http.request import cookie
from cryptotalks.users import profile, roles

endpoint = Endpoint(
    "GET",
    "/api/auth/refresh",
    "Rotate the tokens with the refresh cookie `_rt` alone",
    errors=(errors.INVALID_TOKEN, errors.TOKEN_EXPIRED, errors.USER_NOT_FOUND),
    no_store=True,
    context="auth",
)


# Not one transaction: a replayed refresh token's revocation of every session commits before the refusal.
@endpoint.route
def refresh_tokens(request: Request) -> Response[RefreshResponse]:
    issued = auth.refresh(cookie(request, REFRESH_COOKIE), roles.role_of)
    return Response(
        200,
        content_types.APPLICATION_JSON,
        RefreshResponse(access_token=issued.access_token, user=profile.own_profile(issued.user_id)),
        cookies=[refresh_cookie(issued.refresh_token)],
    )


handler = endpoint.lambda_handler
