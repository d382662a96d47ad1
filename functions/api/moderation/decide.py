"""POST /api/moderation/decide"""

from cryptotalks import errors
from cryptotalks.http import Auth, Endpoint, SignedIn
from cryptotalks.posts import moderation
from cryptotalks.posts.models import Decided, DecideRequest
from cryptotalks.users import roles
from cryptotalks.users.rules import Role

endpoint = Endpoint(
    "POST",
    "/api/moderation/decide",
    "Dismiss the reports of a post or a comment, hide it or restore it; approve or reject a held one (moderators only)",
    auth=Auth.SIGNED_IN,
    status=201,
    errors=(errors.MODERATORS_ONLY, errors.USER_NOT_FOUND, errors.POST_NOT_FOUND, errors.COMMENT_DOESNT_EXIST),
    context="posts",
    one_transaction=True,
)


@endpoint.route
def decide(body: DecideRequest, caller: SignedIn) -> Decided:
    """The caller's role is read from the database (users), whatever the token claims. A hidden item is seen by its
    author (marked, with the note as the reason) and moderators only; deleting stays the author's."""
    roles.require(caller.user_id, Role.MODERATOR)
    return moderation.decide(caller.user_id, body)


handler = endpoint.lambda_handler
