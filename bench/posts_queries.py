"""The posts reads at forum size, at 100,000 and 1,000,000 posts: p50 and p95 of list (newest first), list by tag,
full-text search (rare words, two-word ANDs, a phrase, a word most posts have) and get-by-slug, as in-process calls
of the API functions' handlers against PostgreSQL. Each size prints the SQL statements one request sends with the
`EXPLAIN (ANALYZE, BUFFERS)` of each; then the search cases side by side, with the buffers each reads (what the
query costs whatever the machine's load), and the handlers against their bare SQL.

Targets (issue 14): each search case at 1M posts within x1.5 of its figure at 100k, and p95 ≤ 15 ms at 1M on a
quiet machine; a handler's p50 within x1.3 of its bare SQL's (list, get by slug); ≤ 3 statements for list and
get. Printed, not asserted. The handlers' time is also told apart: their framework floor (the same declaration,
Powertools resolver, validation, reader and answer serialisation, with a function that answers a kept answer at
once), their SQL, and the rest (rows into answers).

    .venv/bin/python -m bench.posts_queries [--sizes 100000,1000000] [--requests 300] [--database-url URL ...]

Without --database-url, a throwaway database per size is made on BENCH_DATABASE_SERVER (default 127.0.0.1:5432),
loaded by bench.generate_posts_data (per 100,000 posts: 10,000 authors, 500,000 votes) and dropped at the end.
With it (repeatable), already loaded databases are measured, labelled by their number of posts.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from functools import wraps
from typing import Any
from urllib.parse import quote

os.environ.update(
    {
        "POWERTOOLS_SERVICE_NAME": "cryptotalks-bench",
        "POWERTOOLS_METRICS_DISABLED": "true",
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_LOG_LEVEL": "ERROR",
        "JWT_SECRET": secrets.token_urlsafe(48),
    }
)

import psycopg
from psycopg import sql
from psycopg.pq import TransactionStatus

from bench.figures import record
from bench.generate_posts_data import SERVER, Sizes, generate, recreate_database

BENCHMARK = "posts_queries"
DEFAULT_SIZES = (100_000, 1_000_000)
# The same queries at every size: the generator's words keep their share of the posts whatever the size (shares
# below are at 100,000 posts). No single word of its vocabulary is in fewer than 0.35% of the posts, so the rarest
# cases AND two words of its tail.
SEARCH_CASES = {
    "rare two-word AND (0.001%)": "sabralo tidrosor",
    "rare two-word AND (0.08%)": "kinlum gorvo",
    "rarest word (0.36%)": "sabralo",
    "two-word AND 'oracle exploit' (1.5%)": "oracle exploit",
    "two-word AND 'cold storage' (3%)": "cold storage",
    "two-word AND 'hardware wallet' (7%)": "hardware wallet",
    "phrase '\"cold storage\"' (0.03%)": '"cold storage"',
    "commonest word 'bitcoin' (52%)": "bitcoin",
    "four words ORed (91%)": "bitcoin or coin or block or trade",
}
HANDLER_CASES = ("list newest first", "get by slug")


@dataclass
class Statements:
    """What the handlers send to PostgreSQL: counted and kept, by wrapping psycopg's cursor."""

    sent: list[tuple[Any, Any, dict[str, Any]]]
    in_transaction: bool = False  # whether the handler sent them inside BEGIN … COMMIT

    @contextmanager
    def recording(self) -> Iterator[None]:
        original = psycopg.Cursor.execute

        def execute(cursor: psycopg.Cursor[Any], query: Any, params: Any = None, **kwargs: Any) -> Any:
            self.sent.append((query, params, kwargs))
            self.in_transaction = cursor.connection.info.transaction_status == TransactionStatus.INTRANS
            return original(cursor, query, params, **kwargs)

        psycopg.Cursor.execute = execute  # type: ignore[method-assign,assignment]
        try:
            yield
        finally:
            psycopg.Cursor.execute = original  # type: ignore[method-assign]


@dataclass(frozen=True)
class Scenario:
    name: str
    paths: list[str]  # one is picked per request
    search: str | None = None


@dataclass
class Measured:
    """One scenario at one size."""

    p50: float
    p95: float
    matches: int | None = None
    buffers: int | None = None  # shared buffers (hit + read) of its statements, from EXPLAIN (ANALYZE, BUFFERS)
    extra: dict[str, float] = field(default_factory=dict)


def _percentile(ordered: list[float], share: float) -> float:
    return ordered[max(0, round(share * len(ordered)) - 1)]


