"""POST /api/posts/report"""

from cryptotalks import errors
from cryptotalks.http import SUCCESS, Auth, Endpoint, MessageResponse, SignedIn
from cryptotalks.posts import moderation
from cryptotalks.posts.models import ReportRequest

endpoint = Endpoint(
    "POST",
    "/api/posts/report",
    "Report a post or a comment to the moderators",
    auth=Auth.SIGNED_IN,
    status=201,
    errors=(errors.POST_NOT_FOUND, errors.COMMENT_DOESNT_EXIST, errors.ALREADY_REPORTED, errors.USER_NOT_FOUND),
    context="posts",
)


@endpoint.route
def report(body: ReportRequest, caller: SignedIn) -> MessageResponse:
    """One open report per member per item (`already-reported` until a moderator decides). Reports from several
    members (3 by default) hide the item until a moderator decides."""
    moderation.report(caller.user_id, body)
    return SUCCESS


handler = endpoint.lambda_handler
