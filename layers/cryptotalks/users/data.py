"""SQL of the users context (schema `users`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from psycopg import sql
from psycopg.rows import class_row

from cryptotalks.db import Connection

if TYPE_CHECKING:
    from cryptotalks.users.models import UserProfile


# Rows are named tuples: ten times cheaper than frozen dataclasses to define at a cold start (posts.data).
class AccountRow(NamedTuple):
    """A user with its settings (a missing settings row reads as defaults)."""

    id: uuid.UUID
    email: str
    username: str
    role: str  # member, moderator or admin
    password_hash: str
    account_confirmed: bool
    avatar_uploaded_at: datetime | None
    first_name: str | None
    last_name: str | None
    twitter: str | None
    linked_in: str | None
    personal_website: str | None
    title: str | None
    bio: str | None
    created_at: datetime
    public_email: bool
    email_changed: bool
    password_changed: datetime | None
    two_fa_secret: str | None
    two_fa_last_step: int | None
    two_fa_pending_secret: str | None
    two_fa_pending_at: datetime | None
    phone: str | None
    phone_code_digest: str | None
    phone_code_phone: str | None
    phone_code_purpose: str | None
    phone_code_sent_at: datetime | None


class OneTimeSecretRow(NamedTuple):
    """An emailed secret's record (its digest only)."""

    id: uuid.UUID
    user_id: uuid.UUID
    confirmed: bool
    changing_email: str | None


def username_or_email_taken(conn: Connection, email: str, username: str) -> bool:
    row = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM users.users WHERE lower(email) = lower(%s) OR lower(username) = lower(%s))",
        (email, username),
    ).fetchone()
    return bool(row and row["exists"])


def insert_user(conn: Connection, user_id: uuid.UUID, fields: dict[str, Any]) -> None:
    conn.execute(
        "INSERT INTO users.users (id, email, username, password_hash, tac_accepted, first_name, last_name,"
        " twitter, linked_in, personal_website, title, bio)"
        " VALUES (%(id)s, %(email)s, %(username)s, %(password_hash)s, %(tac)s, %(firstName)s, %(lastName)s,"
        " %(twitter)s, %(linkedIn)s, %(personalWebsite)s, %(title)s, %(bio)s)",
        {"id": user_id, **fields},
    )


def insert_settings(conn: Connection, user_id: uuid.UUID, public_email: bool) -> None:
    conn.execute(
        "INSERT INTO users.settings (user_id, public_email) VALUES (%s, %s) ON CONFLICT (user_id) DO NOTHING",
        (user_id, public_email),
    )


def update_password_hash(conn: Connection, user_id: uuid.UUID, password_hash: str) -> None:
    conn.execute(
        "UPDATE users.users SET password_hash = %s, updated_at = now() WHERE id = %s",
        (password_hash, user_id),
    )


def insert_confirmation_hash(
    conn: Connection, user_id: uuid.UUID, digest: str, kind: str, changing_email: str | None = None
) -> None:
    conn.execute(
        "INSERT INTO users.confirmation_hashes (id, user_id, hash_digest, kind, changing_email)"
        " VALUES (%s, %s, %s, %s, %s)",
        (uuid.uuid4(), user_id, digest, kind, changing_email),
    )


def lock_confirmation_hash(conn: Connection, digest: str, kind: str) -> OneTimeSecretRow | None:
    return (
        conn.cursor(row_factory=class_row(OneTimeSecretRow))
        .execute(
            "SELECT id, user_id, confirmed, changing_email FROM users.confirmation_hashes"
            " WHERE hash_digest = %s AND kind = %s FOR UPDATE",
            (digest, kind),
        )
        .fetchone()
    )


def mark_hash_confirmed(conn: Connection, hash_id: uuid.UUID) -> None:
    conn.execute("UPDATE users.confirmation_hashes SET confirmed = true WHERE id = %s", (hash_id,))


def confirm_account(conn: Connection, user_id: uuid.UUID) -> None:
    conn.execute("UPDATE users.users SET account_confirmed = true, updated_at = now() WHERE id = %s", (user_id,))


def find_profile(conn: Connection, user_id: uuid.UUID) -> UserProfile | None:
    from cryptotalks.users.models import UserProfile  # the posts routes that ask for a role never load the models

    return (
        conn.cursor(row_factory=class_row(UserProfile))
        .execute(
            'SELECT id, email, username, first_name AS "firstName", last_name AS "lastName", twitter,'
            ' linked_in AS "linkedIn", personal_website AS "personalWebsite", title, bio,'
            ' created_at AS "createdAt", avatar_uploaded_at IS NOT NULL AS "isProfilePicPresent"'
            " FROM users.users WHERE id = %s",
            (user_id,),
        )
        .fetchone()
    )


