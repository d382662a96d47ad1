"""Numbered SQL migrations, one folder per context (`<context>/migrations/NNN_name.sql`).

Each file runs in its own transaction and is recorded in `public.schema_migrations`; an advisory lock
keeps two processes (two cold starts, a deploy and a developer) from applying the same file twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cryptotalks import db

PACKAGE_ROOT = Path(__file__).parent
_LOCK_KEY = 7_231_004  # any constant shared by every process that migrates


@dataclass(frozen=True)
class Migration:
    context: str
    version: str
    path: Path


def available() -> list[Migration]:
    """Every context's migrations; a context's schema is named as its folder."""
    paths = sorted(PACKAGE_ROOT.glob("*/migrations/*.sql"))
    return [Migration(path.parent.parent.name, path.stem, path) for path in paths]


def schemas() -> list[str]:
    return sorted({m.context for m in available()})


def apply_all(conn: db.Connection) -> list[Migration]:
    """Apply what is not applied yet; returns what was applied."""
    applied_now = []
    conn.execute("SELECT pg_advisory_lock(%s)", (_LOCK_KEY,))
    try:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS public.schema_migrations ("
            " context text NOT NULL, version text NOT NULL,"
            " applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (context, version))"
        )
        done = {(r["context"], r["version"]) for r in conn.execute("SELECT * FROM public.schema_migrations")}
        for migration in available():
            if (migration.context, migration.version) in done:
                continue
            with conn.transaction():
                conn.execute(migration.path.read_text())
                conn.execute(
                    "INSERT INTO public.schema_migrations (context, version) VALUES (%s, %s)",
                    (migration.context, migration.version),
                )
            applied_now.append(migration)
    finally:
        conn.execute("SELECT pg_advisory_unlock(%s)", (_LOCK_KEY,))
    return applied_now
