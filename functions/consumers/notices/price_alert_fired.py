"""price_alert_fired → notices: a notification, an email and (where chosen, with a verified phone) an SMS."""

from cryptotalks.crypto.events import PriceAlertFired
from cryptotalks.events.consumer import Subscription
from cryptotalks.events.envelope import Envelope
from cryptotalks.notices import logic
from cryptotalks.uses import Uses

subscription = Subscription(
    (PriceAlertFired,),
    "notices",
    "Notify, mail and text the owner of a fired price alert",
    uses=(Uses.SENDGRID, Uses.TWILIO),
)


@subscription.consumer
def alert_fired(event: PriceAlertFired, envelope: Envelope) -> None:
    logic.alert_fired(event)


handler = subscription.lambda_handler
