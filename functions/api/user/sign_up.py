"""POST /api/user/sign-up"""

from cryptotalks import errors
from cryptotalks.http import SUCCESS, Endpoint, MessageResponse
from cryptotalks.users import logic
from cryptotalks.users.models import SignUpRequest

endpoint = Endpoint(
    "POST",
    "/api/user/sign-up",
    "Create an account; a confirmation link is emailed",
    status=201,
    errors=(errors.USER_ALREADY_EXISTS, errors.TAC_NOT_ACCEPTED),
    context="users",
)


@endpoint.route
def sign_up(body: SignUpRequest) -> MessageResponse:
    logic.sign_up(body)
    return SUCCESS


handler = endpoint.lambda_handler
