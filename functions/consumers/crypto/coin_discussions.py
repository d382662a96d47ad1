"""coin_mentions_changed, delete_post → crypto: which posts discuss which coins (the list's 24-hour counts)."""

from cryptotalks.crypto import logic
from cryptotalks.events.consumer import Subscription
from cryptotalks.events.envelope import Envelope
from cryptotalks.posts.events import CoinMentionsChanged, DeletePost

DiscussionChanged = CoinMentionsChanged | DeletePost

subscription: Subscription[DiscussionChanged] = Subscription(
    (CoinMentionsChanged, DeletePost), "crypto", "Count the posts that discuss each coin"
)


@subscription.consumer
def record_discussion(event: DiscussionChanged, envelope: Envelope) -> None:
    logic.record_discussion(event)


handler = subscription.lambda_handler
