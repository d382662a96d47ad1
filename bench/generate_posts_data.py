"""Loads a forum's worth of posts data into a database, fast: COPY, with the posts context's secondary indexes
built after the load, and progress as it goes.

Defaults: 10,000 authors, 100,000 posts, 500,000 post votes, 200,000 comments, 100,000 comment votes. Words,
tags and votes follow skewed (Zipf-like) distributions, so some words and tags are common and others rare.
Only the posts context's tables are filled (its `authors` projection stands for the users).

    .venv/bin/python -m bench.generate_posts_data [--server URL] [--name cryptotalks_posts_bench]

(re)creates that database on the server and keeps it; `bench.posts_queries` measures on it.
"""

from __future__ import annotations

import argparse
import os
import random
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from typing import Any

import psycopg
from psycopg.conninfo import make_conninfo

os.environ.setdefault("JWT_SECRET", "bench")  # the shared package reads its settings when first used

from cryptotalks import db, migrations
from cryptotalks.posts.data import SEARCH_WINDOW
from cryptotalks.posts.rules import slugify

SERVER = os.environ.get("BENCH_DATABASE_SERVER", "postgresql://postgres@127.0.0.1:5432/postgres")
Say = Callable[[str], None]

_COMMON_WORDS = (  # noqa: SIM905 (a word list reads best as text)
    "the of and to in is that for it on with as was at by this be are from or have not but an they which "
    "one you were all we when there can had more if will about so out up what their time market price "
    "coin coins token wallet chain block blocks network fee fees buy sell hold trade trading exchange "
    "bitcoin ethereum staking mining miner miners validator validators contract contracts gas layer "
    "rollup bridge liquidity pool yield risk security key keys seed phrase hardware cold storage custody "
    "regulation tax halving supply demand volatility bull bear rally crash dip bottom top chart support "
    "resistance volume whale whales airdrop nft defi dao governance vote proposal protocol upgrade fork "
    "node nodes peer consensus proof work stake hash hashrate difficulty reward rewards inflation "
    "scarcity stablecoin dollar peg collateral loan leverage liquidation oracle audit exploit hack scam "
    "phishing backup recovery privacy mixer lightning channel"
).split()
_TAGS = (  # noqa: SIM905 (a word list reads best as text)
    "bitcoin ethereum defi nft staking mining security wallets trading beginners regulation layer2 "
    "solana cardano polkadot stablecoins dao airdrops hardware privacy lightning taxes news analysis "
    "memes altcoins governance bridges oracles exchanges"
).split()


@dataclass(frozen=True)
class Sizes:
    users: int = 10_000
    posts: int = 100_000
    post_votes: int = 500_000
    comments: int = 200_000
    comment_votes: int = 100_000


class Zipf:
    """Picks items with weight 1/rank: the first are common, the tail is rare."""

    def __init__(self, items: Sequence[Any], exponent: float = 1.0) -> None:
        self.items = list(items)
        self.cumulative = list(accumulate(1 / (rank**exponent) for rank in range(1, len(self.items) + 1)))

    def pick(self, rng: random.Random, count: int) -> list[Any]:
        return rng.choices(self.items, cum_weights=self.cumulative, k=count)


def _vocabulary(rng: random.Random, size: int = 4000) -> list[str]:
    """Real words first (the common ones), then made-up words from syllables (the long tail)."""
    syllables = (  # noqa: SIM905 (a word list reads best as text)
        "ka lo mi ne ru sa ti vo ze bra cli dro fen gor hul jax kin lum mor nex pol qua rix sor tel"
    ).split()
    words = list(_COMMON_WORDS)
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 3)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


