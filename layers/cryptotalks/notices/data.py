"""SQL of the notices context (schema `notices`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from psycopg import sql
from psycopg.rows import class_row

from cryptotalks.db import Connection

# The users projection.


def record_user(conn: Connection, user_id: uuid.UUID, username: str, email: str | None) -> None:
    """Adds the user, or renames them (an update_user_account carries no address: the known one stays)."""
    conn.execute(
        "INSERT INTO notices.users (user_id, username, email) VALUES (%s, %s, coalesce(%s, ''))"
        " ON CONFLICT (user_id) DO UPDATE SET username = EXCLUDED.username,"
        " email = coalesce(%s, notices.users.email)",
        (user_id, username, email, email),
    )


def record_contact(conn: Connection, user_id: uuid.UUID, email: str, phone: str | None) -> None:
    conn.execute("UPDATE notices.users SET email = %s, phone = %s WHERE user_id = %s", (email, phone, user_id))


def user_ids_by_username(conn: Connection, usernames: list[str]) -> list[uuid.UUID]:
    rows = conn.execute(
        "SELECT user_id FROM notices.users WHERE lower(username) = ANY(%s)", ([n.lower() for n in usernames],)
    ).fetchall()
    return [row["user_id"] for row in rows]


@dataclass(frozen=True)
class UserRow:
    """Who a user is and how to reach them."""

    user_id: uuid.UUID
    username: str
    email: str
    phone: str | None  # verified


def lock_user(conn: Connection, user_id: uuid.UUID) -> UserRow | None:
    """The user's row, locked: messages to one user are counted one after the other."""
    return (
        conn.cursor(row_factory=class_row(UserRow))
        .execute("SELECT user_id, username, email, phone FROM notices.users WHERE user_id = %s FOR UPDATE", (user_id,))
        .fetchone()
    )


def forget_user(conn: Connection, user_id: uuid.UUID) -> None:
    """The user and, by cascade, their notifications, preferences and sent messages."""
    conn.execute("DELETE FROM notices.users WHERE user_id = %s", (user_id,))


# Notifications.


@dataclass(frozen=True)
class NewNotification:
    user_id: uuid.UUID
    kind: str
    title: str
    link: str
    subject: str
    dedup_key: str


def add_notification(conn: Connection, new: NewNotification, email_pending: bool) -> uuid.UUID | None:
    """Its id, or None when it was made before (same key) or the user is unknown (a closed account)."""
    row = conn.execute(
        "INSERT INTO notices.notifications (user_id, kind, title, link, subject, dedup_key, email_pending)"
        " SELECT user_id, %s, %s, %s, %s, %s, %s FROM notices.users WHERE user_id = %s"
        " ON CONFLICT (user_id, dedup_key) DO NOTHING RETURNING id",
        (new.kind, new.title, new.link, new.subject, new.dedup_key, email_pending, new.user_id),
    ).fetchone()
    return row["id"] if row else None


def forget_subject(conn: Connection, subject: str) -> None:
    conn.execute("DELETE FROM notices.notifications WHERE subject = %s", (subject,))


def relink_post(conn: Connection, post_id: uuid.UUID, slug: str) -> int:
    """The post's notifications link to its slug `slug`, keeping their anchor (a comment); returns how many
    changed (none when they link there already)."""
    return conn.execute(
        "UPDATE notices.notifications SET link = %(link)s || coalesce(substring(link from '#.*$'), '')"
        " WHERE subject = %(subject)s AND split_part(link, '#', 1) <> %(link)s",
        {"link": f"/posts/{slug}", "subject": f"post:{post_id}"},
    ).rowcount


@dataclass(frozen=True)
class NotificationRow:
    """A notification as the API answers it (the fields of Notification)."""

    id: uuid.UUID
    kind: str
    title: str
    link: str
    createdAt: datetime
    read: bool


@dataclass(frozen=True)
class NotificationRows:
    rows: list[NotificationRow]
    total: int
    unread: int


def notification_page(conn: Connection, user_id: uuid.UUID, limit: int, offset: int) -> NotificationRows:
    """A page of the user's notifications with their counts, in one statement so that all come from one snapshot
    (under read committed, a notification committed between two statements was counted but not listed)."""
    found = conn.execute(
        'SELECT c.total, c.unread, n.id, n.kind, n.title, n.link, n."createdAt", n.read FROM'
        " (SELECT count(*) AS total, count(*) FILTER (WHERE read_at IS NULL) AS unread"
        "  FROM notices.notifications WHERE user_id = %(user)s) c"
        " LEFT JOIN LATERAL"
        ' (SELECT id, kind, title, link, created_at AS "createdAt", read_at IS NOT NULL AS read'
        "  FROM notices.notifications WHERE user_id = %(user)s ORDER BY created_at DESC, id LIMIT %(limit)s"
        "  OFFSET %(offset)s) n ON true",
        {"user": user_id, "limit": limit, "offset": offset},
    ).fetchall()
    rows = [
        NotificationRow(
            id=row["id"],
            kind=row["kind"],
            title=row["title"],
            link=row["link"],
            createdAt=row["createdAt"],
            read=row["read"],
        )
        for row in found
        if row["id"] is not None  # no notification on the page: the counts' row alone
    ]
    return NotificationRows(rows, int(found[0]["total"]), int(found[0]["unread"]))


def unread_count(conn: Connection, user_id: uuid.UUID) -> int:
    row = conn.execute(
        "SELECT count(*) AS unread FROM notices.notifications WHERE user_id = %s AND read_at IS NULL", (user_id,)
    ).fetchone()
    return int(row["unread"]) if row else 0


