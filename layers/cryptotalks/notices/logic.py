"""Business rules of the notices context. Notifications are made only here, by the consumers of other contexts'
events; the API reads them, marks them read and keeps each user's email and SMS choices.

Alerts and security notices are mailed (and alerts texted, where chosen) as they happen, within the sending limits
per account (and per number for SMS); the other kinds wait for the digest job, which mails each user at most once an
hour per subject (a post), within the same limits. A message is counted in the transaction that makes its
notifications, under the user's lock, and sent once that transaction has committed: a mail or SMS outage never
undoes a notification, an email that could not go waits for the digest, and no lock is held while SendGrid or
Twilio answer.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from functools import partial

from cryptotalks import db, errors
from cryptotalks.crypto.events import AlertCondition, FiredAlert, PriceAlertsFired
from cryptotalks.errors import ApiError
from cryptotalks.events.catalogue import UserCreated
from cryptotalks.limits import EMAIL_FOR_ACCOUNT, SMS_FOR_ACCOUNT, SMS_TO_NUMBER
from cryptotalks.notices import data, mail
from cryptotalks.notices.data import Choice, NewNotification, UserRow
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

DIGEST_BATCH = 200  # users read per statement of the digest job
SETTINGS_LINK = "/settings"


def _choices(conn: db.Connection, user_id: uuid.UUID) -> dict[NoticeKind, Choice]:
    chosen = data.preferences(conn, user_id)
    return {
        kind: Choice(email=rules.email_required or chosen[kind].email, sms=chosen[kind].sms)
        if kind in chosen
        else Choice(email=rules.email, sms=False)
        for kind, rules in KINDS.items()
    }


@dataclass(frozen=True)
class _Message:
    """An email or SMS counted (reserved) in the transaction that made its notifications, to send once committed."""

    reservation: int  # its row in notices.messages_sent
    user: UserRow
    items: list[mail.Item]
    notification_ids: list[uuid.UUID]


def _tell(*news: NewNotification, mail_now: bool = True) -> None:
    """Makes the notifications (once per key; all of one user and kind) and, once they are committed, sends what
    the user chose: one email and one SMS for them all. `mail_now=False`: in the app only (the event's own context
    mails it already)."""
    user_id, kind = news[0].user_id, NoticeKind(news[0].kind)
    assert all((new.user_id, new.kind) == (user_id, kind) for new in news), "one user's notifications of one kind"
    rules = KINDS[kind]
    with db.transaction() as tx:
        user = data.lock_user(tx.conn, user_id)
        if user is None:  # a closed account (or one not known here yet)
            return
        choice = _choices(tx.conn, user_id)[kind]
        wants_email = choice.email and mail_now
        made = [
            (new, notification_id)
            for new in news
            if (notification_id := data.add_notification(tx.conn, new, email_pending=wants_email)) is not None
        ]
        if not made:
            return
        items = [mail.Item(kind, new.title, new.link) for new, _ in made]
        ids = [notification_id for _, notification_id in made]
        subjects = sorted({new.subject for new, _ in made})
        if wants_email and rules.at_once:
            email = _reserve_email(tx.conn, user, subjects, items, ids)
            if email is not None:
                tx.on_commit(partial(_send_email, email))
        if choice.sms and rules.sms_possible and user.phone:
            text = _reserve_sms(tx.conn, user, subjects, items)
            if text is not None:
                tx.on_commit(partial(_send_sms, text))


def _reserve_email(
    conn: db.Connection, user: UserRow, subjects: list[str], items: list[mail.Item], ids: list[uuid.UUID]
) -> _Message | None:
    """The email counted, if the account's limit allows it (the caller holds the user's lock); else None: the
    notifications wait for the digest."""
    if data.sent_within_hour(conn, user.user_id, "email") >= EMAIL_FOR_ACCOUNT.count:
        logger.info("email limit reached: the notifications wait", extra={"kind": items[0].kind})
        return None
    return _Message(data.reserve_message(conn, user.user_id, "email", subjects, user.email), user, items, ids)


def _reserve_sms(conn: db.Connection, user: UserRow, subjects: list[str], items: list[mail.Item]) -> _Message | None:
    """The SMS counted, if the limits of the account and of the number allow it; else None: no SMS."""
    assert user.phone is not None
    data.lock_recipient(conn, "sms", user.phone)
    if (
        data.sent_within_hour(conn, user.user_id, "sms") >= SMS_FOR_ACCOUNT.count
        or data.sent_to_within_hour(conn, "sms", user.phone) >= SMS_TO_NUMBER.count
    ):
        logger.info("SMS limit reached: no SMS", extra={"kind": items[0].kind})
        return None
    return _Message(data.reserve_message(conn, user.user_id, "sms", subjects, user.phone), user, items, [])


def _send_email(message: _Message) -> bool:
    """Sends a reserved email; its notifications are marked mailed, or, if it failed, stay waiting for the
    digest (and the reservation goes: it counts no more)."""
    user = message.user
    try:
        mail.send(user.email, user.username, user.user_id, message.items)
    except Exception:
        logger.exception("the email failed: its notifications wait for the digest", extra={"user_id": user.user_id})
        with db.transaction() as tx:
            data.release_message(tx.conn, message.reservation)
        return False
    with db.transaction() as tx:
        data.mark_emailed(tx.conn, message.notification_ids)
    return True


def _send_sms(message: _Message) -> None:
    user = message.user
    assert user.phone is not None
    try:
        mail.text(user.phone, message.items)
    except Exception:
        logger.exception("the SMS failed", extra={"user_id": user.user_id})
        with db.transaction() as tx:
            data.release_message(tx.conn, message.reservation)


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
    if event.slug is None or event.held:  # from before comments named their post's author; or told once approved
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
    """Whoever the post mentions is told, once per post (an edit does not tell them again). A retitled post's
    notifications follow its new slug."""
    if isinstance(event, UpdatePost):
        with db.transaction() as tx:
            data.relink_post(tx.conn, event.postId, event.slug)
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


def alert_title(alert: FiredAlert) -> str:
    if alert.condition is AlertCondition.ABOVE:
        return f"{alert.symbol} rose above {_usd(alert.threshold)} (now {_usd(alert.price)})"
    if alert.condition is AlertCondition.BELOW:
        return f"{alert.symbol} fell below {_usd(alert.threshold)} (now {_usd(alert.price)})"
    return f"{alert.symbol} moved {alert.change or 0:+.2f}% in 24 h (beyond ±{alert.threshold:g}%)"


def alerts_fired(event: PriceAlertsFired) -> None:
    """Each alert its own notification; one email and at most one SMS for all the user's alerts of the sync."""
    _tell(
        *(
            NewNotification(
                event.userId,
                NoticeKind.ALERT,
                alert_title(alert),
                f"/coins/{alert.coinId}",
                f"coin:{alert.coinId}",
                f"alert:{alert.alertId}:{event.syncId}",
            )
            for alert in event.alerts
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
    told = {event.authorId}
    approved = event.previousState == "held" and event.state == "public"
    if approved and event.postAuthorId is not None and event.postAuthorId not in told:
        # A held comment's post author was not told when it was written (comment_left): now, under that key.
        key = f"comment:{event.itemId}"
        _tell(NewNotification(event.postAuthorId, NoticeKind.COMMENT, "New comment on your post", link, subject, key))
        told.add(event.postAuthorId)
    for user_id in _mentioned(event.mentions, told):
        mention = f"You were mentioned in a {what}"
        _tell(NewNotification(user_id, NoticeKind.MENTION, mention, link, subject, f"mention:{event.itemId}"))


# The digest job.


def send_digests(until: float | None = None) -> int:
    """One email per user with notifications waiting whose subject was not mailed to them in the last hour, within
    the account's email limit; returns how many were sent. Users are taken in batches until all were seen or the
    time `until` (time.monotonic()) has come; a user whose email fails is logged and skipped (theirs wait for the
    next run), and the others go on."""
    sent, after = 0, None
    while True:
        with db.transaction() as tx:
            users = data.users_with_due_digests(tx.conn, after, DIGEST_BATCH)
        for user_id in users:
            if until is not None and time.monotonic() >= until:
                logger.info("digests stopped for lack of time", extra={"sent": sent})
                return sent
            sent += _send_digest(user_id)
        if len(users) < DIGEST_BATCH:
            return sent
        after = users[-1]


def _send_digest(user_id: uuid.UUID) -> bool:
    with db.transaction() as tx:
        user = data.lock_user(tx.conn, user_id)
        due = data.due_notifications(tx.conn, user_id) if user else []
        if user is None or not due:
            return False
        items = [mail.Item(NoticeKind(row.kind), row.title, row.link) for row in due]
        subjects = sorted({row.subject for row in due})
        message = _reserve_email(tx.conn, user, subjects, items, [row.id for row in due])
    return message is not None and _send_email(message)


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
                emailRequired=rules.email_required,
            )
            for kind, rules in KINDS.items()
        ],
        phoneVerified=phone is not None,
    )


