"""user_created, update_user_account → crypto: who is who, so favourites can be found by username."""

from cryptotalks.crypto import logic
from cryptotalks.events.catalogue import UserCreated
from cryptotalks.events.consumer import Subscription
from cryptotalks.events.envelope import Envelope
from cryptotalks.users.events import UpdateUserAccount

subscription: Subscription[UserCreated | UpdateUserAccount] = Subscription(
    (UserCreated, UpdateUserAccount), "crypto", "Keep the user's current name in the crypto context's projection"
)


@subscription.consumer
def record_user(event: UserCreated | UpdateUserAccount, envelope: Envelope) -> None:
    logic.record_user(event)


handler = subscription.lambda_handler
