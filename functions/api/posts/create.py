"""POST /api/posts/create"""

from cryptotalks import errors
from cryptotalks.http import Auth, Endpoint, SignedIn
from cryptotalks.posts import logic
from cryptotalks.posts.models import CreatePostRequest, PostSaved

endpoint = Endpoint(
    "POST",
    "/api/posts/create",
    "Write a post; answers its id and slug",
    auth=Auth.SIGNED_IN,
    status=201,
    errors=(errors.TAG_LENGTH, errors.USER_NOT_FOUND, errors.TOO_MANY_REQUESTS),
    context="posts",
)


@endpoint.route
def create_post(body: CreatePostRequest, caller: SignedIn) -> PostSaved:
    """The slug comes from the title; a short suffix keeps it unique when another post has the same title. Accounts
    younger than a day write a few posts and comments an hour (`too-many-requests`), and their posts with links
    wait for a moderator (`moderation.state` `held`)."""
    return logic.create_post(caller.user_id, body)


handler = endpoint.lambda_handler
