"""update_user_security_settings → users: a security notice to the account's owner."""

from cryptotalks.events.consumer import Subscription
from cryptotalks.events.envelope import Envelope
from cryptotalks.users import security
from cryptotalks.users.events import UpdateUserSecuritySettings

subscription = Subscription(
    (UpdateUserSecuritySettings,), "users", "Email a notice of the security change", calls_out=True
)


@subscription.consumer
def send_security_notice(event: UpdateUserSecuritySettings, envelope: Envelope) -> None:
    security.send_security_notice(event, envelope.occurredAt)


handler = subscription.lambda_handler
