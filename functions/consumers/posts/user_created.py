"""user_created → posts: the author's username, and when the account was made, in the posts context's own projection."""

from cryptotalks.events.catalogue import UserCreated
from cryptotalks.events.consumer import Subscription
from cryptotalks.events.envelope import Envelope
from cryptotalks.posts import logic

subscription = Subscription((UserCreated,), "posts", "Record the new account's username for its posts")


@subscription.consumer
def add_author(event: UserCreated, envelope: Envelope) -> None:
    logic.add_author(event, envelope.occurredAt)


handler = subscription.lambda_handler