class Progress:
    def __init__(self, say: Say, what: str, total: int) -> None:
        self.say, self.what, self.total = say, what, total
        self.started = time.perf_counter()
        self.step = max(1, total // 10)
        self.reported = 0

    def tick(self, done: int) -> None:
        """Says how far it got at every tenth of the way and at the end."""
        if done == self.reported or (done - self.reported < self.step and done < self.total):
            return
        self.reported = done
        elapsed = time.perf_counter() - self.started
        self.say(f"  {self.what}: {done:>9,} / {self.total:,} ({100 * done // self.total:3d}%) {elapsed:6.1f} s")


def _copy(
    conn: psycopg.Connection[Any],
    say: Say,
    table: str,
    columns: str,
    types: list[str],
    rows: Iterable[tuple[Any, ...]],
    total: int,
) -> None:
    progress = Progress(say, table, total)
    with conn.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        copy.set_types(types)
        for done, row in enumerate(rows, start=1):
            copy.write_row(row)
            if done % 5000 == 0:
                progress.tick(done)
    progress.tick(total)


def _secondary_indexes(conn: psycopg.Connection[Any]) -> list[tuple[str, str]]:
    """The posts schema's indexes that no constraint owns: dropped for the load, rebuilt after it."""
    return conn.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i"
        " WHERE i.schemaname = 'posts' AND NOT EXISTS"
        " (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.connamespace = 'posts'::regnamespace)"
    ).fetchall()


