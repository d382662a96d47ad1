"""GET /api/moderation/queue/{page}/{pageSize}"""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from cryptotalks import errors
from cryptotalks.http import Auth, Endpoint, SignedIn
from cryptotalks.posts import moderation
from cryptotalks.posts.models import MAX_PAGE, MAX_PAGE_SIZE, ModerationQueue, QueueOrder, QueueState
from cryptotalks.users import roles
from cryptotalks.users.rules import Role

endpoint = Endpoint(
    "GET",
    "/api/moderation/queue/{page}/{pageSize}",
    "The moderation queue: reported items with their reports and held items, or the hidden items (moderators only)",
    auth=Auth.SIGNED_IN,
    errors=(errors.MODERATORS_ONLY, errors.USER_NOT_FOUND),
    context="posts",
    one_transaction=True,
)


@endpoint.route
def moderation_queue(
    page: Annotated[int, Path(ge=0, le=MAX_PAGE, description="Zero-based")],
    pageSize: Annotated[int, Path(ge=1, le=MAX_PAGE_SIZE)],
    caller: SignedIn,
    order: Annotated[QueueOrder, Query(description="`newest` activity first, or `most-reported` first")] = "newest",
    state: Annotated[
        QueueState,
        Query(description="`open`: reported and held items, waiting for a decision; `hidden`: the items hidden now"),
    ] = "open",
) -> ModerationQueue:
    """The caller's role is read from the database (users), whatever the token claims. A held item is approved with
    `restore` and rejected with `hide`; a hidden one is found with `state=hidden` and restored."""
    roles.require(caller.user_id, Role.MODERATOR)
    return moderation.queue(page, pageSize, order, state)


handler = endpoint.lambda_handler
