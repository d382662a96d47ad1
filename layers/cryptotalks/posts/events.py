"""Events of the posts context, named as the original's topics. Each is published after the change it tells of
has committed. Post bodies stay off the bus (they may outgrow an EventBridge entry); ids, titles and slugs travel."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import ClassVar, Literal

from pydantic import Field

from cryptotalks.events.catalogue import ActionLog
from cryptotalks.events.envelope import DomainEvent

RateValue = Literal["+", "-"]
# `@bob.` may end a sentence or name the user `bob.`: both names are sent, and whichever users exist are told.
_DOTS = "; `@bob.` gives `bob.` and `bob`"
_POST_MENTIONS = (
    f"Usernames @mentioned in the post's title, preview or content (not in code){_DOTS}; none while the post is held"
    " or hidden"
)


class PostCreated(DomainEvent):
    event_type: ClassVar[str] = "post_created"
    postId: uuid.UUID
    userId: uuid.UUID
    username: str
    title: str
    slug: str
    preview: str
    searchTags: list[str]
    mentions: list[str] = Field(default_factory=list, description=_POST_MENTIONS)


class UpdatePost(DomainEvent):
    """The post after the change; `changed` names the fields the author sent."""

    event_type: ClassVar[str] = "update_post"
    postId: uuid.UUID
    userId: uuid.UUID
    title: str
    slug: str
    preview: str
    searchTags: list[str]
    changed: list[str]
    mentions: list[str] = Field(default_factory=list, description=_POST_MENTIONS)


class DeletePost(DomainEvent):
    event_type: ClassVar[str] = "delete_post"
    postId: uuid.UUID
    userId: uuid.UUID


class CoinMentionsChanged(DomainEvent):
    """The coins a post mentions (by cashtag or tag), resolved when it was written or edited: published when a new
    post mentions any, when an edit changes them (an empty list: none any more), and when a coin the post named
    reaches the catalogue later. A hidden or held post is told as mentioning none until it is public again. A deleted
    post's mentions go with it (delete_post)."""

    event_type: ClassVar[str] = "coin_mentions_changed"
    postId: uuid.UUID
    postedAt: datetime = Field(description="When the post was written")
    revision: int = Field(description="Counts the changes of this post's mentions: the highest is the newest")
    coinIds: list[str] = Field(description="Coinranking's ids of the coins, in the order the post names them")


class LeaveComment(DomainEvent):
    event_type: ClassVar[str] = "leave_comment"
    postId: uuid.UUID
    commentId: uuid.UUID
    userId: uuid.UUID
    username: str
    comment: str
    postAuthorId: uuid.UUID | None = Field(default=None, description="The author of the post commented on")
    slug: str | None = Field(default=None, description="The slug of the post commented on")
    mentions: list[str] = Field(
        default_factory=list,
        description=f"Usernames @mentioned in the comment (not in code){_DOTS}; none while it is held or hidden",
    )
    held: bool = Field(
        default=False, description="It waits for a moderator: nobody is told of it until approved (moderation_decided)"
    )


class UpdatePostInfo(DomainEvent):
    """A vote on a post, or on one of its comments when `commentId` is set. `rate` is what the user sent,
    `vote` the user's vote afterwards (None when sending the same vote again withdrew it)."""

    event_type: ClassVar[str] = "update_post_info"
    postId: uuid.UUID
    commentId: uuid.UUID | None = None
    userId: uuid.UUID
    username: str
    rate: RateValue
    vote: RateValue | None


class VoteMilestoneReached(DomainEvent):
    """A vote took a post's (or, with `commentId`, a comment's) rating up to a milestone (10, 50, 100, 500,
    1000, …). Published at each crossing: whoever tells the author keeps each milestone once."""

    event_type: ClassVar[str] = "vote_milestone_reached"
    postId: uuid.UUID
    commentId: uuid.UUID | None = None
    authorId: uuid.UUID = Field(description="The author of the post or comment")
    slug: str
    milestone: int
    rating: int


class ModerationDecided(DomainEvent):
    """A moderator decided on a post or a comment, or reports from enough members hid it (`auto-hide`, no
    moderator). For telling the author (`note` is what the moderator wrote for them) and, when the item became
    public, whoever it mentions: a hidden or held item's mentions are told only then."""

    event_type: ClassVar[str] = "moderation_decided"
    partition_by: ClassVar[str | None] = "postId"
    authorId: uuid.UUID
    itemType: Literal["post", "comment"]
    itemId: uuid.UUID
    postId: uuid.UUID
    slug: str
    decision: Literal["dismiss", "hide", "restore", "auto-hide"]
    note: str | None = None
    moderatorId: uuid.UUID | None = None
    state: Literal["public", "hidden", "held"] = Field(description="The item's state afterwards")
    previousState: Literal["public", "hidden", "held"] | None = Field(default=None, description="And before")
    mentions: list[str] = Field(
        default_factory=list,
        description="When the decision made the item public: the usernames it @mentions (not in code), told now",
    )
    postAuthorId: uuid.UUID | None = Field(
        default=None, description="The author of the post a comment is on: told of a held comment once it is approved"
    )


class LogPostAction(ActionLog):
    event_type: ClassVar[str] = "log_post_action"
