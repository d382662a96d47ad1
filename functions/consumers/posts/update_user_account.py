"""update_user_account → posts: a renamed author's posts, comments and votes show the new name."""

from cryptotalks.events.consumer import Subscription
from cryptotalks.events.envelope import Envelope
from cryptotalks.posts import logic
from cryptotalks.users.events import UpdateUserAccount

subscription = Subscription((UpdateUserAccount,), "posts", "Keep the author's current name")


@subscription.consumer
def rename_author(event: UpdateUserAccount, envelope: Envelope) -> None:
    logic.rename_author(event)


handler = subscription.lambda_handler
