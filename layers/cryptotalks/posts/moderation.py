"""Moderation of posts and comments: reports, the queue, moderators' decisions, and the automatic holds (reports
from enough established members; links from new accounts) with the new accounts' write limit.

Who is a moderator is the users context's to say: a moderation route's handler asks it (`users.roles.require`)
in the request's transaction before calling here. Hidden and held items are filtered out of what the posts context
serves by `data.Viewer` (see the list, search and post queries).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from psycopg import errors as pg_errors

from cryptotalks import db, errors
from cryptotalks.db import Connection
from cryptotalks.errors import ApiError
from cryptotalks.events import publish
from cryptotalks.events.catalogue import ActionStatus
from cryptotalks.posts import data
from cryptotalks.posts.data import ItemRow, Target
from cryptotalks.posts.events import CoinMentionsChanged, LogPostAction, ModerationDecided
from cryptotalks.posts.mentions import mentioned_in
from cryptotalks.posts.models import (
    DELETED_USERNAME,
    Decided,
    DecideRequest,
    ItemType,
    ModerationMark,
    ModerationQueue,
    QueueItem,
    QueueOrder,
    QueueState,
    Report,
    ReportRequest,
)
from cryptotalks.posts.settings import moderation_settings

CONTEXT = "posts"
HELD_REASON = "Posts and comments with links from new accounts are published once a moderator has approved them."
HIDDEN_BY_MODERATOR = "Hidden by a moderator"
# Links as phishing posts carry them: with a scheme, `www.`, or a bare domain under a common top-level domain.
_LINK = re.compile(
    r"(?i)\b(?:https?://|www\.)\S+"
    r"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|io|xyz|app|finance|link|top|site|online|ru|cn|co|me|info|biz"
    r"|gg|to|ly|cc|vip|live|pro)\b"
)
_TARGET: dict[ItemType, Target] = {"post": Target.POST, "comment": Target.COMMENT}
_MISSING: dict[ItemType, errors.ErrorCode] = {"post": errors.POST_NOT_FOUND, "comment": errors.COMMENT_DOESNT_EXIST}


def mark(state: str, reason: str | None) -> ModerationMark | None:
    """The mark the author and moderators see on an item that is not public."""
    if state == "public":
        return None
    return ModerationMark(state="held" if state == "held" else "hidden", reason=reason or HIDDEN_BY_MODERATOR)


def _log(event: str, user_id: uuid.UUID | None, message: str) -> None:
    publish(LogPostAction(event=event, status=ActionStatus.SUCCESS, userId=user_id, message=message), CONTEXT)


# Who may vote, comment and report


# Whether the caller is a moderator: the users context's to say, asked by the handler only when it matters.
AsksModerator = Callable[[], bool]


def not_moderator() -> bool:
    return False


def check_public(
    state: str, author: uuid.UUID, caller: uuid.UUID, is_moderator: AsksModerator, missing: errors.ErrorCode
) -> None:
    """Votes, comments and reports are for public items: of one that is not (hidden or held), whoever cannot see it
    is told `missing` as if it did not exist, and whoever can (its author, moderators) `item-not-public`."""
    if state != "public":
        raise ApiError(errors.ITEM_NOT_PUBLIC if author == caller or is_moderator() else missing)


# New accounts


def links(texts: list[str]) -> set[str]:
    return {link.lower() for text in texts for link in _LINK.findall(text)}


def is_new_account(conn: Connection, user_id: uuid.UUID) -> bool:
    """Whether the account is younger than the setting (its author row then stays locked)."""
    return data.lock_new_author(conn, user_id, datetime.now(UTC) - moderation_settings().new_account_age)


def check_new_account(conn: Connection, user_id: uuid.UUID) -> bool:
    """Whether the account is new; a new account's write (a post or a comment) is recorded, and refused
    `too-many-requests` once it wrote its hourly share. Recorded apart from the posts and comments: deleting them
    does not give writes back."""
    if not is_new_account(conn, user_id):
        return False
    since = datetime.now(UTC) - timedelta(hours=1)
    if data.recent_writes(conn, user_id, since) >= moderation_settings().new_account_writes_per_hour:
        with db.separate_transaction():  # logged although the request's own transaction rolls back
            _log("NEW_ACCOUNT_LIMIT", user_id, f"New account {user_id} reached its hourly posts and comments.")
        raise ApiError(errors.TOO_MANY_REQUESTS)
    data.record_write(conn, user_id, since)
    return True


def hold_for_links(
    conn: Connection, user_id: uuid.UUID, new_account: bool, texts: list[str], before: list[str] | None = None
) -> bool:
    """Whether a post or comment waits for a moderator: links from a new account of little reputation. For an edit,
    `before` is the text it had: only links it did not have count."""
    if not new_account:
        return False
    added = links(texts) - links(before or [])
    return bool(added) and data.reputation(conn, user_id) < moderation_settings().link_reputation


def hold_post(conn: Connection, post_id: uuid.UUID) -> None:
    """Holds a public post (an edit added links): crypto is told it mentions no coins until it is approved."""
    _change_state(conn, "post", _locked_item(conn, "post", post_id), "held", HELD_REASON, None)


# Reports


def _locked_item(conn: Connection, item_type: ItemType, item_id: uuid.UUID) -> ItemRow:
    item = data.lock_item(conn, _TARGET[item_type], item_id)
    if item is None:
        raise ApiError(_MISSING[item_type])
    return item


def report(user_id: uuid.UUID, request: ReportRequest, is_moderator: AsksModerator = not_moderator) -> None:
    """One open report per member per item (`already-reported`); only public items can be reported, and not one's
    own (`own-item`). Reports from enough distinct members hide the item until a moderator decides; reports from new
    accounts are shown to moderators but do not count towards that (a few fresh accounts could hide anything)."""
    with db.transaction() as tx:
        if data.find_username(tx.conn, user_id) is None:
            raise ApiError(errors.USER_NOT_FOUND)
        item = _locked_item(tx.conn, request.itemType, request.itemId)
        if item.user_id == user_id:
            raise ApiError(errors.OWN_ITEM)
        check_public(item.post_state, item.post_author_id, user_id, is_moderator, errors.POST_NOT_FOUND)
        check_public(item.state, item.user_id, user_id, is_moderator, _MISSING[request.itemType])
        try:
            with tx.conn.transaction():
                data.insert_report(tx.conn, item, user_id, request.reason, request.text)
        except pg_errors.UniqueViolation:
            raise ApiError(errors.ALREADY_REPORTED) from None
        _log("REPORT", user_id, f"User {user_id} reported {request.itemType} {request.itemId} ({request.reason}).")
        settings = moderation_settings()
        counted = data.open_reporters(tx.conn, request.itemId, datetime.now(UTC) - settings.reporter_age)
        if counted >= settings.auto_hide_reporters:
            _auto_hide(tx.conn, request.itemType, item)


def _reported_as(reasons: dict[str, int]) -> str:
    members = sum(reasons.values())
    return f"Reported by {members} member{'s' if members > 1 else ''}: {', '.join(reasons)}"


def _auto_hide(conn: Connection, item_type: ItemType, item: ItemRow) -> None:
    reason = _reported_as(data.open_reasons(conn, item.id))
    _change_state(conn, item_type, item, "hidden", reason, None)
    _log("AUTO_HIDE", item.user_id, f"The {item_type} {item.id} of user {item.user_id} is hidden: {reason}.")
    _publish_decision(item_type, item, "auto-hide", "hidden", note=None, moderator=None)


def _change_state(
    conn: Connection, item_type: ItemType, item: ItemRow, state: str, reason: str | None, by: uuid.UUID | None
) -> None:
    """Sets the state; a post's comment_count counts its public comments only."""
    data.set_state(conn, _TARGET[item_type], item.id, state, reason, by)
    was_public, is_public = item.state == "public", state == "public"
    if item_type == "comment" and was_public != is_public:
        data.add_to_comment_count(conn, item.post_id, 1 if is_public else -1)
    if item_type == "post" and was_public != is_public:
        _tell_coins(conn, item, is_public)


