"""SQL of the users context (schema `users`)."""

from __future__ import annotations

import uuid
from typing import Any

from cryptotalks.db import Connection


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


def find_credentials(conn: Connection, email: str) -> dict[str, Any] | None:
    return conn.execute(
        "SELECT id, email, password_hash, account_confirmed FROM users.users WHERE lower(email) = lower(%s)",
        (email,),
    ).fetchone()


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


def lock_confirmation_hash(conn: Connection, digest: str, kind: str) -> dict[str, Any] | None:
    return conn.execute(
        "SELECT id, user_id, confirmed, changing_email FROM users.confirmation_hashes"
        " WHERE hash_digest = %s AND kind = %s FOR UPDATE",
        (digest, kind),
    ).fetchone()


def mark_hash_confirmed(conn: Connection, hash_id: uuid.UUID) -> None:
    conn.execute("UPDATE users.confirmation_hashes SET confirmed = true WHERE id = %s", (hash_id,))


def confirm_account(conn: Connection, user_id: uuid.UUID) -> None:
    conn.execute("UPDATE users.users SET account_confirmed = true, updated_at = now() WHERE id = %s", (user_id,))


def find_profile(conn: Connection, user_id: uuid.UUID) -> dict[str, Any] | None:
    return conn.execute(
        'SELECT id, email, username, first_name AS "firstName", last_name AS "lastName", twitter,'
        ' linked_in AS "linkedIn", personal_website AS "personalWebsite", title, bio,'
        ' created_at AS "createdAt" FROM users.users WHERE id = %s',
        (user_id,),
    ).fetchone()
