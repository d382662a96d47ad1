"""Business rules of the notices context. Notifications are made only here, by the consumers of other contexts'
events; the API reads them, marks them read and keeps each user's email and SMS choices.

Alerts and security notices are mailed (and alerts texted, where chosen) as they happen, within the sending limits
per account; the other kinds wait for the digest job, which mails each user at most once an hour per subject (a post).
"""

from __future__ import annotations

import uuid

from cryptotalks import db, errors
from cryptotalks.crypto.events import AlertCondition, PriceAlertFired
from cryptotalks.errors import ApiError
from cryptotalks.events.catalogue import UserCreated
from cryptotalks.limits import EMAIL_FOR_ACCOUNT, SMS_FOR_ACCOUNT
from cryptotalks.notices import data, mail
from cryptotalks.notices.data import Choice, NewNotification
from cryptotalks.notices.models import (
    KINDS,
    MarkReadRequest,
    NoticeKind,
    Notification,
    NotificationPage,
    Preference,
    Preferences,
    PreferencesRequest,
    Unsubscribed,
)
from cryptotalks.observability import logger
from cryptotalks.posts.events import (
    DeletePost,
    LeaveComment,
    ModerationDecided,
    PostCreated,
    UpdatePost,
    VoteMilestoneReached,
)
from cryptotalks.users.events import (
    CloseUserAccount,
    SecurityChange,
    SignedInFromNewDevice,
    UpdateUserAccount,
    UpdateUserContact,
    UpdateUserSecuritySettings,
)

DIGEST_BATCH = 200  # users mailed per transaction batch of the digest job
SETTINGS_LINK = "/settings"


def _choices(conn: db.Connection, user_id: uuid.UUID) -> dict[NoticeKind, Choice]:
    chosen = data.preferences(conn, user_id)
    return {
        kind: chosen[kind] if kind in chosen else Choice(email=rules.email, sms=False) for kind, rules in KINDS.items()
    }


def _tell(new: NewNotification, mail_now: bool = True) -> None:
    """Makes the notification (once per key) and sends what the user chose. `mail_now=False`: in the app only
    (the event's own context mails it already)."""
    kind = NoticeKind(new.kind)
    rules = KINDS[kind]
    with db.transaction() as tx:
        user = data.lock_user(tx.conn, new.user_id)
        if user is None:  # a closed account (or one not known here yet)
            return
        choice = _choices(tx.conn, new.user_id)[kind]
        wants_email = choice.email and mail_now
        notification_id = data.add_notification(tx.conn, new, email_pending=wants_email)
        if notification_id is None:
            return
        item = mail.Item(kind, new.title, new.link)
        if wants_email and rules.at_once:
            if data.sent_within_hour(tx.conn, new.user_id, "email") < EMAIL_FOR_ACCOUNT.count:
                mail.send(user.email, user.username, new.user_id, [item])
                data.record_sent(tx.conn, new.user_id, "email", [new.subject])
                data.mark_emailed(tx.conn, [notification_id])
            else:
                logger.info("email limit reached: the notification waits for the digest", extra={"kind": kind})
        if choice.sms and rules.sms_possible and user.phone:
            if data.sent_within_hour(tx.conn, new.user_id, "sms") < SMS_FOR_ACCOUNT.count:
                mail.text(user.phone, item)
                data.record_sent(tx.conn, new.user_id, "sms", [new.subject])
            else:
                logger.info("SMS limit reached: no SMS", extra={"kind": kind})


# The users projection.


def record_user(event: UserCreated | UpdateUserAccount) -> None:
    with db.transaction() as tx:
        data.record_user(tx.conn, event.userId, event.username, getattr(event, "email", None))


def record_contact(event: UpdateUserContact) -> None:
    with db.transaction() as tx:
        data.record_contact(tx.conn, event.userId, event.email, event.phone)


def close_account(event: CloseUserAccount) -> None:
    with db.transaction() as tx:
        data.forget_user(tx.conn, event.userId)


# Posts: comments, mentions, milestones.


def _post_link(slug: str, comment_id: uuid.UUID | None = None) -> str:
    return f"/posts/{slug}" + (f"#comment-{comment_id}" if comment_id else "")


def _mentioned(usernames: list[str], besides: set[uuid.UUID]) -> list[uuid.UUID]:
    """The users the names are of (any case), but not `besides` (the writer, someone told already)."""
    if not usernames:
        return []
    with db.transaction() as tx:
        found = data.user_ids_by_username(tx.conn, usernames)
    return [user_id for user_id in found if user_id not in besides]


