"""change_email → users: the confirmation link, mailed to the new address."""

from cryptotalks.events.consumer import Subscription
from cryptotalks.events.envelope import Envelope
from cryptotalks.users import security
from cryptotalks.users.events import ChangeEmail

subscription = Subscription(
    (ChangeEmail,), "users", "Email the address-change confirmation link to the new address", calls_out=True
)


@subscription.consumer
def send_email_change_link(event: ChangeEmail, envelope: Envelope) -> None:
    security.send_email_change_link(event)


handler = subscription.lambda_handler
