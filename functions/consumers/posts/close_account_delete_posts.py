"""close_account_delete_posts → posts: the closed account's posts go; its comments elsewhere show as deleted."""

from cryptotalks.events.consumer import Subscription
from cryptotalks.events.envelope import Envelope
from cryptotalks.posts import logic
from cryptotalks.users.events import CloseAccountDeletePosts

subscription = Subscription(
    (CloseAccountDeletePosts,), "posts", "Delete the closed account's posts, comments on them and votes"
)


@subscription.consumer
def delete_posts_of_closed_account(event: CloseAccountDeletePosts, envelope: Envelope) -> None:
    logic.close_account(event.userId)


handler = subscription.lambda_handler
