"""Coin list pages, searches and coin pages at 5,000 coins: the API functions' handlers called in-process with
API Gateway proxy events (routing, validation, SQL, serialisation). Target: p95 ≤ 10 ms.

Target (issue 14): deep pages and other orders within x2 of the first page by rank.

    .venv/bin/python -m bench.crypto_list   (BENCH_DATABASE_SERVER defaults to postgres@127.0.0.1:5432)
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from bench.crypto_common import COINS, market_with_coins, migrated_database, milliseconds
from bench.figures import record

CALLS = 400
ORDERS = ["rank", "name", "price", "marketCap", "change", "volume24h", "likes", "discussions24h"]
# The discussions crypto keeps (from posts' coin_mentions_changed): a busy day's posts, and older ones that no
# longer count but stay in the table.
POSTS_TODAY = 20_000
POSTS_BEFORE = 200_000
PREFIXES = ["b", "bit", "e", "eth", "usd", "Tether", "sol", "z", "doge 7", "x"]


def main() -> None:
    from moto import mock_aws

    with migrated_database(), market_with_coins(), mock_aws():
        from cryptotalks import db
        from cryptotalks.crypto import sync
        from cryptotalks_dev.aws import provision
        from cryptotalks_dev.gateway import proxy_event
        from cryptotalks_dev.lambda_context import LocalLambdaContext
        from functions import registry

        provision("cryptotalks")  # a coin page asks for its description through the bus
        assert sync.sync_coins(timedelta(hours=1), force=True).coins == COINS
        db.use_pool(max_size=2)
        coins = _coin_ids_and_a_fan()
        _discussions()
        routes = {d.declaration.path: d for d in registry.endpoints()}

        def call(path_template: str, path: str, parameters: dict[str, str]) -> Callable[[], None]:
            declared = routes[path_template]
            route, _, query = path.partition("?")
            event = proxy_event(declared.declaration.path, "GET", route, query, [], b"", parameters)
            context = LocalLambdaContext(declared.function_id)

            def run() -> None:
                answer: dict[str, Any] = declared.handler(event, context)
                assert answer["statusCode"] == 200, answer

            return run

        listing = "/api/crypto/list/{page}/{pageSize}/{order}/{orderBy}"
        favorites = "/api/crypto/list-favorites/{page}/{pageSize}/{order}/{orderBy}"

        def page_of(template: str, page: int, size: int, order: str, order_by: str, query: str = "") -> Any:
            path = template.format(page=page, pageSize=size, order=order, orderBy=order_by).split("?")[0] + query
            return call(template, path, {"page": str(page), "pageSize": str(size), "order": order, "orderBy": order_by})

        random.seed(7)
        scenarios: dict[str, list[Callable[[], None]]] = {
            "list: first page of 20 by rank": [page_of(listing, 0, 20, "asc", "rank")],
            "list: first page of 100 by rank": [page_of(listing, 0, 100, "asc", "rank")],
            "list: any page of 100, any order": [
                page_of(listing, random.randrange(50), 100, random.choice(["asc", "desc"]), random.choice(ORDERS))
                for _ in range(50)
            ],
            "list: last pages of 20 (offset ~5,000)": [page_of(listing, 249, 20, "desc", "marketCap")],
            "list: trending, first page of 20": [page_of(listing, 0, 20, "desc", "discussions24h")],
            "search: a prefix, 20 by rank": [
                page_of(listing, 0, 20, "asc", "rank", f"?searchQuery={prefix.replace(' ', '%20')}")
                for prefix in PREFIXES
            ],
            "get: one coin, anonymous": [
                call("/api/crypto/get/{uuid}", f"/api/crypto/get/{coin}", {"uuid": coin})
                for coin in random.sample(coins, 50)
            ],
            "list-favorites: 50 favourites by username": [page_of(favorites, 0, 50, "desc", "price", "?username=fan")],
        }
        print(f"API handlers in-process, {COINS} coins, {CALLS} calls each after warm-up")
        p95: dict[str, float] = {}
        for name, calls in scenarios.items():
            for run in calls:
                run()  # warm: imports, prepared statements, caches
            timings = []
            for index in range(CALLS):
                started = time.perf_counter()
                calls[index % len(calls)]()
                timings.append(time.perf_counter() - started)
            print(f"  {name:42s} {milliseconds(timings)}")
            p95[name] = sorted(timings)[max(0, round(0.95 * len(timings)) - 1)]
        # Each against the first page of its own size: a page's cost grows with its rows whatever the order.
        for name, first_name in (
            ("list: any page of 100, any order", "list: first page of 100 by rank"),
            ("list: last pages of 20 (offset ~5,000)", "list: first page of 20 by rank"),
            ("list: trending, first page of 20", "list: first page of 20 by rank"),
        ):
            first = p95[first_name]
            ratio = p95[name] / first
            detail = f"p95 {p95[name] * 1000:.2f} ms / first page {first * 1000:.2f} ms"
            record("crypto_list", f"{name[6:]} p95 / first page p95", ratio, "x", "<= x2", ratio <= 2, detail)


def _coin_ids_and_a_fan() -> list[str]:
    """Every coin id; and a user `fan` with 50 favourites, as the crypto context's projection knows them."""
    from cryptotalks import db

    with db.transaction() as tx:
        ids = [row["uuid"] for row in tx.conn.execute("SELECT uuid FROM crypto.coins").fetchall()]
        fan = uuid.uuid4()
        tx.conn.execute("INSERT INTO crypto.users (user_id, username) VALUES (%s, 'fan')", (fan,))
        tx.conn.execute("INSERT INTO crypto.favorite_lists (user_id) VALUES (%s)", (fan,))
        for coin in random.sample(ids, 50):
            tx.conn.execute("INSERT INTO crypto.favorites (user_id, coin_uuid) VALUES (%s, %s)", (fan, coin))
    return ids


def _discussions() -> None:
    """POSTS_TODAY posts of the last 24 hours and POSTS_BEFORE older ones, each naming one to three coins, most
    often the best-ranked (a coin of rank r is named about 1/r as often as the first)."""
    from cryptotalks import db

    with db.transaction() as tx:
        for posts, newest, spread in ((POSTS_TODAY, "1 minute", "23 hours"), (POSTS_BEFORE, "25 hours", "60 days")):
            tx.conn.execute(
                "INSERT INTO crypto.discussed_posts (post_id, posted_at, revision)"
                " SELECT gen_random_uuid(), now() - %s::interval - random() * %s::interval, 1"
                " FROM generate_series(1, %s)",
                (newest, spread, posts),
            )
        tx.conn.execute(
            "INSERT INTO crypto.discussions (post_id, coin_uuid, posted_at)"
            " SELECT named.post_id, c.uuid, named.posted_at FROM (SELECT p.post_id, p.posted_at,"
            " floor(exp(random() * ln(%s)))::int AS rank FROM crypto.discussed_posts p, generate_series(1, 3) n"
            " WHERE n = 1 OR random() < 0.5) named JOIN crypto.coins c ON c.rank = named.rank AND c.listed"
            " ON CONFLICT DO NOTHING",
            (COINS,),
        )
    with db.transaction() as tx:
        tx.conn.execute("ANALYZE crypto.discussions")
        tx.conn.execute("SELECT crypto.count_discussions()")  # as the consumer does after each change


if __name__ == "__main__":
    main()
