"""close_user_account → users: the picture is removed and a last email goes to the former address."""

from cryptotalks.events.consumer import Subscription
from cryptotalks.events.envelope import Envelope
from cryptotalks.users import security
from cryptotalks.users.events import CloseUserAccount

subscription = Subscription((CloseUserAccount,), "users", "Remove the picture and say farewell", calls_out=True)


@subscription.consumer
def say_farewell(event: CloseUserAccount, envelope: Envelope) -> None:
    security.say_farewell(event)


handler = subscription.lambda_handler
