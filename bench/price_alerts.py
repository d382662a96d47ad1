"""Price alerts: every alert evaluated against the synced prices in one statement (crypto.data.evaluate_alerts),
100,000 alerts over 5,000 coins, with every price moving between syncs (1-3 % an hour, a busy market) so that
alerts fire and re-arm. The first evaluation, which settles alerts whose condition already held when they were set,
is not counted: the figure is the hourly steady state. Target: well under a second (≤ 500 ms).

    .venv/bin/python -m bench.price_alerts   (BENCH_DATABASE_SERVER defaults to postgres@127.0.0.1:5432)
"""

from __future__ import annotations

import statistics
import time
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from bench.crypto_common import COINS, market_with_coins, migrated_database, milliseconds
from bench.figures import record

if TYPE_CHECKING:
    from cryptotalks.db import Connection

ALERTS = 100_000
RUNS = 7
TARGET_SECONDS = 0.5
# Each sync's prices, as factors of the recorded ones: up, the same, down, up again…
PRICE_MOVES = ("1.02", "1.02", "0.99", "1.01", "0.98", "1.0", "1.03")


def _alerts(conn: Connection) -> None:
    """ALERTS alerts of 10,000 users over the synced coins: above / below within ±25 % of the price, or a 24 h
    change beyond 1-20 %."""
    conn.execute(
        "INSERT INTO crypto.price_alerts (user_id, coin_uuid, condition, threshold)"
        " SELECT ('00000000-0000-0000-0000-' || lpad((n %% 10000)::text, 12, '0'))::uuid, c.uuid,"
        " (ARRAY['above', 'below', 'change'])[1 + n %% 3],"
        " CASE n %% 3 WHEN 2 THEN 1 + (n %% 20) ELSE c.price * (0.75 + (n %% 51) / 100.0) END"
        " FROM generate_series(1, %s) n"
        " JOIN (SELECT uuid, price, row_number() OVER (ORDER BY rank) - 1 AS i FROM crypto.coins"
        " WHERE price > 0) c ON c.i = n %% %s",
        (ALERTS, COINS),
    )
    conn.execute("ANALYZE crypto.price_alerts")


def main() -> None:
    with migrated_database(), market_with_coins():
        from cryptotalks import db
        from cryptotalks.crypto import data, sync

        assert sync.sync_coins(timedelta(hours=1), force=True).coins == COINS
        with db.transaction() as tx:
            _alerts(tx.conn)
            count = tx.conn.execute("SELECT count(*) AS n FROM crypto.price_alerts").fetchone()
        assert count and count["n"] == ALERTS, count
        with db.transaction() as tx:
            settled = len(data.evaluate_alerts(tx.conn, 999_999))
        seconds, fired, previous = [], [], Decimal(1)
        for sync_id, move in enumerate(PRICE_MOVES, start=1_000_000):
            with db.transaction() as tx:  # as a sync would store them
                tx.conn.execute("UPDATE crypto.coins SET price = price * %s", (Decimal(move) / previous,))
            previous = Decimal(move)
            with db.transaction() as tx:
                assert data.claim_evaluation(tx.conn, sync_id)
                started = time.perf_counter()
                fired.append(len(data.evaluate_alerts(tx.conn, sync_id)))
                seconds.append(time.perf_counter() - started)
    print(f"price alerts: {ALERTS} alerts over {COINS} coins, {len(PRICE_MOVES)} syncs")
    print(f"  evaluation (one statement)   {milliseconds(seconds)}")
    print(f"  settling evaluation fired    {settled} (not counted)")
    print(f"  fired per sync               {fired}")
    median = statistics.median(seconds)
    record(
        "price_alerts",
        f"evaluate {ALERTS // 1000}k alerts over {COINS:,} coins (median)",
        median * 1000,
        "ms",
        f"≤ {TARGET_SECONDS * 1000:.0f} ms",
        median <= TARGET_SECONDS,
        f"n={len(seconds)}, fired per sync {fired}",
    )


if __name__ == "__main__":
    main()
