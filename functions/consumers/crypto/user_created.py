"""user_created → crypto: who is who, so favourites can be found by username."""

from cryptotalks.crypto import logic
from cryptotalks.events.catalogue import UserCreated
from cryptotalks.events.consumer import Subscription
from cryptotalks.events.envelope import Envelope

subscription = Subscription((UserCreated,), "crypto", "Keep the user's name in the crypto context's projection")


@subscription.consumer
def record_user(event: UserCreated, envelope: Envelope) -> None:
    logic.record_user(event)


handler = subscription.lambda_handler