def _tell_coins(conn: Connection, post: ItemRow, public: bool) -> None:
    """Crypto counts a coin's discussions among the posts everyone can read: a hidden or held post mentions none."""
    coins = data.mentioned_coins(conn, post.post_id)
    if coins:
        revision = data.next_mentions_revision(conn, post.post_id)
        told = coins if public else []
        publish(
            CoinMentionsChanged(postId=post.post_id, postedAt=post.posted_at, revision=revision, coinIds=told),
            CONTEXT,
        )


def _publish_decision(
    item_type: ItemType,
    item: ItemRow,
    decision: str,
    state: str,
    note: str | None,
    moderator: uuid.UUID | None,
    mentions: list[str] | None = None,
) -> None:
    publish(
        ModerationDecided(
            authorId=item.user_id,
            itemType=item_type,
            itemId=item.id,
            postId=item.post_id,
            slug=item.slug,
            decision=decision,
            note=note,
            moderatorId=moderator,
            state=state,
            previousState=item.state,
            mentions=mentions or [],
            postAuthorId=item.post_author_id if item_type == "comment" else None,
        ),
        CONTEXT,
    )


# The queue and decisions (the caller is a moderator: the handler asked the users context)


def queue(page: int, page_size: int, order: QueueOrder, state: QueueState = "open") -> ModerationQueue:
    """`open`: what waits for a decision (reported and held items); `hidden`: what is hidden now, to restore."""
    with db.transaction() as tx:
        rows, total = data.moderation_queue(tx.conn, state, order == "most-reported", page_size, page * page_size)
    items = [
        QueueItem(
            itemType=row.item_type,
            itemId=row.item_id,
            postId=row.post_id,
            slug=row.slug,
            title=row.title,
            excerpt=row.excerpt,
            authorId=row.author_id,
            username=row.username or DELETED_USERNAME,
            state=row.state,
            moderationReason=row.moderation_reason,
            reportCount=row.report_count,
            lastActivityAt=row.last_activity_at,
            reports=[
                Report(
                    reporterId=r.reporter_id,
                    username=r.username or DELETED_USERNAME,
                    reason=r.reason,
                    text=r.text,
                    createdAt=r.created_at,
                )
                for r in row.reports
            ],
        )
        for row in rows
    ]
    return ModerationQueue(rows=items, count=total)


