"""POST /api/posts/report"""

from cryptotalks import errors
from cryptotalks.http import SUCCESS, Auth, Endpoint, MessageResponse, SignedIn
from cryptotalks.posts import moderation
from cryptotalks.posts.models import ReportRequest
from cryptotalks.users import roles
from cryptotalks.users.rules import Role

endpoint = Endpoint(
    "POST",
    "/api/posts/report",
    "Report a post or a comment to the moderators",
    auth=Auth.SIGNED_IN,
    status=201,
    errors=(
        errors.POST_NOT_FOUND,
        errors.COMMENT_DOESNT_EXIST,
        errors.OWN_ITEM,
        errors.ITEM_NOT_PUBLIC,
        errors.ALREADY_REPORTED,
        errors.USER_NOT_FOUND,
    ),
    context="posts",
)


@endpoint.route
def report(body: ReportRequest, caller: SignedIn) -> MessageResponse:
    """One open report per member per item (`already-reported` until a moderator decides); not of one's own items
    (`own-item`), and only of public ones. Reports from several members (3 by default) hide the item until a moderator
    decides; reports from accounts younger than a day are shown to moderators but do not count towards that."""
    moderation.report(caller.user_id, body, lambda: roles.has_role(caller.user_id, Role.MODERATOR))
    return SUCCESS


handler = endpoint.lambda_handler
