"""GET /api/user/logout"""

from aws_lambda_powertools.event_handler import Response, content_types

from cryptotalks.auth import logic
from cryptotalks.auth.cookies import cleared_refresh_cookie
from cryptotalks.http import SUCCESS, Auth, Endpoint, MessageResponse, SignedIn

endpoint = Endpoint("GET", "/api/user/logout", "End the current session", auth=Auth.SIGNED_IN, context="users")


@endpoint.route
def logout(caller: SignedIn) -> Response[MessageResponse]:
    logic.end_session(caller.session_id, caller.user_id)
    return Response(200, content_types.APPLICATION_JSON, SUCCESS, cookies=[cleared_refresh_cookie()])


handler = endpoint.lambda_handler
