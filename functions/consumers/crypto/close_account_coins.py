"""close_account_coins → crypto: the closed account's favourites, list and name are deleted."""

from cryptotalks.crypto import logic
from cryptotalks.events.consumer import Subscription
from cryptotalks.events.envelope import Envelope
from cryptotalks.users.events import CloseAccountCoins

subscription = Subscription((CloseAccountCoins,), "crypto", "Delete the closed account's favourites")


@subscription.consumer
def close_account(event: CloseAccountCoins, envelope: Envelope) -> None:
    logic.close_account(event)


handler = subscription.lambda_handler
