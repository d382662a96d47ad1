"""user_created, update_user_account, update_user_contact → notices: names (mentions) and addresses (messages)."""

from cryptotalks.events.catalogue import UserCreated
from cryptotalks.events.consumer import Subscription
from cryptotalks.events.envelope import Envelope
from cryptotalks.notices import logic
from cryptotalks.users.events import UpdateUserAccount, UpdateUserContact

UserFact = UserCreated | UpdateUserAccount | UpdateUserContact

subscription: Subscription[UserFact] = Subscription(
    (UserCreated, UpdateUserAccount, UpdateUserContact),
    "notices",
    "Keep the users' names, addresses and verified phones in the notices context's projection",
)


@subscription.consumer
def record_user(event: UserFact, envelope: Envelope) -> None:
    if isinstance(event, UpdateUserContact):
        logic.record_contact(event)
    else:
        logic.record_user(event)


handler = subscription.lambda_handler
