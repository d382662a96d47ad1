"""GET /api/user/get-settings"""

from cryptotalks import errors
from cryptotalks.http import Auth, Endpoint, SignedIn
from cryptotalks.users import profile
from cryptotalks.users.models import UserSettings
from cryptotalks.uses import Uses

endpoint = Endpoint(
    "GET",
    "/api/user/get-settings",
    "The signed-in user's security and personal settings",
    auth=Auth.SIGNED_IN,
    errors=(errors.USER_NOT_FOUND,),
    no_store=True,
    context="users",
    uses=(Uses.AVATARS_BUCKET,),
)


@endpoint.route
def get_settings(caller: SignedIn) -> UserSettings:
    return profile.user_settings(caller.user_id)


handler = endpoint.lambda_handler
