"""GET /api/user/get/{username}"""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path

from cryptotalks import errors
from cryptotalks.http import Endpoint
from cryptotalks.users import profile
from cryptotalks.users.models import USERNAME_PATTERN, PublicProfileResponse
from cryptotalks.uses import Uses

endpoint = Endpoint(
    "GET",
    "/api/user/get/{username}",
    "A user's public profile",
    errors=(errors.USER_NOT_FOUND,),
    context="users",
    uses=(Uses.AVATARS_BUCKET,),
)


@endpoint.route
def get_user(username: Annotated[str, Path(pattern=USERNAME_PATTERN)]) -> PublicProfileResponse:
    return PublicProfileResponse(data=profile.public_profile(username))


handler = endpoint.lambda_handler
