"""The coin sync at 5,000 coins, upstream served by the local stand-in: fetching and parsing 50 pages, then the
write transaction (one upsert of every coin, market stats, sync record). Target: the database part ≤ 1 s.

    .venv/bin/python -m bench.crypto_sync   (BENCH_DATABASE_SERVER defaults to postgres@127.0.0.1:5432)
"""

from __future__ import annotations

import json
import time
from datetime import timedelta

from bench.crypto_common import COINS, market_with_coins, migrated_database, milliseconds

RUNS = 5


def main() -> None:
    with migrated_database(), market_with_coins() as market:
        from cryptotalks.crypto import sync
        from cryptotalks.crypto.market_data.coinranking import CoinsResponse

        # Parsing alone: the 50 answers as bytes, validated as the client validates them.
        pages = [
            json.dumps(
                market.answer(
                    "coinranking",
                    "/coins",
                    {"limit": "100", "offset": str(o)},
                    {"x-access-token": "stand-in-coinranking-key"},
                )[1]
            ).encode()
            for o in range(0, COINS, 100)
        ]
        parse = []
        for _ in range(RUNS):
            started = time.perf_counter()
            for page in pages:
                CoinsResponse.model_validate_json(page)
            parse.append(time.perf_counter() - started)

        first, fetch, write = None, [], []
        for run in range(RUNS):
            market.price_factor += 1  # every run changes every price
            outcome = sync.sync_coins(timedelta(hours=1), force=True)
            assert outcome.outcome == "success" and outcome.coins == COINS, outcome
            if run == 0:
                first = outcome
                continue
            fetch.append(outcome.seconds - outcome.database_seconds)
            write.append(outcome.database_seconds)
        assert first is not None
    print(f"coin sync, {COINS} coins, {RUNS} runs")
    print(f"  parse 50 pages (pydantic)       {milliseconds(parse)}")
    print(f"  first sync: fetch + parse       {(first.seconds - first.database_seconds) * 1000:7.2f} ms")
    print(f"  first sync: database (inserts)  {first.database_seconds * 1000:7.2f} ms")
    print(f"  next syncs: fetch + parse       {milliseconds(fetch)}")
    print(f"  next syncs: database (updates)  {milliseconds(write)}")


if __name__ == "__main__":
    main()
