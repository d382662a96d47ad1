"""vote_milestone_reached → notices: the author of the post or comment is told (once per milestone)."""

from cryptotalks.events.consumer import Subscription
from cryptotalks.events.envelope import Envelope
from cryptotalks.notices import logic
from cryptotalks.posts.events import VoteMilestoneReached
from cryptotalks.uses import Uses

subscription = Subscription(
    (VoteMilestoneReached,), "notices", "Notify the author of a rating milestone", uses=(Uses.SENDGRID, Uses.TWILIO)
)


@subscription.consumer
def milestone_reached(event: VoteMilestoneReached, envelope: Envelope) -> None:
    logic.milestone_reached(event)


handler = subscription.lambda_handler