def decide(moderator: uuid.UUID, request: DecideRequest) -> Decided:
    """`hide` (with the note as the reason the author sees, else the reports' reasons; rejects a held item),
    `restore` (public again; approves a held item), `dismiss` (the reports are unfounded: an automatic hide is
    lifted; a moderator's hide and a hold stay). Every decision closes the item's open reports, goes to the action
    log and is published (`moderation_decided`); an item made public carries its @mentions, told only now."""
    with db.transaction() as tx:
        item = _locked_item(tx.conn, request.itemType, request.itemId)
        item_id = request.itemId
        if request.decision == "hide":
            reasons = data.open_reasons(tx.conn, item_id)
            reason = request.note or (_reported_as(reasons) if reasons else HIDDEN_BY_MODERATOR)
            _change_state(tx.conn, request.itemType, item, "hidden", reason, moderator)
            state = "hidden"
        elif request.decision == "restore" or (item.state == "hidden" and item.moderated_by is None):
            _change_state(tx.conn, request.itemType, item, "public", None, None)
            state = "public"
        else:  # dismissing the reports of a held item, or new reports of an item a moderator hid: it stays so
            state = item.state
        mentions: list[str] = []
        readable = request.itemType == "post" or item.post_state == "public"  # a comment's post is public too
        if state == "public" and item.state != "public" and readable:
            mentions = mentioned_in(*data.item_texts(tx.conn, _TARGET[request.itemType], item_id))
        closed = data.close_reports(tx.conn, item_id)
        _publish_decision(request.itemType, item, request.decision, state, request.note, moderator, mentions)
        _log(
            f"MODERATION_{request.decision.upper()}",
            moderator,
            f"Moderator {moderator} decided {request.decision} on the {request.itemType} {item_id} of user"
            f" {item.user_id} ({closed} reports closed; now {state})" + (f": {request.note}" if request.note else "."),
        )
    return Decided(message="success", state=state)
