"""crypto_for_user_created → crypto: the user's empty favourites list."""

from cryptotalks.crypto import logic
from cryptotalks.events.catalogue import CryptoForUserCreated
from cryptotalks.events.consumer import Subscription
from cryptotalks.events.envelope import Envelope

subscription = Subscription((CryptoForUserCreated,), "crypto", "Create the user's empty favourites list")


@subscription.consumer
def create_favorite_list(event: CryptoForUserCreated, envelope: Envelope) -> None:
    logic.create_favorite_list(event)


handler = subscription.lambda_handler
