"""close_user_account → notices: the closed account's notifications, choices and projection go."""

from cryptotalks.events.consumer import Subscription
from cryptotalks.events.envelope import Envelope
from cryptotalks.notices import logic
from cryptotalks.users.events import CloseUserAccount

subscription = Subscription((CloseUserAccount,), "notices", "Delete the closed account's notifications")


@subscription.consumer
def close_account(event: CloseUserAccount, envelope: Envelope) -> None:
    logic.close_account(event)


handler = subscription.lambda_handler