def comment_left(event: LeaveComment) -> None:
    """The post's author is told of the comment; whoever it mentions, of the mention (an author mentioned on their
    own post is told once)."""
    if event.slug is None:  # an event from before comments named their post's author
        return
    link, subject = _post_link(event.slug, event.commentId), f"post:{event.postId}"
    told = {event.userId}
    if event.postAuthorId is not None and event.postAuthorId != event.userId:
        title = f"{event.username} commented on your post"
        _tell(
            NewNotification(event.postAuthorId, NoticeKind.COMMENT, title, link, subject, f"comment:{event.commentId}")
        )
        told.add(event.postAuthorId)
    for user_id in _mentioned(event.mentions, told):
        title = f"{event.username} mentioned you in a comment"
        _tell(NewNotification(user_id, NoticeKind.MENTION, title, link, subject, f"mention:{event.commentId}"))


def post_written(event: PostCreated | UpdatePost) -> None:
    """Whoever the post mentions is told, once per post (an edit does not tell them again)."""
    username = getattr(event, "username", None)
    title = f"{username} mentioned you in a post" if username else "You were mentioned in a post"
    for user_id in _mentioned(event.mentions, {event.userId}):
        new = NewNotification(
            user_id,
            NoticeKind.MENTION,
            title,
            _post_link(event.slug),
            f"post:{event.postId}",
            f"mention:{event.postId}",
        )
        _tell(new)


def post_deleted(event: DeletePost) -> None:
    """The notifications about a deleted post would lead nowhere."""
    with db.transaction() as tx:
        data.forget_subject(tx.conn, f"post:{event.postId}")


def milestone_reached(event: VoteMilestoneReached) -> None:
    what = "comment" if event.commentId else "post"
    target = event.commentId or event.postId
    _tell(
        NewNotification(
            event.authorId,
            NoticeKind.MILESTONE,
            f"Your {what} reached a rating of {event.milestone}",
            _post_link(event.slug, event.commentId),
            f"post:{event.postId}",
            f"milestone:{target}:{event.milestone}",
        )
    )


# Price alerts.


def _usd(amount: float | None) -> str:
    if amount is None:
        return "unknown"
    return f"${amount:,.2f}" if amount >= 1 else f"${amount:.6g}"


def alert_title(event: PriceAlertFired) -> str:
    if event.condition is AlertCondition.ABOVE:
        return f"{event.symbol} rose above {_usd(event.threshold)} (now {_usd(event.price)})"
    if event.condition is AlertCondition.BELOW:
        return f"{event.symbol} fell below {_usd(event.threshold)} (now {_usd(event.price)})"
    return f"{event.symbol} moved {event.change or 0:+.2f}% in 24 h (beyond ±{event.threshold:g}%)"


def alert_fired(event: PriceAlertFired) -> None:
    _tell(
        NewNotification(
            event.userId,
            NoticeKind.ALERT,
            alert_title(event),
            f"/coins/{event.coinId}",
            f"coin:{event.coinId}",
            f"alert:{event.alertId}:{event.syncId}",
        )
    )


# Security.

_SECURITY_TITLES = {
    SecurityChange.PASSWORD_CHANGED: "Your password was changed",
    SecurityChange.PASSWORD_RESET: "Your password was reset",
    SecurityChange.EMAIL_CHANGE_REQUESTED: "A change of your email address was asked for",
    SecurityChange.EMAIL_CHANGED: "Your email address was changed",
    SecurityChange.TWO_FA_ENABLED: "Two-factor authentication was turned on",
    SecurityChange.TWO_FA_DISABLED: "Two-factor authentication was turned off",
    SecurityChange.PHONE_SET: "A phone number was added to your account",
    SecurityChange.PHONE_REMOVED: "The phone number of your account was removed",
}


def security_event(event: UpdateUserSecuritySettings | SignedInFromNewDevice, event_id: uuid.UUID) -> None:
    """Told in the app; mailed here only for a new device (the users context mails the other changes itself)."""
    if isinstance(event, SignedInFromNewDevice):
        title, mail_now = f"New sign-in to your account from {event.client}", True
    else:
        title, mail_now = _SECURITY_TITLES[event.change], False
    new = NewNotification(event.userId, NoticeKind.SECURITY, title, SETTINGS_LINK, "account", f"security:{event_id}")
    _tell(new, mail_now=mail_now)


# Moderation.


