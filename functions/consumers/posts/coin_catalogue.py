"""coin_catalogue → posts: the posts context's own copy of the listed coins, which cashtags and tags resolve to."""

from cryptotalks.crypto.events import CoinCatalogue
from cryptotalks.events.consumer import Subscription
from cryptotalks.events.envelope import Envelope
from cryptotalks.posts import logic

subscription = Subscription((CoinCatalogue,), "posts", "Keep the coins that posts can mention")


@subscription.consumer
def record_coins(event: CoinCatalogue, envelope: Envelope) -> None:
    logic.record_coins(event)


handler = subscription.lambda_handler