def set_preferences(user_id: uuid.UUID, request: PreferencesRequest) -> Preferences:
    """SMS only for the kinds that offer it, with a verified phone; security emails stay on. A kind's email
    turned off also drops its notifications waiting for the digest."""
    with db.transaction() as tx:
        if data.lock_user(tx.conn, user_id) is None:  # choices change one after the other with _tell's
            raise ApiError(errors.USER_NOT_FOUND)
        choices = _choices(tx.conn, user_id)
        phone = data.phone_of(tx.conn, user_id)
        for change in request.preferences:
            rules = KINDS[change.kind]
            if change.sms and not (rules.sms_possible and phone):
                raise ApiError(errors.SMS_NOT_POSSIBLE)
            if change.email is False and rules.email_required:
                raise ApiError(errors.SECURITY_EMAIL_REQUIRED)
            now = choices[change.kind]
            _choose(
                tx.conn,
                user_id,
                change.kind,
                now.email if change.email is None else change.email,
                now.sms if change.sms is None else change.sms,
            )
    return preferences(user_id)


def _choose(conn: db.Connection, user_id: uuid.UUID, kind: NoticeKind, email: bool, sms: bool) -> None:
    data.set_preference(conn, user_id, kind, email, sms)
    if not email:
        data.clear_pending(conn, user_id, kind)


def unsubscribe(token: str) -> Unsubscribed:
    """The emails of one kind stop for the token's user, those waiting for the digest too; nothing else changes
    (SMS stays as chosen)."""
    from cryptotalks.credentials import tokens  # PyJWT: only the unsubscribe link pays for its import

    user_id, kind_name = tokens.read_unsubscribe_token(token)
    if kind_name not in NoticeKind.__members__.values() or KINDS[NoticeKind(kind_name)].email_required:
        raise ApiError(errors.INVALID_TOKEN)
    kind = NoticeKind(kind_name)
    with db.transaction() as tx:
        if data.lock_user(tx.conn, user_id) is None:
            raise ApiError(errors.USER_NOT_FOUND)
        _choose(tx.conn, user_id, kind, False, _choices(tx.conn, user_id)[kind].sms)
    return Unsubscribed(message="unsubscribed", kind=kind)
