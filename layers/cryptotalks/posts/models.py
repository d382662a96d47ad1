"""Request and response bodies of the posts context (field names as in the original DTOs)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from cryptotalks.http import MessageResponse
from cryptotalks.http.models import ApiModel

MAX_PAGE_SIZE = 100
MAX_PAGE = 1_000_000
MAX_SEARCH_RESULTS = 500  # a search lists (and counts) at most this many of the newest matching posts
MAX_TAGS = 10
TAG_MAX_LENGTH = 20
MAX_COIN_MENTIONS = 20  # a post's first 20 coins are its mentions; the rest of its cashtags are ignored
OrderBy = Literal["createdAt", "title", "rate"]
Order = Literal["ASC", "DESC", "asc", "desc"]
DELETED_USERNAME = "[deleted]"  # no username can look like this: usernames allow only letters, digits, _ . -

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Preview = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
# 50 paragraphs of 5,000 characters: its full-text document stays well within PostgreSQL's 1 MB per tsvector.
Content = Annotated[
    list[Annotated[str, StringConstraints(max_length=5000)]],
    Field(min_length=1, max_length=50, description="The post's paragraphs"),
]
# Lengths are checked by the logic (`tag-length`, as in the original); a comma would make a tag unsearchable,
# since the list's `tags` filter is comma-separated.
SearchTags = Annotated[
    list[Annotated[str, Field(pattern=r"^[^,]*$")]],
    Field(max_length=MAX_TAGS, description=f"Up to {MAX_TAGS} tags of 1 to {TAG_MAX_LENGTH} characters, no commas"),
]


class CreatePostRequest(ApiModel):
    """The author is the signed-in caller; `userId` or `username` in the body are ignored."""

    title: Title
    content: Content
    preview: Preview
    searchTags: SearchTags = []


class UpdatePostRequest(ApiModel):
    """The fields to change; ratings and comments are not editable here."""

    title: Title | None = None
    content: Content | None = None
    preview: Preview | None = None
    searchTags: SearchTags | None = None

    @model_validator(mode="after")
    def _changes_something(self) -> UpdatePostRequest:
        if all(value is None for _, value in self):
            raise ValueError("nothing to change")
        return self


class LeaveCommentRequest(ApiModel):
    comment: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]


class RateRequest(ApiModel):
    rate: Annotated[str, Field(max_length=10, description="`+` or `-`; anything else is `wrong-rate`")]


class ModerationMark(ApiModel):
    """On an item that is not public, for its author and moderators (everyone else does not see it)."""

    state: Literal["hidden", "held"] = Field(
        description="`hidden` by a moderator or by reports, `held` (a new account's post or comment with links) until"
        " approved"
    )
    reason: str


class PostSaved(MessageResponse):
    """Where the post can be read: `GET /api/posts/get/{slug}`."""

    id: uuid.UUID
    slug: str
    moderation: ModerationMark | None = Field(default=None, description="Set when the post waits for a moderator")


class Rate(ApiModel):
    userId: uuid.UUID | None = Field(description="None when the account has been closed")
    username: str
    rate: str
    rated: bool = Field(description="The reader's own vote")


class Comment(ApiModel):
    id: uuid.UUID
    userId: uuid.UUID | None = Field(description="None when the account has been closed")
    username: str
    payload: str
    createdAt: datetime
    commentRates: list[Rate]
    rating: int = Field(description="Number of + votes minus number of - votes")
    moderation: ModerationMark | None = Field(
        default=None, description="Set for the author and moderators when the item is hidden or held"
    )


class PostInfo(ApiModel):
    rates: list[Rate]
    comments: list[Comment]
    rating: int = Field(description="Number of + votes minus number of - votes")
    commentCount: int


class MentionedCoin(ApiModel):
    """A coin the post mentions; its price and 24-hour change are at `GET /api/crypto/get/{uuid}`."""

    uuid: str = Field(description="Coinranking's id of the coin, as the crypto API's paths take it")
    symbol: str
    name: str


class Post(ApiModel):
    id: uuid.UUID
    userId: uuid.UUID
    username: str
    title: str
    slug: str
    content: list[str]
    preview: str
    searchTags: list[str]
    createdAt: datetime
    updatedAt: datetime
    postInfo: PostInfo
    moderation: ModerationMark | None = Field(
        default=None, description="Set for the author and moderators when the item is hidden or held"
    )
    coins: list[MentionedCoin] = Field(
        description="The coins the post mentions by cashtag (`$BTC`) or tag (`bitcoin`), in the order it names them"
    )


class PostSummary(ApiModel):
    id: uuid.UUID
    userId: uuid.UUID
    username: str
    title: str
    preview: str
    slug: str
    searchTags: list[str]
    createdAt: datetime
    rates: list[Rate] = Field(
        description="The reader's own vote, if any (empty when anonymous): all the votes are on the post's page;"
        " `rating` sums them"
    )
    rating: int = Field(description="Number of + votes minus number of - votes")
    commentCount: int
    moderation: ModerationMark | None = Field(
        default=None, description="Set for the author and moderators when the item is hidden or held"
    )


class PostList(ApiModel):
    rows: list[PostSummary]
    count: int = Field(description="All posts matching the filters, on every page")


# Moderation

ItemType = Literal["post", "comment"]
ReportReason = Literal["spam", "abuse", "scam", "off-topic", "other"]
Decision = Literal["dismiss", "hide", "restore"]
QueueOrder = Literal["newest", "most-reported"]
QueueState = Literal["open", "hidden"]


class ReportRequest(ApiModel):
    itemType: ItemType
    itemId: uuid.UUID = Field(description="The post's or the comment's id")
    reason: ReportReason = Field(description="`scam` covers phishing; `other` needs `text`")
    text: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] | None = None

    @model_validator(mode="after")
    def _other_is_explained(self) -> ReportRequest:
        if self.reason == "other" and not self.text:
            raise ValueError("say what is wrong")
        return self


class Report(ApiModel):
    reporterId: uuid.UUID
    username: str
    reason: ReportReason
    text: str | None
    createdAt: datetime


class QueueItem(ApiModel):
    """A post or a comment waiting for a decision, with its open reports (grouped here)."""

    itemType: ItemType
    itemId: uuid.UUID
    postId: uuid.UUID
    slug: str
    title: str = Field(description="The post's (of the comment's post for a comment)")
    excerpt: str = Field(description="The post's preview, or the comment")
    authorId: uuid.UUID
    username: str
    state: Literal["public", "hidden", "held"]
    moderationReason: str | None
    reportCount: int
    lastActivityAt: datetime = Field(
        description="The newest report, or when the item was held (written or edited) or hidden"
    )
    reports: list[Report]


class ModerationQueue(ApiModel):
    rows: list[QueueItem]
    count: int = Field(description="Items in this queue, on every page")


class DecideRequest(ApiModel):
    itemType: ItemType
    itemId: uuid.UUID
    decision: Decision = Field(
        description="`hide` (also rejects a held item); `restore` (public again, after a hide; approves a held item);"
        " `dismiss` (the reports are unfounded: they close, and an automatic hide is lifted; a moderator's hide and a"
        " hold stay)"
    )
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] | None = Field(
        default=None, description="Shown to the author as the reason of a hide; kept in the action log"
    )


class Decided(MessageResponse):
    state: Literal["public", "hidden", "held"] = Field(description="The item's state after the decision")
