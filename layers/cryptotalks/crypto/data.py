"""SQL of the crypto context (schema `crypto`)."""

from __future__ import annotations

import uuid

from cryptotalks.db import Connection


def create_favorite_list(conn: Connection, user_id: uuid.UUID) -> None:
    conn.execute("INSERT INTO crypto.favorite_lists (user_id) VALUES (%s) ON CONFLICT (user_id) DO NOTHING", (user_id,))
