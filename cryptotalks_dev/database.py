"""The database of the local runtime: `DATABASE_URL` when set, else an embedded PostgreSQL in the data folder."""

from __future__ import annotations

import contextlib
import os
import warnings
from collections.abc import Iterator
from pathlib import Path

import psycopg

DATABASE_NAME = "cryptotalks"


@contextlib.contextmanager
def database(data_dir: Path) -> Iterator[str]:
    """Yields a connection URL; an embedded server started here is stopped on exit."""
    url = os.environ.get("DATABASE_URL")
    if url:
        yield url
        return
    # pgserver (the PostgreSQL binaries, shipped as a wheel) warns when XDG_RUNTIME_DIR is unset; it needs none.
    warnings.filterwarnings("ignore", category=UserWarning, module="platformdirs")
    import pgserver

    server = pgserver.get_server(data_dir / "postgres", cleanup_mode="stop")
    try:
        with psycopg.connect(server.get_uri(), autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE_NAME,)).fetchone()
            if not exists:
                conn.execute(f"CREATE DATABASE {DATABASE_NAME}")
        yield server.get_uri(DATABASE_NAME)
    finally:
        server.cleanup()
