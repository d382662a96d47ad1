"""POST /api/user/upload-photo"""

from cryptotalks import errors
from cryptotalks.http import Auth, Endpoint, SignedIn
from cryptotalks.users import profile
from cryptotalks.users.models import PhotoUploaded, UploadPhotoRequest
from cryptotalks.uses import Uses

endpoint = Endpoint(
    "POST",
    "/api/user/upload-photo",
    "Upload the profile picture: a PNG, JPEG or WebP image of at most 2 MB",
    auth=Auth.SIGNED_IN,
    status=201,
    errors=(errors.NOT_AN_IMAGE, errors.USER_NOT_FOUND),
    context="users",
    uses=(Uses.AVATARS_BUCKET,),
)


@endpoint.route
def upload_photo(body: UploadPhotoRequest, caller: SignedIn) -> PhotoUploaded:
    return PhotoUploaded(url=profile.upload_photo(caller.user_id, body.photo))


handler = endpoint.lambda_handler