def mark_read(conn: Connection, user_id: uuid.UUID, ids: list[uuid.UUID] | None) -> None:
    """Read in the app: no longer worth an email."""
    conn.execute(
        "UPDATE notices.notifications SET read_at = now(), email_pending = false"
        " WHERE user_id = %s AND read_at IS NULL AND (%s::uuid[] IS NULL OR id = ANY(%s::uuid[]))",
        (user_id, ids, ids),
    )


def mark_emailed(conn: Connection, ids: list[uuid.UUID]) -> None:
    conn.execute(
        "UPDATE notices.notifications SET email_pending = false, emailed_at = now() WHERE id = ANY(%s)", (ids,)
    )


def clear_pending(conn: Connection, user_id: uuid.UUID, kind: str) -> None:
    """The user's notifications of `kind` waiting for an email will not be mailed (its emails were turned off)."""
    conn.execute(
        "UPDATE notices.notifications SET email_pending = false WHERE user_id = %s AND kind = %s AND email_pending",
        (user_id, kind),
    )


# Preferences.


@dataclass(frozen=True)
class Choice:
    """How a user is told of one kind of notification (besides in the app)."""

    email: bool
    sms: bool


def preferences(conn: Connection, user_id: uuid.UUID) -> dict[str, Choice]:
    """The user's choices that differ from the defaults, by kind."""
    rows = conn.execute("SELECT kind, email, sms FROM notices.preferences WHERE user_id = %s", (user_id,))
    return {row["kind"]: Choice(email=row["email"], sms=row["sms"]) for row in rows}


def set_preference(conn: Connection, user_id: uuid.UUID, kind: str, email: bool, sms: bool) -> None:
    conn.execute(
        "INSERT INTO notices.preferences (user_id, kind, email, sms) VALUES (%s, %s, %s, %s)"
        " ON CONFLICT (user_id, kind) DO UPDATE SET email = EXCLUDED.email, sms = EXCLUDED.sms",
        (user_id, kind, email, sms),
    )


def phone_of(conn: Connection, user_id: uuid.UUID) -> str | None:
    row = conn.execute("SELECT phone FROM notices.users WHERE user_id = %s", (user_id,)).fetchone()
    return row["phone"] if row else None


# Messages sent, and the digests due.


def sent_within_hour(conn: Connection, user_id: uuid.UUID, channel: str) -> int:
    row = conn.execute(
        "SELECT count(*) AS n FROM notices.messages_sent"
        " WHERE user_id = %s AND channel = %s AND sent_at > now() - interval '1 hour'",
        (user_id, channel),
    ).fetchone()
    return int(row["n"]) if row else 0


def lock_recipient(conn: Connection, channel: str, recipient: str) -> None:
    """Until the transaction ends: messages to one number (whichever account it is on) are counted one after the
    other."""
    conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (f"notices:{channel}:{recipient}",))


def sent_to_within_hour(conn: Connection, channel: str, recipient: str) -> int:
    row = conn.execute(
        "SELECT count(*) AS n FROM notices.messages_sent"
        " WHERE channel = %s AND recipient = %s AND sent_at > now() - interval '1 hour'",
        (channel, recipient),
    ).fetchone()
    return int(row["n"]) if row else 0


def reserve_message(conn: Connection, user_id: uuid.UUID, channel: str, subjects: list[str], recipient: str) -> int:
    """A message about to be sent, counted from now on (the caller holds the user's lock); its id."""
    row = conn.execute(
        "INSERT INTO notices.messages_sent (user_id, channel, subjects, recipient) VALUES (%s, %s, %s, %s)"
        " RETURNING id",
        (user_id, channel, subjects, recipient),
    ).fetchone()
    assert row is not None
    return int(row["id"])


def release_message(conn: Connection, message_id: int) -> None:
    """A reserved message that could not be sent: it no longer counts, and its subjects may be mailed again."""
    conn.execute("DELETE FROM notices.messages_sent WHERE id = %s", (message_id,))


_DUE = sql.SQL(
    "AND NOT EXISTS (SELECT 1 FROM notices.messages_sent m WHERE m.user_id = n.user_id AND m.channel = 'email'"
    " AND m.sent_at > now() - interval '1 hour' AND n.subject = ANY(m.subjects))"
)


def users_with_due_digests(conn: Connection, after: uuid.UUID | None, limit: int) -> list[uuid.UUID]:
    """Users with notifications waiting for email whose subject was not mailed to them in the last hour, in the
    order of their ids from `after` on (excluded): a run goes through them all once, whoever fails."""
    rows = conn.execute(
        sql.SQL(
            "SELECT DISTINCT n.user_id FROM notices.notifications n"
            " WHERE n.email_pending AND (%s::uuid IS NULL OR n.user_id > %s) {} ORDER BY n.user_id LIMIT %s"
        ).format(_DUE),
        (after, after, limit),
    ).fetchall()
    return [row["user_id"] for row in rows]


@dataclass(frozen=True)
class DueNotificationRow:
    id: uuid.UUID
    kind: str
    title: str
    link: str
    subject: str
    created_at: datetime


def due_notifications(conn: Connection, user_id: uuid.UUID) -> list[DueNotificationRow]:
    """The user's notifications due for the digest, oldest first (the caller holds the user's lock)."""
    return (
        conn.cursor(row_factory=class_row(DueNotificationRow))
        .execute(
            sql.SQL(
                "SELECT n.id, n.kind, n.title, n.link, n.subject, n.created_at FROM notices.notifications n"
                " WHERE n.user_id = %s AND n.email_pending {} ORDER BY n.created_at, n.id"
            ).format(_DUE),
            (user_id,),
        )
        .fetchall()
    )