def _search_path(words: str) -> str:
    return f"/api/posts/list/0/20/DESC/createdAt?searchQuery={quote(words)}"


def _scenarios(url: str) -> list[Scenario]:
    with psycopg.connect(url) as conn:
        slugs = [row[0] for row in conn.execute("SELECT slug FROM posts.posts ORDER BY random() LIMIT 2000")]
        tags = [row[0] for row in conn.execute("SELECT tag FROM posts.post_counts WHERE tag <> ''")]
    return [
        Scenario("list newest first", [f"/api/posts/list/{page}/20/DESC/createdAt" for page in range(5)]),
        Scenario("list by tag", [f"/api/posts/list/0/20/DESC/createdAt?tags={tag}" for tag in tags]),
        Scenario("get by slug", [f"/api/posts/get/{slug}" for slug in slugs]),
        *(Scenario(f"search: {case}", [_search_path(words)], words) for case, words in SEARCH_CASES.items()),
    ]


def _matches(url: str, words: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT count(*) FROM posts.search_documents WHERE document @@ websearch_to_tsquery('english', %s)",
            (words,),
        ).fetchone()
    return int(row[0]) if row else 0


def _explain(url: str, sent: list[tuple[Any, Any, dict[str, Any]]], show: bool) -> int:
    """Prints (when `show`) each statement's plan; returns the shared buffers they touched in all."""
    buffers = 0
    with psycopg.connect(url) as conn:
        for query, params, _ in sent:
            composed = sql.SQL("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ") + (
                query
                if isinstance(query, sql.Composable)
                else sql.SQL(query.decode() if isinstance(query, bytes) else query)
            )
            lines = [line for (line,) in conn.execute(composed, params)]
            top = next((line for line in lines if line.strip().startswith("Buffers:")), "")
            buffers += sum(int(n) for n in _shared_counts(top))
            if show:
                print("      " + composed.as_string(conn)[:300].replace("\n", " ") + " …")
                for line in lines:
                    print("        " + line)
    return buffers


def _shared_counts(buffers_line: str) -> list[str]:
    """`Buffers: shared hit=12 read=3 dirtied=1` → ["12", "3"] (hit and read)."""
    shared = buffers_line.split("shared", 1)[1].split(",")[0] if "shared" in buffers_line else ""
    return [part.split("=")[1] for part in shared.split() if part.startswith(("hit=", "read="))]


