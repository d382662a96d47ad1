"""POST /api/user/close-account"""

from aws_lambda_powertools.event_handler import Response, content_types

from cryptotalks import errors
from cryptotalks.auth import logic as auth
from cryptotalks.auth.cookies import cleared_refresh_cookie
from cryptotalks.http import Auth, Endpoint, MessageResponse, SignedIn, success_or
from cryptotalks.users import security
from cryptotalks.users.models import CloseAccountRequest

endpoint = Endpoint(
    "POST",
    "/api/user/close-account",
    "Close the account (password and step-up): the user, settings and sessions go at once, posts and favourites next",
    auth=Auth.SIGNED_IN,
    status=201,
    errors=(
        errors.WRONG_CREDENTIALS,
        errors.WRONG_2FA,
        errors.PHONE_CODE_ERROR,
        errors.TOO_MANY_ATTEMPTS,
        errors.TOO_MANY_REQUESTS,
    ),
    context="users",
    one_transaction=True,
)


@endpoint.route
def close_account(body: CloseAccountRequest, caller: SignedIn) -> Response[MessageResponse]:
    waiting = security.close_account(caller.user_id, body)
    if waiting is None:
        auth.end_all_sessions(caller.user_id)  # the user and its sessions go together
    # Once closed, the browser forgets the refresh token too.
    cookies = [] if waiting else [cleared_refresh_cookie()]
    return Response(201, content_types.APPLICATION_JSON, success_or(waiting), cookies=cookies)


handler = endpoint.lambda_handler
