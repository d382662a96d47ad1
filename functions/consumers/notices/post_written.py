"""post_created, update_post, delete_post → notices: users @mentioned in a post are told; a deleted post's
notifications go."""

from cryptotalks.events.consumer import Subscription
from cryptotalks.events.envelope import Envelope
from cryptotalks.notices import logic
from cryptotalks.posts.events import DeletePost, PostCreated, UpdatePost
from cryptotalks.uses import Uses

PostFact = PostCreated | UpdatePost | DeletePost

subscription: Subscription[PostFact] = Subscription(
    (PostCreated, UpdatePost, DeletePost),
    "notices",
    "Notify the users a post mentions; forget deleted posts",
    uses=(Uses.SENDGRID, Uses.TWILIO),
)


@subscription.consumer
def post_written(event: PostFact, envelope: Envelope) -> None:
    if isinstance(event, DeletePost):
        logic.post_deleted(event)
    else:
        logic.post_written(event)


handler = subscription.lambda_handler
