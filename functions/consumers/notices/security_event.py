"""update_user_security_settings, signed_in_from_new_device → notices: the account's owner is told in the app (and
mailed of a new device; the users context mails the other changes)."""

from cryptotalks.events.consumer import Subscription
from cryptotalks.events.envelope import Envelope
from cryptotalks.notices import logic
from cryptotalks.users.events import SignedInFromNewDevice, UpdateUserSecuritySettings
from cryptotalks.uses import Uses

SecurityFact = UpdateUserSecuritySettings | SignedInFromNewDevice

subscription: Subscription[SecurityFact] = Subscription(
    (UpdateUserSecuritySettings, SignedInFromNewDevice),
    "notices",
    "Notify the owner of a security event",
    uses=(Uses.SENDGRID, Uses.TWILIO),
)


@subscription.consumer
def security_event(event: SecurityFact, envelope: Envelope) -> None:
    logic.security_event(event, envelope.id)


handler = subscription.lambda_handler
