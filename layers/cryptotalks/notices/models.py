"""Kinds of notifications with their default channels, and the bodies of the notifications API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from pydantic import Field

from cryptotalks.http.models import ApiModel

MAX_PAGE_SIZE = 100
MAX_PAGE = 100_000
MAX_IDS = 100


class NoticeKind(StrEnum):
    COMMENT = "comment"  # a comment on my post
    MENTION = "mention"  # @me in a comment or a post (the forum's comments are flat: a reply names whom it answers)
    MILESTONE = "milestone"  # my post or comment reached a rating of 10, 50, 100, 500, 1000, …
    ALERT = "alert"  # one of my price alerts fired
    SECURITY = "security"  # a sign-in from a new device, a password, email, phone or 2FA change
    MODERATION = "moderation"  # a moderator (or members' reports) hid or restored my post or comment


@dataclass(frozen=True)
class KindRules:
    label: str  # how settings and emails name it
    email: bool  # mailed unless the user says otherwise
    at_once: bool  # mailed as it happens; otherwise gathered in the digest (one email per subject an hour at most)
    sms_possible: bool = False  # the user may choose SMS too (with a verified phone)
    # Always mailed: the email cannot be turned off and carries no unsubscribe link (security: the users context
    # mails password, email and 2FA changes itself, whatever the preference says).
    email_required: bool = False


# A new kind is an entry here, its member above, and the consumer that makes its notifications.
KINDS: dict[NoticeKind, KindRules] = {
    NoticeKind.COMMENT: KindRules("Comments on my posts", email=False, at_once=False),
    NoticeKind.MENTION: KindRules("Mentions of me", email=False, at_once=False),
    NoticeKind.MILESTONE: KindRules("Vote milestones of my posts and comments", email=False, at_once=False),
    NoticeKind.ALERT: KindRules("My price alerts", email=True, at_once=True, sms_possible=True),
    NoticeKind.SECURITY: KindRules("Security of my account", email=True, at_once=True, email_required=True),
    NoticeKind.MODERATION: KindRules("Moderation of my posts and comments", email=False, at_once=True),
}


class Notification(ApiModel):
    id: UUID
    kind: NoticeKind
    title: str
    link: str = Field(description="The web client's path of what it is about, e.g. /posts/<slug>#comment-<id>")
    createdAt: datetime
    read: bool


class NotificationPage(ApiModel):
    rows: list[Notification] = Field(description="Newest first")
    count: int = Field(description="How many notifications there are in all")
    unread: int = Field(description="How many are unread")


class MarkReadRequest(ApiModel):
    """Without `ids`, every notification is marked read."""

    ids: list[UUID] | None = Field(default=None, max_length=MAX_IDS)


class UnreadCount(ApiModel):
    message: str = Field(examples=["success"])
    unread: int


class Preference(ApiModel):
    kind: NoticeKind
    label: str
    email: bool
    sms: bool = Field(description="Also by SMS (kinds that offer it, with a verified phone)")
    smsPossible: bool
    emailRequired: bool = Field(description="Always mailed: `email` cannot be turned off (security)")


class Preferences(ApiModel):
    preferences: list[Preference]
    phoneVerified: bool = Field(description="Whether SMS can reach you (a phone set in the account's security)")


class PreferenceChange(ApiModel):
    kind: NoticeKind
    email: bool | None = None
    sms: bool | None = None


class PreferencesRequest(ApiModel):
    preferences: list[PreferenceChange] = Field(min_length=1, max_length=len(NoticeKind))


class UnsubscribeRequest(ApiModel):
    token: str = Field(min_length=1, max_length=2000, description="The signed token of the email's link")


class Unsubscribed(ApiModel):
    message: str = Field(examples=["unsubscribed"])
    kind: NoticeKind
