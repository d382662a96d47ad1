"""price_alerts_fired → notices: a notification per alert, and for all of one user's alerts of a sync one email and
(where chosen, with a verified phone) one SMS."""

from cryptotalks.crypto.events import PriceAlertsFired
from cryptotalks.events.consumer import Subscription
from cryptotalks.events.envelope import Envelope
from cryptotalks.notices import logic
from cryptotalks.uses import Uses

subscription = Subscription(
    (PriceAlertsFired,),
    "notices",
    "Notify, mail and text the owner of fired price alerts",
    uses=(Uses.SENDGRID, Uses.TWILIO),
)


@subscription.consumer
def alerts_fired(event: PriceAlertsFired, envelope: Envelope) -> None:
    logic.alerts_fired(event)


handler = subscription.lambda_handler
