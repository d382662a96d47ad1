"""leave_comment → notices: the post's author is told of the comment, the users it @mentions of the mention."""

from cryptotalks.events.consumer import Subscription
from cryptotalks.events.envelope import Envelope
from cryptotalks.notices import logic
from cryptotalks.posts.events import LeaveComment
from cryptotalks.uses import Uses

subscription = Subscription(
    (LeaveComment,),
    "notices",
    "Notify the post's author and the mentioned users of a comment",
    uses=(Uses.SENDGRID, Uses.TWILIO),
)


@subscription.consumer
def comment_left(event: LeaveComment, envelope: Envelope) -> None:
    logic.comment_left(event)


handler = subscription.lambda_handler
