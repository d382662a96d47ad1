"""Request and response bodies of the posts context (field names as in the original DTOs)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints, model_validator

from cryptotalks.http import MessageResponse

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


class CreatePostRequest(BaseModel):
    """The author is the signed-in caller; `userId` or `username` in the body are ignored."""

    title: Title
    content: Content
    preview: Preview
    searchTags: SearchTags = []


class UpdatePostRequest(BaseModel):
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


class LeaveCommentRequest(BaseModel):
    comment: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]


class RateRequest(BaseModel):
    rate: Annotated[str, Field(max_length=10, description="`+` or `-`; anything else is `wrong-rate`")]


class PostSaved(MessageResponse):
    """Where the post can be read: `GET /api/posts/get/{slug}`."""

    id: uuid.UUID
    slug: str


class Rate(BaseModel):
    userId: uuid.UUID | None = Field(description="None when the account has been closed")
    username: str
    rate: str
    rated: bool = Field(description="The reader's own vote")


class Comment(BaseModel):
    id: uuid.UUID
    userId: uuid.UUID | None = Field(description="None when the account has been closed")
    username: str
    payload: str
    createdAt: datetime
    commentRates: list[Rate]
    rating: int = Field(description="Number of + votes minus number of - votes")


class PostInfo(BaseModel):
    rates: list[Rate]
    comments: list[Comment]
    rating: int = Field(description="Number of + votes minus number of - votes")
    commentCount: int


class MentionedCoin(BaseModel):
    """A coin the post mentions; its price and 24-hour change are at `GET /api/crypto/get/{uuid}`."""

    uuid: str = Field(description="Coinranking's id of the coin, as the crypto API's paths take it")
    symbol: str
    name: str


class Post(BaseModel):
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
    coins: list[MentionedCoin] = Field(
        description="The coins the post mentions by cashtag (`$BTC`) or tag (`bitcoin`), in the order it names them"
    )


class PostSummary(BaseModel):
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


class PostList(BaseModel):
    rows: list[PostSummary]
    count: int = Field(description="All posts matching the filters, on every page")