def _find_account(conn: Connection, condition: sql.SQL, value: Any) -> AccountRow | None:
    """The user with its settings (a missing settings row reads as defaults), locked for the transaction.

    Locked first, read next: a statement that waits for the lock still reads the settings as they were when it
    began, so a request queued behind another would act on what that one has just changed (a used code, a
    changed password)."""
    locked = conn.execute(
        sql.SQL(
            "SELECT u.id FROM users.users u LEFT JOIN users.settings s ON s.user_id = u.id WHERE {} FOR UPDATE OF u"
        ).format(condition),
        (value,),
    ).fetchone()
    if locked is None:
        return None
    return (
        conn.cursor(row_factory=class_row(AccountRow))
        .execute(
            "SELECT u.id, u.email, u.username, u.role, u.password_hash, u.account_confirmed, u.avatar_uploaded_at,"
            " u.first_name, u.last_name, u.twitter, u.linked_in, u.personal_website, u.title, u.bio, u.created_at,"
            " coalesce(s.public_email, false) AS public_email, coalesce(s.email_changed, false) AS email_changed,"
            " s.password_changed, s.two_fa_secret, s.two_fa_last_step, s.two_fa_pending_secret, s.two_fa_pending_at,"
            " s.phone, s.phone_code_digest, s.phone_code_phone, s.phone_code_purpose, s.phone_code_sent_at"
            " FROM users.users u LEFT JOIN users.settings s ON s.user_id = u.id WHERE u.id = %s",
            (locked["id"],),
        )
        .fetchone()
    )


def find_account(conn: Connection, user_id: uuid.UUID) -> AccountRow | None:
    return _find_account(conn, sql.SQL("u.id = %s"), user_id)


def find_by_username(conn: Connection, username: str) -> AccountRow | None:
    return _find_account(conn, sql.SQL("lower(u.username) = lower(%s)"), username)


def find_by_email(conn: Connection, email: str) -> AccountRow | None:
    return _find_account(conn, sql.SQL("lower(u.email) = lower(%s)"), email)


def find_by_phone(conn: Connection, phone: str) -> AccountRow | None:
    return _find_account(conn, sql.SQL("s.phone = %s"), phone)


def email_taken(conn: Connection, email: str) -> bool:
    row = conn.execute("SELECT EXISTS (SELECT 1 FROM users.users WHERE lower(email) = lower(%s))", (email,)).fetchone()
    return bool(row and row["exists"])


def username_taken_by_other(conn: Connection, username: str, user_id: uuid.UUID) -> bool:
    row = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM users.users WHERE lower(username) = lower(%s) AND id <> %s)",
        (username, user_id),
    ).fetchone()
    return bool(row and row["exists"])


def update_settings(conn: Connection, user_id: uuid.UUID, **columns: Any) -> None:
    """Set the given settings columns (names come from this module's callers, never from requests)."""
    conn.execute("INSERT INTO users.settings (user_id) VALUES (%s) ON CONFLICT (user_id) DO NOTHING", (user_id,))
    assignments = sql.SQL(", ").join(
        sql.SQL("{} = {}").format(sql.Identifier(name), sql.Placeholder(name)) for name in columns
    )
    conn.execute(
        sql.SQL("UPDATE users.settings SET {}, updated_at = now() WHERE user_id = %(user_id)s").format(assignments),
        {**columns, "user_id": user_id},
    )


PROFILE_COLUMNS = {
    "username": "username",
    "firstName": "first_name",
    "lastName": "last_name",
    "title": "title",
    "bio": "bio",
    "twitter": "twitter",
    "linkedIn": "linked_in",
    "personalWebsite": "personal_website",
}


def update_profile(conn: Connection, user_id: uuid.UUID, fields: dict[str, Any]) -> None:
    """`fields` by their API names (keys of PROFILE_COLUMNS)."""
    assignments = sql.SQL(", ").join(
        sql.SQL("{} = {}").format(sql.Identifier(PROFILE_COLUMNS[name]), sql.Placeholder(name)) for name in fields
    )
    conn.execute(
        sql.SQL("UPDATE users.users SET {}, updated_at = now() WHERE id = %(user_id)s").format(assignments),
        {**fields, "user_id": user_id},
    )


def set_email(conn: Connection, user_id: uuid.UUID, email: str) -> None:
    conn.execute("UPDATE users.users SET email = %s, updated_at = now() WHERE id = %s", (email, user_id))


def set_avatar_uploaded(conn: Connection, user_id: uuid.UUID) -> None:
    conn.execute("UPDATE users.users SET avatar_uploaded_at = now() WHERE id = %s", (user_id,))


def find_role(conn: Connection, user_id: uuid.UUID) -> str | None:
    row = conn.execute("SELECT role FROM users.users WHERE id = %s", (user_id,)).fetchone()
    return row["role"] if row else None


class RoleRow(NamedTuple):
    id: uuid.UUID
    username: str
    role: str