def measure(url: str, requests: int, explain: bool) -> dict[str, Measured]:
    os.environ["DATABASE_URL"] = url
    from cryptotalks import db
    from cryptotalks.config import settings
    from cryptotalks_dev.gateway import Gateway, proxy_event
    from cryptotalks_dev.lambda_context import LocalLambdaContext
    from functions import registry

    settings.cache_clear()  # a new database: the handlers read its URL and open their connection again
    db.close()
    gateway = Gateway([d for d in registry.endpoints() if d.declaration.tag == "posts"], authorizer=None)
    rng = random.Random(11)
    statements = Statements([])
    figures: dict[str, Measured] = {}
    bare = psycopg.connect(url, autocommit=True)

    def request(path: str) -> tuple[Any, dict[str, Any], LocalLambdaContext]:
        """The route that answers GET `path`, the event the local gateway makes for it and its function's context."""
        route_path, _, query = path.partition("?")
        matched = gateway.match("GET", route_path)
        assert matched is not None, path
        route, parameters = matched
        event = proxy_event(route.path, "GET", route_path, query, [], b"", parameters)
        return route, event, LocalLambdaContext(route.declared.function_id)

    def call(path: str) -> Callable[[], dict[str, Any]]:
        route, event, context = request(path)
        return lambda: route.handler(event, context)

    def framework_floor(path: str) -> Callable[[], dict[str, Any]]:
        """The route's declaration again, its function answering what the real one answered for `path` at once."""
        route, event, context = request(path)
        real = route.declared.declaration
        assert real.function is not None
        kept: list[Any] = []

        @wraps(real.function)  # the same signature: the same validation and dependencies
        def answer_kept(*args: Any, **kwargs: Any) -> Any:
            if not kept:
                kept.append(real.function(*args, **kwargs))  # type: ignore[misc]
            return kept[0]

        floor = replace(real, function=None, _resolver=None)
        floor.route(answer_kept)
        handler = floor.lambda_handler
        return lambda: handler(event, context)

    def bare_sql(
        sent: list[tuple[Any, Any, dict[str, Any]]], in_transaction: bool, planned_each_time: bool = False
    ) -> float:
        """The same statements on a plain connection, in a transaction when the handler sent them in one: with the
        handler's prepare choice, or planned on every call as before prepared statements (`planned_each_time`)."""
        started = time.perf_counter()
        with bare.transaction() if in_transaction else nullcontext():
            for query, params, kwargs in sent:
                bare.execute(query, params, **({"prepare": False} if planned_each_time else kwargs)).fetchall()
        return time.perf_counter() - started

    for scenario in _scenarios(url):
        calls = [call(path) for path in scenario.paths]
        for _ in range(20):  # warm: connection, prepared statements, caches
            rng.choice(calls)()
        timings, sql_timings, unprepared_timings, counts, rows = [], [], [], [], []
        for _ in range(requests):
            invoke = rng.choice(calls)
            invoke()  # its pages read once, as they are when its SQL is replayed after it
            statements.sent.clear()
            with statements.recording():
                started = time.perf_counter()
                answer = invoke()
                timings.append(time.perf_counter() - started)
            assert answer["statusCode"] == 200, answer["body"][:300]
            counts.append(len(statements.sent))
            rows.append(answer["body"].count('"slug"'))
            sent, in_transaction = list(statements.sent), statements.in_transaction
            sql_timings.append(bare_sql(sent, in_transaction))
            unprepared_timings.append(bare_sql(sent, in_transaction, planned_each_time=True))
        ordered, sql_ordered = sorted(timings), sorted(sql_timings)
        measured = Measured(statistics.median(ordered), _percentile(ordered, 0.95))
        measured.extra["sql_p50"] = statistics.median(sql_ordered)
        measured.extra["unprepared_sql_p50"] = statistics.median(unprepared_timings)
        if scenario.name in HANDLER_CASES:
            floor = framework_floor(scenario.paths[0])
            floor()
            floor_timings = []
            for _ in range(requests):
                started = time.perf_counter()
                floor()
                floor_timings.append(time.perf_counter() - started)
            measured.extra["floor_p50"] = statistics.median(floor_timings)
        statements.sent.clear()
        with statements.recording():
            call(scenario.paths[0])()
        transaction = " + BEGIN/COMMIT" if statements.in_transaction else " (no BEGIN/COMMIT)"
        measured.buffers = _explain(url, list(statements.sent), explain and scenario.search is None)
        if scenario.search is not None:
            measured.matches = _matches(url, scenario.search)
        figures[scenario.name] = measured
        print(
            f"{scenario.name:<40} p50 {measured.p50 * 1000:6.2f} ms  p95 {measured.p95 * 1000:6.2f} ms"
            f"  max {ordered[-1] * 1000:6.2f} ms  bare SQL p50 {measured.extra['sql_p50'] * 1000:6.2f} ms"
            f" (planned each time {measured.extra['unprepared_sql_p50'] * 1000:6.2f} ms)"
            f"  buffers {measured.buffers:,}"
            + (f"  matches {measured.matches:,}" if measured.matches is not None else "")
            + f"  (n={requests}; statements per request: {min(counts)}-{max(counts)}{transaction};"
            f" posts per answer: {min(rows)}-{max(rows)})",
            flush=True,
        )
    bare.close()
    db.close()
    return figures


