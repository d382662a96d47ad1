"""update_coin → crypto: the coin's description and links from CoinGecko, within its free tier's rate."""

from cryptotalks.crypto import logic
from cryptotalks.crypto.events import UpdateCoin
from cryptotalks.events.consumer import Subscription
from cryptotalks.events.envelope import Envelope

subscription = Subscription((UpdateCoin,), "crypto", "Fetch the coin's description from CoinGecko", calls_out=True)


@subscription.consumer
def describe_coin(event: UpdateCoin, envelope: Envelope) -> None:
    logic.describe_coin(event)


handler = subscription.lambda_handler
