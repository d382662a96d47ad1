"""POST /api/notifications/read"""

from cryptotalks.http import Auth, Endpoint, SignedIn
from cryptotalks.notices import logic
from cryptotalks.notices.models import MarkReadRequest, UnreadCount

endpoint = Endpoint(
    "POST",
    "/api/notifications/read",
    "Mark notifications read: those listed in `ids`, or all",
    auth=Auth.SIGNED_IN,
    status=201,
    context="notices",
)


@endpoint.route
def mark_notifications_read(body: MarkReadRequest, caller: SignedIn) -> UnreadCount:
    return UnreadCount(message="success", unread=logic.mark_read(caller.user_id, body))


handler = endpoint.lambda_handler
