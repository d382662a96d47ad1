"""`cryptotalks seed` as a developer runs it: a subprocess on a fresh database, twice."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import psycopg

from tests.support import repo_root


def _seed(database_url: str, data_dir: Path) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SENDGRID_", "JWT_"))}
    env.update(DATABASE_URL=database_url, PYTHONUNBUFFERED="1")
    finished = subprocess.run(
        [sys.executable, "-m", "cryptotalks_dev.cli", "seed", "--data-dir", str(data_dir)],
        cwd=repo_root(),
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert finished.returncode == 0, finished.stdout[-3000:] + finished.stderr[-3000:]
    return finished.stdout


def test_seed_loads_a_living_forum_once(fresh_database: Any, tmp_path: Path) -> None:
    url = fresh_database()
    first = _seed(url, tmp_path)
    assert "[5/5] account DefiDora: signed up and confirmed" in first
    assert "[6/6] post 'A glossary for my parents': written" in first
    assert "password 'Demo-passw0rd!'" in first and "hodlhelga@demo.cryptotalks.dev" in first

    again = _seed(url, tmp_path)
    assert again.count("already there") == 11

    with psycopg.connect(url) as conn:
        counts = conn.execute(
            "SELECT (SELECT count(*) FROM users.users WHERE account_confirmed),"
            " (SELECT count(*) FROM posts.authors), (SELECT count(*) FROM posts.posts),"
            " (SELECT count(*) FROM posts.comments), (SELECT count(*) FROM posts.post_votes),"
            " (SELECT count(*) FROM posts.comment_votes)"
        ).fetchone()
    assert counts == (5, 5, 6, 8, 15, 5)
