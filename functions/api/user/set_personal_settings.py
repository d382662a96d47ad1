"""PATCH /api/user/set-personal-settings"""

from cryptotalks import errors
from cryptotalks.http import SUCCESS, Auth, Endpoint, MessageResponse, SignedIn
from cryptotalks.users import profile
from cryptotalks.users.models import PersonalSettingsRequest

endpoint = Endpoint(
    "PATCH",
    "/api/user/set-personal-settings",
    "Change profile fields; those left out stay as they are",
    auth=Auth.SIGNED_IN,
    errors=(errors.USERNAME_TAKEN, errors.USER_NOT_FOUND),
    context="users",
)


@endpoint.route
def set_personal_settings(body: PersonalSettingsRequest, caller: SignedIn) -> MessageResponse:
    profile.update_personal_settings(caller.user_id, body)
    return SUCCESS


handler = endpoint.lambda_handler
