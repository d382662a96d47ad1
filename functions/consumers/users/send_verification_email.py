"""send_verification_email → users: the one-time password reset code, mailed."""

from cryptotalks.events.consumer import Subscription
from cryptotalks.events.envelope import Envelope
from cryptotalks.users import security
from cryptotalks.users.events import SendVerificationEmail

subscription = Subscription((SendVerificationEmail,), "users", "Email a one-time password reset code", calls_out=True)


@subscription.consumer
def send_reset_code(event: SendVerificationEmail, envelope: Envelope) -> None:
    security.send_reset_code(event)


handler = subscription.lambda_handler
