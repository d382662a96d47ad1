"""moderation_decided → notices: the author of a hidden or restored post or comment is told, with the note."""

from cryptotalks.events.consumer import Subscription
from cryptotalks.events.envelope import Envelope
from cryptotalks.notices import logic
from cryptotalks.posts.events import ModerationDecided
from cryptotalks.uses import Uses

subscription = Subscription(
    (ModerationDecided,), "notices", "Notify the author of a moderation decision", uses=(Uses.SENDGRID, Uses.TWILIO)
)


@subscription.consumer
def moderation_decided(event: ModerationDecided, envelope: Envelope) -> None:
    logic.moderation_decided(event, envelope.id)


handler = subscription.lambda_handler
