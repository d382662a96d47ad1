"""SQL of the auth context (schema `auth`)."""

from __future__ import annotations

import uuid
from typing import NamedTuple

from psycopg.rows import class_row

from cryptotalks.db import Connection


def insert_session(
    conn: Connection, session_id: uuid.UUID, user_id: uuid.UUID, token_id: uuid.UUID, ttl_seconds: int
) -> None:
    conn.execute(
        "INSERT INTO auth.sessions (id, user_id, token_id, expires_at)"
        " VALUES (%s, %s, %s, now() + make_interval(secs => %s))",
        (session_id, user_id, token_id, ttl_seconds),
    )


# Rows are named tuples: ten times cheaper than frozen dataclasses to define at a cold start (posts.data).
class LiveSessionRow(NamedTuple):
    id: uuid.UUID
    user_id: uuid.UUID
    token_id: uuid.UUID  # the refresh token the session last handed out


def lock_live_session(conn: Connection, session_id: uuid.UUID) -> LiveSessionRow | None:
    return (
        conn.cursor(row_factory=class_row(LiveSessionRow))
        .execute(
            "SELECT id, user_id, token_id FROM auth.sessions"
            " WHERE id = %s AND revoked_at IS NULL AND expires_at > now() FOR UPDATE",
            (session_id,),
        )
        .fetchone()
    )


def rotate(conn: Connection, session_id: uuid.UUID, token_id: uuid.UUID, ttl_seconds: int) -> None:
    conn.execute(
        "UPDATE auth.sessions SET token_id = %s, rotated_at = now(),"
        " expires_at = now() + make_interval(secs => %s) WHERE id = %s",
        (token_id, ttl_seconds, session_id),
    )


def revoke(conn: Connection, session_id: uuid.UUID) -> None:
    conn.execute("UPDATE auth.sessions SET revoked_at = now() WHERE id = %s AND revoked_at IS NULL", (session_id,))


def revoke_all(conn: Connection, user_id: uuid.UUID) -> None:
    conn.execute("UPDATE auth.sessions SET revoked_at = now() WHERE user_id = %s AND revoked_at IS NULL", (user_id,))


def revoke_others(conn: Connection, user_id: uuid.UUID, keep: uuid.UUID) -> None:
    conn.execute(
        "UPDATE auth.sessions SET revoked_at = now() WHERE user_id = %s AND id <> %s AND revoked_at IS NULL",
        (user_id, keep),
    )


def signed_in_within(conn: Connection, session_id: uuid.UUID, seconds: int) -> bool:
    row = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM auth.sessions WHERE id = %s AND created_at > now() - make_interval(secs => %s))",
        (session_id, seconds),
    ).fetchone()
    return bool(row and row["exists"])


def is_live(conn: Connection, session_id: uuid.UUID, user_id: uuid.UUID) -> bool:
    row = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM auth.sessions WHERE id = %s AND user_id = %s"
        " AND revoked_at IS NULL AND expires_at > now())",
        (session_id, user_id),
    ).fetchone()
    return bool(row and row["exists"])