def moderation_decided(event: ModerationDecided, event_id: uuid.UUID) -> None:
    """The author learns what changed their item's visibility, with the moderator's note; a decision that left it
    as it was (reports dismissed) is not worth telling. An item made public (a held one approved, a hidden one
    restored) carries its @mentions, told now under the key a mention has when written public: nobody is told twice."""
    if event.state == event.previousState:
        return
    what = event.itemType
    if event.decision == "auto-hide":
        title = f"Your {what} is hidden until a moderator has looked at the reports of it"
    elif event.state == "hidden":
        title = f"A moderator hid your {what}"
    else:
        title = f"Your {what} is visible to everyone"
    if event.note:
        title = f"{title}: {event.note}"
    link = _post_link(event.slug, event.itemId if event.itemType == "comment" else None)
    subject = f"post:{event.postId}"
    _tell(NewNotification(event.authorId, NoticeKind.MODERATION, title, link, subject, f"moderation:{event_id}"))
    for user_id in _mentioned(event.mentions, {event.authorId}):
        mention = f"You were mentioned in a {what}"
        _tell(NewNotification(user_id, NoticeKind.MENTION, mention, link, subject, f"mention:{event.itemId}"))


# The digest job.


def send_digests() -> int:
    """One email per user with notifications waiting whose subject was not mailed to them in the last hour; returns
    how many emails were sent. Each user's digest is its own transaction: a failed send leaves theirs waiting."""
    sent = 0
    with db.transaction() as tx:
        users = data.users_with_due_digests(tx.conn, DIGEST_BATCH)
    for user_id in users:
        with db.transaction() as tx:
            user = data.lock_user(tx.conn, user_id)
            due = data.due_notifications(tx.conn, user_id) if user else []
            if not due or user is None:
                continue
            items = [mail.Item(NoticeKind(row.kind), row.title, row.link) for row in due]
            mail.send(user.email, user.username, user_id, items)
            data.record_sent(tx.conn, user_id, "email", sorted({row.subject for row in due}))
            data.mark_emailed(tx.conn, [row.id for row in due])
        sent += 1
    return sent


# The API.


def page(user_id: uuid.UUID, page_number: int, page_size: int) -> NotificationPage:
    with db.transaction() as tx:
        found = data.notification_page(tx.conn, user_id, page_size, page_number * page_size)
    return NotificationPage(
        rows=[Notification.model_validate(row, from_attributes=True) for row in found.rows],
        count=found.total,
        unread=found.unread,
    )


def mark_read(user_id: uuid.UUID, request: MarkReadRequest) -> int:
    """Marks the listed notifications (or all) read; returns how many stay unread."""
    with db.transaction() as tx:
        data.mark_read(tx.conn, user_id, request.ids)
        return data.unread_count(tx.conn, user_id)


def preferences(user_id: uuid.UUID) -> Preferences:
    with db.transaction() as tx:
        choices = _choices(tx.conn, user_id)
        phone = data.phone_of(tx.conn, user_id)
    return Preferences(
        preferences=[
            Preference(
                kind=kind,
                label=rules.label,
                email=choices[kind].email,
                sms=choices[kind].sms,
                smsPossible=rules.sms_possible,
            )
            for kind, rules in KINDS.items()
        ],
        phoneVerified=phone is not None,
    )


def set_preferences(user_id: uuid.UUID, request: PreferencesRequest) -> Preferences:
    """SMS only for the kinds that offer it, with a verified phone."""
    with db.transaction() as tx:
        choices = _choices(tx.conn, user_id)
        phone = data.phone_of(tx.conn, user_id)
        for change in request.preferences:
            if change.sms and not (KINDS[change.kind].sms_possible and phone):
                raise ApiError(errors.SMS_NOT_POSSIBLE)
            now = choices[change.kind]
            email = now.email if change.email is None else change.email
            sms = now.sms if change.sms is None else change.sms
            if not data.set_preference(tx.conn, user_id, change.kind, email, sms):
                raise ApiError(errors.USER_NOT_FOUND)
    return preferences(user_id)


def unsubscribe(token: str) -> Unsubscribed:
    """The emails of one kind stop for the token's user; nothing else changes (SMS stays as chosen)."""
    from cryptotalks.credentials import tokens  # PyJWT: only the unsubscribe link pays for its import

    user_id, kind_name = tokens.read_unsubscribe_token(token)
    if kind_name not in NoticeKind.__members__.values() or not KINDS[NoticeKind(kind_name)].unsubscribable:
        raise ApiError(errors.INVALID_TOKEN)
    kind = NoticeKind(kind_name)
    with db.transaction() as tx:
        sms = _choices(tx.conn, user_id)[kind].sms
        if not data.set_preference(tx.conn, user_id, kind, False, sms):
            raise ApiError(errors.USER_NOT_FOUND)
    return Unsubscribed(message="unsubscribed", kind=kind)