def lock_role_by_username(conn: Connection, username: str) -> RoleRow | None:
    return (
        conn.cursor(row_factory=class_row(RoleRow))
        .execute(
            "SELECT id, username, role FROM users.users WHERE lower(username) = lower(%s) FOR NO KEY UPDATE",
            (username,),
        )
        .fetchone()
    )


def set_role(conn: Connection, user_id: uuid.UUID, role: str) -> None:
    conn.execute("UPDATE users.users SET role = %s, updated_at = now() WHERE id = %s", (role, user_id))


def delete_user(conn: Connection, user_id: uuid.UUID) -> None:
    """Settings, confirmation hashes and known clients go with it (ON DELETE CASCADE)."""
    conn.execute("DELETE FROM users.users WHERE id = %s", (user_id,))


@dataclass(frozen=True)
class BucketSpec:
    digest: str
    name: str
    count: int
    window_seconds: int
    then_every_seconds: int | None
    checked: bool


def take_places(conn: Connection, buckets: list[BucketSpec]) -> list[int] | str:
    """A place in each bucket (their row ids), or the name of the first full one (nothing is taken then).
    Buckets are locked in a fixed order for the rest of the transaction, so parallel takers queue up."""
    for digest in sorted({b.digest for b in buckets}):
        conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (digest,))
    for bucket in buckets:
        if not bucket.checked:
            continue
        row = conn.execute(
            "SELECT count(*) AS taken, coalesce(max(at) > now() - make_interval(secs => %s), true) AS recent"
            " FROM users.throttle WHERE bucket = %s AND at > now() - make_interval(secs => %s)",
            (bucket.then_every_seconds or 0, bucket.digest, bucket.window_seconds),
        ).fetchone()
        assert row is not None
        if row["taken"] >= bucket.count and (bucket.then_every_seconds is None or row["recent"]):
            return bucket.name
    conn.execute(
        "DELETE FROM users.throttle WHERE id IN (SELECT id FROM users.throttle"
        " WHERE at < now() - interval '1 day' LIMIT 100)"  # longer than any window
    )
    rows = conn.execute(
        "INSERT INTO users.throttle (bucket) SELECT unnest(%s::text[]) RETURNING id", ([b.digest for b in buckets],)
    ).fetchall()
    return [row["id"] for row in rows]


def free_places(conn: Connection, ids: list[int]) -> None:
    conn.execute("DELETE FROM users.throttle WHERE id = ANY(%s)", (ids,))


def is_known_client(conn: Connection, user_id: uuid.UUID, client: str) -> bool:
    row = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM users.known_clients WHERE user_id = %s AND client = %s)", (user_id, client)
    ).fetchone()
    return bool(row and row["exists"])


def has_known_clients(conn: Connection, user_id: uuid.UUID) -> bool:
    row = conn.execute("SELECT EXISTS (SELECT 1 FROM users.known_clients WHERE user_id = %s)", (user_id,)).fetchone()
    return bool(row and row["exists"])


def remember_client(conn: Connection, user_id: uuid.UUID, client: str) -> None:
    conn.execute(
        "INSERT INTO users.known_clients (user_id, client) VALUES (%s, %s)"
        " ON CONFLICT (user_id, client) DO UPDATE SET last_seen = now()",
        (user_id, client),
    )


def use_totp_step(conn: Connection, user_id: uuid.UUID, step: int) -> bool:
    """Remember the time step of an accepted code; False if that step (or a later one) was already used."""
    return (
        conn.execute(
            "UPDATE users.settings SET two_fa_last_step = %s WHERE user_id = %s"
            " AND (two_fa_last_step IS NULL OR two_fa_last_step < %s)",
            (step, user_id, step),
        ).rowcount
        == 1
    )


def use_sms_code(conn: Connection, user_id: uuid.UUID, digest: str, phone: str, max_age_seconds: int) -> bool:
    """Use up the user's SMS code if it is this one, sent to `phone`, young enough; False if not (or already used)."""
    return (
        conn.execute(
            "UPDATE users.settings SET phone_code_digest = NULL, phone_code_phone = NULL, phone_code_purpose = NULL,"
            " phone_code_sent_at = NULL, updated_at = now()"
            " WHERE user_id = %s AND phone_code_digest = %s AND phone_code_phone = %s"
            " AND phone_code_sent_at > now() - make_interval(secs => %s)",
            (user_id, digest, phone, max_age_seconds),
        ).rowcount
        == 1
    )


def lock_unused_hash(conn: Connection, digest: str, kind: str, max_age_seconds: int | None) -> OneTimeSecretRow | None:
    return (
        conn.cursor(row_factory=class_row(OneTimeSecretRow))
        .execute(
            "SELECT id, user_id, confirmed, changing_email FROM users.confirmation_hashes"
            " WHERE hash_digest = %s AND kind = %s AND NOT confirmed"
            " AND (%s::int IS NULL OR created_at > now() - make_interval(secs => %s::int))"
            " FOR UPDATE",
            (digest, kind, max_age_seconds, max_age_seconds),
        )
        .fetchone()
    )
