"""log_auth_action, log_user_action, log_post_action → audit: one entry of the action log each."""

from cryptotalks.audit import logic
from cryptotalks.events.catalogue import ActionLog, LogAuthAction, LogUserAction
from cryptotalks.events.consumer import Subscription
from cryptotalks.events.envelope import Envelope
from cryptotalks.posts.events import LogPostAction

subscription = Subscription(
    (LogAuthAction, LogUserAction, LogPostAction), "audit", "Record the action in the action log"
)


@subscription.consumer
def record_action(event: ActionLog, envelope: Envelope) -> None:
    logic.record_action(event, envelope)


handler = subscription.lambda_handler
