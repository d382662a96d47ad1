"""send_verification_mobile_code → users: a one-time code, texted."""

from cryptotalks.events.consumer import Subscription
from cryptotalks.events.envelope import Envelope
from cryptotalks.users import second_factor
from cryptotalks.users.events import SendVerificationMobileCode

subscription = Subscription(
    (SendVerificationMobileCode,), "users", "Text a one-time code for one action", calls_out=True
)


@subscription.consumer
def send_sms_code(event: SendVerificationMobileCode, envelope: Envelope) -> None:
    second_factor.send_sms_code(event)


handler = subscription.lambda_handler
