"""The posts reads at forum size: p50 and p95 of list (newest first), list by tag, full-text search and
get-by-slug, as in-process calls of the API functions' handlers against PostgreSQL. For each it prints the SQL
statements one request sends and the `EXPLAIN (ANALYZE, BUFFERS)` of each. Target: p95 ≤ 20 ms, ≤ 3 statements
for list and get. Printed, not asserted.

    .venv/bin/python -m bench.posts_queries [--requests 300] [--database-url URL]

Without --database-url a throwaway database is made on BENCH_DATABASE_SERVER (default 127.0.0.1:5432), loaded
by bench.generate_posts_data (100,000 posts, 10,000 authors, 500,000 votes) and dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
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

from bench.generate_posts_data import SERVER, Sizes, generate, recreate_database


@dataclass
class Statements:
    """What the handlers send to PostgreSQL: counted and kept, by wrapping psycopg's cursor."""

    sent: list[tuple[Any, Any]]

    @contextmanager
    def recording(self) -> Iterator[None]:
        original = psycopg.Cursor.execute

        def execute(cursor: psycopg.Cursor[Any], query: Any, params: Any = None, **kwargs: Any) -> Any:
            self.sent.append((query, params))
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


def _percentile(ordered: list[float], share: float) -> float:
    return ordered[max(0, round(share * len(ordered)) - 1)]


SEARCHES = ("staking", "liquidation", "phishing", "cold storage", "hardware wallet", "whale", "oracle exploit")


def _scenarios(url: str) -> list[Scenario]:
    with psycopg.connect(url) as conn:
        slugs = [row[0] for row in conn.execute("SELECT slug FROM posts.posts ORDER BY random() LIMIT 2000")]
        tags = [row[0] for row in conn.execute("SELECT DISTINCT unnest(search_tags) FROM posts.posts")]
        matches = {
            words: conn.execute(
                "SELECT count(*) FROM posts.posts WHERE search_vector @@ websearch_to_tsquery('english', %s)",
                (words,),
            ).fetchone()
            for words in SEARCHES
        }

    def search(words: str) -> str:
        return f"/api/posts/list/0/20/DESC/createdAt?searchQuery={quote(words)}"

    return [
        Scenario("list newest first", [f"/api/posts/list/{page}/20/DESC/createdAt" for page in range(5)]),
        Scenario("list by tag", [f"/api/posts/list/0/20/DESC/createdAt?tags={tag}" for tag in tags]),
        Scenario("full-text search", [search(words) for words in SEARCHES]),
        Scenario("get by slug", [f"/api/posts/get/{slug}" for slug in slugs]),
        *(
            Scenario(f"  search {words!r} ({(matches[words] or (0,))[0]:,} matching posts)", [search(words)])
            for words in SEARCHES
        ),
    ]


def _explain(url: str, sent: list[tuple[Any, Any]]) -> None:
    with psycopg.connect(url) as conn:
        for query, params in sent:
            composed = sql.SQL("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ") + (
                query if isinstance(query, sql.Composable) else sql.SQL(query)
            )
            print("      " + composed.as_string(conn)[:300].replace("\n", " ") + " …")
            for (line,) in conn.execute(composed, params):
                print("        " + line)


def measure(url: str, requests: int, explain: bool) -> None:
    os.environ["DATABASE_URL"] = url
    from cryptotalks_dev.gateway import Gateway
    from cryptotalks_dev.lambda_context import LocalLambdaContext
    from functions import registry

    gateway = Gateway([d for d in registry.endpoints() if d.declaration.tag == "posts"], authorizer=None)
    rng = random.Random(11)
    statements = Statements([])

    def call(path: str) -> Callable[[], dict[str, Any]]:
        from cryptotalks_dev.gateway import proxy_event

        matched = gateway.match("GET", path.partition("?")[0])
        assert matched is not None, path
        route, parameters = matched
        event = proxy_event(route.endpoint, "GET", path.partition("?")[0], path.partition("?")[2], [], b"", parameters)
        context = LocalLambdaContext(route.declared.function_id)
        return lambda: route.handler(event, context)

    for scenario in _scenarios(url):
        calls = [call(path) for path in scenario.paths]
        for _ in range(20):  # warm: connection, prepared statements, caches
            rng.choice(calls)()
        timings, counts, rows = [], [], []
        for _ in range(requests):
            invoke = rng.choice(calls)
            statements.sent.clear()
            with statements.recording():
                started = time.perf_counter()
                answer = invoke()
                timings.append(time.perf_counter() - started)
            assert answer["statusCode"] == 200, answer["body"][:300]
            counts.append(len(statements.sent))
            rows.append(answer["body"].count('"slug"'))
        ordered = sorted(timings)
        print(
            f"{scenario.name:<18}\n    p50 {statistics.median(ordered) * 1000:6.2f} ms  p95 "
            f"{_percentile(ordered, 0.95) * 1000:6.2f} ms  max {ordered[-1] * 1000:6.2f} ms  (n={requests}; "
            f"statements per request: {min(counts)}-{max(counts)} + BEGIN/COMMIT; posts per answer: "
            f"{min(rows)}-{max(rows)})",
            flush=True,
        )
        if explain and not scenario.name.startswith(" "):
            example = scenario.paths[0]
            print(f"    EXPLAIN of {example}:")
            statements.sent.clear()
            with statements.recording():
                call(example)()
            _explain(url, list(statements.sent))
    _tag_selectivity(url)


def _tag_selectivity(url: str) -> None:
    """How many posts some tags have: what the list-by-tag figures stand on."""
    with psycopg.connect(url) as conn:
        counted = conn.execute(
            "SELECT tag, count(*) FROM posts.posts, unnest(search_tags) tag GROUP BY tag ORDER BY 2 DESC"
        ).fetchall()
    print("tags (posts each): " + ", ".join(f"{tag} {count:,}" for tag, count in counted))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=300, help="per scenario")
    parser.add_argument("--database-url", help="an already loaded database (bench.generate_posts_data)")
    parser.add_argument("--no-explain", action="store_true")
    args = parser.parse_args()
    if args.database_url:
        measure(args.database_url, args.requests, not args.no_explain)
        return
    name = f"cryptotalks_posts_bench_{secrets.token_hex(4)}"
    url = recreate_database(SERVER, name)
    try:
        started = time.perf_counter()
        generate(url, Sizes(), lambda line: print(line, flush=True))
        print(f"loaded in {time.perf_counter() - started:.0f} s\n", flush=True)
        measure(url, args.requests, not args.no_explain)
    finally:
        from cryptotalks import db

        db.close()
        with psycopg.connect(SERVER, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


if __name__ == "__main__":
    main()