def generate(url: str, sizes: Sizes, say: Say, seed: int = 7) -> None:
    rng = random.Random(seed)
    words = Zipf(_vocabulary(rng))
    tags = Zipf(_TAGS, exponent=0.8)
    now = datetime.now(UTC)
    span_seconds = 3 * 365 * 24 * 3600

    user_ids = [uuid.UUID(int=rng.getrandbits(128), version=4) for _ in range(sizes.users)]
    post_ids = [uuid.UUID(int=rng.getrandbits(128), version=4) for _ in range(sizes.posts)]
    say(f"Votes: {sizes.post_votes:,} on posts, {sizes.comment_votes:,} on comments (one per user and target)")
    # Some posts draw many more votes and comments than others, whatever their age.
    popularity = Zipf(rng.sample(range(sizes.posts), sizes.posts), exponent=0.6)
    post_votes: dict[tuple[int, int], str] = {}
    while len(post_votes) < sizes.post_votes:
        for post in popularity.pick(rng, sizes.post_votes - len(post_votes)):
            post_votes.setdefault((post, rng.randrange(sizes.users)), "+" if rng.random() < 0.7 else "-")
    rating = [0] * sizes.posts
    for (post, _), rate in post_votes.items():
        rating[post] += 1 if rate == "+" else -1
    comment_posts = popularity.pick(rng, sizes.comments)
    comment_count = [0] * sizes.posts
    for post in comment_posts:
        comment_count[post] += 1
    comment_votes: dict[tuple[int, int], str] = {}
    while len(comment_votes) < sizes.comment_votes:
        comment_votes.setdefault(
            (rng.randrange(sizes.comments), rng.randrange(sizes.users)), "+" if rng.random() < 0.6 else "-"
        )
    comment_rating = [0] * sizes.comments
    for (comment, _), rate in comment_votes.items():
        comment_rating[comment] += 1 if rate == "+" else -1
    created_at = sorted(now - timedelta(seconds=rng.randrange(span_seconds)) for _ in range(sizes.posts))

    def text(count: int) -> str:
        return " ".join(words.pick(rng, count))

    def post_rows() -> Iterable[tuple[Any, ...]]:
        for n, post_id in enumerate(post_ids):
            title = text(rng.randint(3, 8)).capitalize()
            paragraphs = [text(rng.randint(20, 60)).capitalize() + "." for _ in range(rng.randint(2, 5))]
            yield (
                post_id,
                rng.choice(user_ids),
                title,
                f"{slugify(title)}-{n:x}",
                text(rng.randint(8, 15)).capitalize(),
                paragraphs,
                sorted(set(tags.pick(rng, rng.randint(1, 4)))),
                rating[n],
                comment_count[n],
                created_at[n],
                created_at[n],
            )

    comment_ids = [uuid.UUID(int=rng.getrandbits(128), version=4) for _ in range(sizes.comments)]

    with psycopg.connect(url, autocommit=True) as conn:
        indexes = _secondary_indexes(conn)
        for name, _ in indexes:
            conn.execute(f"DROP INDEX posts.{name}")
        # The rows are made consistent here; checking each foreign key row by row would only slow the load.
        conn.execute("SET session_replication_role = replica")
        _copy(
            conn,
            say,
            "posts.authors",
            "user_id, username",
            ["uuid", "text"],
            ((user_id, f"user{n:05d}") for n, user_id in enumerate(user_ids)),
            sizes.users,
        )
        _copy(
            conn,
            say,
            "posts.posts",
            "id, user_id, title, slug, preview, content, search_tags, rating, comment_count, created_at, updated_at",
            ["uuid", "uuid", "text", "text", "text", "text[]", "text[]", "int4", "int4", "timestamptz", "timestamptz"],
            post_rows(),
            sizes.posts,
        )
        _copy(
            conn,
            say,
            "posts.post_votes",
            "post_id, user_id, rate, created_at",
            ["uuid", "uuid", "text", "timestamptz"],
            (
                (post_ids[post], user_ids[user], rate, created_at[post] + timedelta(minutes=user % 600))
                for (post, user), rate in post_votes.items()
            ),
            sizes.post_votes,
        )
        _copy(
            conn,
            say,
            "posts.comments",
            "id, post_id, user_id, payload, rating, created_at",
            ["uuid", "uuid", "uuid", "text", "int4", "timestamptz"],
            (
                (
                    comment_id,
                    post_ids[comment_posts[n]],
                    rng.choice(user_ids),
                    text(rng.randint(5, 40)),
                    comment_rating[n],
                    created_at[comment_posts[n]] + timedelta(minutes=n % 900),
                )
                for n, comment_id in enumerate(comment_ids)
            ),
            sizes.comments,
        )
        _copy(
            conn,
            say,
            "posts.comment_votes",
            "comment_id, user_id, rate",
            ["uuid", "uuid", "text"],
            ((comment_ids[comment], user_ids[user], rate) for (comment, user), rate in comment_votes.items()),
            sizes.comment_votes,
        )
        conn.execute("SET session_replication_role = DEFAULT")
        # The triggers that keep the counters were off with the foreign keys: count once, as they would have.
        conn.execute(
            "INSERT INTO posts.post_counts (tag, posts)"
            " SELECT tag, count(*) FROM posts.posts, unnest(search_tags || ''::text) tag GROUP BY tag"
        )
        # Likewise the search documents (posts.search_documents), which a trigger makes for each new post.
        conn.execute(
            "INSERT INTO posts.search_documents (post_id, created_at, document)"
            " SELECT id, created_at, posts.search_document(title, search_tags, content) FROM posts.posts"
        )
        conn.execute("SELECT posts.refresh_recent_search(%s)", (SEARCH_WINDOW,))
        say("  search documents made")
        for name, definition in indexes:
            started = time.perf_counter()
            conn.execute(definition)
            say(f"  index {name}: {time.perf_counter() - started:5.1f} s")
        conn.execute("VACUUM ANALYZE")
        say("  vacuumed and analysed")


def recreate_database(server: str, name: str) -> str:
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    url = make_conninfo(server, dbname=name)
    with db.connect(url) as conn:
        migrations.apply_all(conn)
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default=SERVER, help="a PostgreSQL server URL (its database is not touched)")
    parser.add_argument("--name", default="cryptotalks_posts_bench", help="the database to (re)create")
    parser.add_argument("--posts", type=int, default=Sizes.posts)
    args = parser.parse_args()
    sizes = Sizes(posts=args.posts, post_votes=args.posts * 5, comments=args.posts * 2, comment_votes=args.posts)
    started = time.perf_counter()
    url = recreate_database(args.server, args.name)
    generate(url, sizes, lambda line: print(line, flush=True))
    print(f"Loaded in {time.perf_counter() - started:.0f} s: {url}")


if __name__ == "__main__":
    main()
