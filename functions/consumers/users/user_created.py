"""user_created → users: settings row, confirmation link, confirmation email."""

from cryptotalks.events.catalogue import UserCreated
from cryptotalks.events.consumer import Subscription
from cryptotalks.events.envelope import Envelope
from cryptotalks.users import logic

subscription = Subscription(
    (UserCreated,), "users", "Create the settings and email the confirmation link", calls_out=True
)


@subscription.consumer
def send_registration_confirmation(event: UserCreated, envelope: Envelope) -> None:
    logic.send_registration_confirmation(event)


handler = subscription.lambda_handler
