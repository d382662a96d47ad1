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


class PostCreated(DomainEvent):
    event_type: ClassVar[str] = "post_created"
    postId: uuid.UUID
    userId: uuid.UUID
    username: str
    title: str
    slug: str
    preview: str
    searchTags: list[str]


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


class DeletePost(DomainEvent):
    event_type: ClassVar[str] = "delete_post"
    postId: uuid.UUID
    userId: uuid.UUID


class CoinMentionsChanged(DomainEvent):
    """The coins a post mentions (by cashtag or tag), resolved when it was written or edited: published when a new
    post mentions any, and when an edit changes them (an empty list: none any more). A deleted post's mentions go
    with it (delete_post)."""

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


class LogPostAction(ActionLog):
    event_type: ClassVar[str] = "log_post_action"