def _posts(url: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT posts FROM posts.post_counts WHERE tag = ''").fetchone()
    return int(row[0]) if row else 0


def compare(by_size: dict[int, dict[str, Measured]]) -> None:
    """The search cases side by side (largest size against smallest), then handler against bare SQL."""
    sizes = sorted(by_size)
    small, large = sizes[0], sizes[-1]
    print(f"\nSearch at {small:,} and {large:,} posts (p95; buffers = shared hit + read of its statements):")
    print(f"  {'case':<40} {'matches':>17} {'p95 ms':>17} {'ratio':>6} {'buffers':>19}")
    for name, at_large in by_size[large].items():
        if not name.startswith("search: "):
            continue
        at_small = by_size[small][name]
        ratio = at_large.p95 / at_small.p95
        print(
            f"  {name[8:]:<40} {at_small.matches or 0:>8,} {at_large.matches or 0:>8,}"
            f" {at_small.p95 * 1000:>8.2f} {at_large.p95 * 1000:>8.2f} x{ratio:>4.1f}"
            f" {at_small.buffers or 0:>9,} {at_large.buffers or 0:>9,}"
        )
        if small != large:
            record(
                BENCHMARK,
                f"search {name[8:]}: p95 at {large:,} / at {small:,} posts",
                ratio,
                "x",
                "≤ x1.5",
                ratio <= 1.5,
                f"{at_small.p95 * 1000:.1f} → {at_large.p95 * 1000:.1f} ms; buffers {at_small.buffers:,} →"
                f" {at_large.buffers:,}; matches {at_small.matches:,} → {at_large.matches:,}",
            )
        record(
            BENCHMARK,
            f"search {name[8:]}: p95 at {large:,} posts",
            at_large.p95 * 1000,
            "ms",
            "≤ 15 ms (quiet machine)",
            at_large.p95 * 1000 <= 15,
            f"p50 {at_large.p50 * 1000:.1f} ms; {at_large.buffers:,} buffers; {at_large.matches:,} matches",
        )
    print(f"\nHandler against its bare SQL at {large:,} posts (p50; the same statements, replayed):")
    for name in HANDLER_CASES:
        measured = by_size[large][name]
        sql_p50, floor_p50 = measured.extra["sql_p50"], measured.extra["floor_p50"]
        ratio = measured.p50 / sql_p50
        unprepared = measured.extra["unprepared_sql_p50"]
        print(
            f"  {name:<20} {measured.p50 * 1000:6.2f} ms / {sql_p50 * 1000:6.2f} ms = x{ratio:.2f}"
            f"  (its SQL planned on every call: {unprepared * 1000:6.2f} ms; framework floor {floor_p50 * 1000:6.2f} ms"
            f", rows into answers {(measured.p50 - floor_p50 - sql_p50) * 1000:6.2f} ms)"
        )
        record(
            BENCHMARK,
            f"{name}: handler p50 / its bare SQL p50, {large:,} posts",
            ratio,
            "x",
            "≤ x1.3",
            ratio <= 1.3,
            f"{measured.p50 * 1000:.2f} ms / {sql_p50 * 1000:.2f} ms; SQL planned on every call"
            f" {unprepared * 1000:.2f} ms; framework floor {floor_p50 * 1000:.2f} ms",
        )
        floor_ratio = (floor_p50 + sql_p50) / sql_p50
        record(
            BENCHMARK,
            f"{name}: (framework floor + bare SQL) p50 / bare SQL p50, {large:,} posts",
            floor_ratio,
            "x",
            "the best handler / SQL ratio this framework allows",
            None,
            f"floor {floor_p50 * 1000:.2f} ms + SQL {sql_p50 * 1000:.2f} ms; the handler spends"
            f" {(measured.p50 - floor_p50 - sql_p50) * 1000:.2f} ms more (rows into answers)",
        )


def _tag_selectivity(url: str) -> None:
    """How many posts some tags have: what the list-by-tag figures stand on."""
    with psycopg.connect(url) as conn:
        counted = conn.execute("SELECT tag, posts FROM posts.post_counts WHERE tag <> '' ORDER BY 2 DESC").fetchall()
    print("tags (posts each): " + ", ".join(f"{tag} {count:,}" for tag, count in counted))


def _measure_size(url: str, requests: int, explain: bool) -> tuple[int, dict[str, Measured]]:
    posts = _posts(url)
    print(f"\n=== {posts:,} posts", flush=True)
    figures = measure(url, requests, explain)
    _tag_selectivity(url)
    return posts, figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=300, help="per scenario")
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="posts per throwaway database")
    parser.add_argument("--database-url", action="append", help="an already loaded database (repeatable)")
    parser.add_argument("--no-explain", action="store_true")
    args = parser.parse_args()
    by_size: dict[int, dict[str, Measured]] = {}
    for url in args.database_url or []:
        posts, figures = _measure_size(url, args.requests, not args.no_explain)
        by_size[posts] = figures
    for posts in [] if args.database_url else [int(size) for size in args.sizes.split(",")]:
        name = f"cryptotalks_posts_bench_{secrets.token_hex(4)}"
        url = recreate_database(SERVER, name)
        try:
            started = time.perf_counter()
            sizes = Sizes(posts=posts, post_votes=posts * 5, comments=posts * 2, comment_votes=posts)
            generate(url, sizes, lambda line: print(line, flush=True))
            print(f"loaded in {time.perf_counter() - started:.0f} s", flush=True)
            by_size[posts] = _measure_size(url, args.requests, not args.no_explain)[1]
        finally:
            with psycopg.connect(SERVER, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    compare(by_size)


if __name__ == "__main__":
    main()
