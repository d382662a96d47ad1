"""coin_prices_synced → crypto: every price alert against the new prices; price_alerts_fired for each user whose alerts
fire."""

from cryptotalks.crypto import logic
from cryptotalks.crypto.events import CoinPricesSynced
from cryptotalks.events.consumer import Subscription
from cryptotalks.events.envelope import Envelope

subscription = Subscription((CoinPricesSynced,), "crypto", "Evaluate the price alerts against the synced prices")


@subscription.consumer
def evaluate_price_alerts(event: CoinPricesSynced, envelope: Envelope) -> None:
    logic.evaluate_alerts(event)


handler = subscription.lambda_handler
