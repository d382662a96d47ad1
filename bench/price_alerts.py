"""Price alerts: 100,000 alerts over 5,000 coins evaluated after a sync as the consumer runs it
(functions.consumers.crypto.evaluate_price_alerts, one coin_prices_synced event): the inbox, the evaluation's one
UPDATE and the events it publishes (outbox rows), in one transaction, then those events sent to the bus after commit
(moto's EventBridge here: its time is this machine's, not AWS's).

Steady state: every price moves 1-3 % between syncs, so that alerts fire and re-arm. Burst: a crash (every price
and every 24 h change -30 %) fires tens of thousands at once; the recovery re-arms them and fires others. Targets
(issue 16: "well under a second"): the evaluation, the consumer's transaction, ≤ 500 ms; its whole run, with the
sending to the bus (moto's server here), under a second.

    .venv/bin/python -m bench.price_alerts   (BENCH_DATABASE_SERVER defaults to postgres@127.0.0.1:5432)
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from bench.crypto_common import COINS, market_with_coins, migrated_database, milliseconds
from bench.figures import record

if TYPE_CHECKING:
    from cryptotalks.db import Connection

ALERTS = 100_000
USERS = 10_000
# Each sync's prices, as factors of the recorded ones: up, the same, down, up again…
PRICE_MOVES = ("1.02", "1.02", "0.99", "1.01", "0.98", "1.0", "1.03")
BURSTS = 2
CRASH = Decimal("0.7")  # prices times this, and a 24 h change of -30 %


def _alerts(conn: Connection) -> None:
    """ALERTS alerts of USERS users over the synced coins: above / below within ±25 % of the price, or a 24 h
    change beyond 1-20 %."""
    conn.execute(
        "INSERT INTO crypto.price_alerts (user_id, coin_uuid, condition, threshold)"
        " SELECT ('00000000-0000-0000-0000-' || lpad((n %% %s)::text, 12, '0'))::uuid, c.uuid,"
        " (ARRAY['above', 'below', 'change'])[1 + n %% 3],"
        " CASE n %% 3 WHEN 2 THEN 1 + (n %% 20) ELSE c.price * (0.75 + (n %% 51) / 100.0) END"
        " FROM generate_series(1, %s) n"
        " JOIN (SELECT uuid, price, row_number() OVER (ORDER BY rank) - 1 AS i FROM crypto.coins"
        " WHERE price > 0) c ON c.i = n %% %s",
        (USERS, ALERTS, COINS),
    )
    conn.execute("ANALYZE crypto.price_alerts")


@dataclass(frozen=True)
class Run:
    seconds: float  # the consumer's whole run
    transaction: float  # inbox, evaluation and outbox rows, until the commit
    fired: int
    published: int  # outbox rows the run wrote
    sent: int  # of those, sent to the bus after commit


def _set_market(price_factor: Decimal, crash: bool = False) -> None:
    """Prices times `price_factor`, and each coin's recorded 24 h change (or -30 % in a crash), as a sync would
    store them."""
    from cryptotalks import db

    with db.transaction() as tx:
        tx.conn.execute(
            "UPDATE crypto.coins c SET price = c.price * %s, change = CASE WHEN %s THEN -30 ELSE r.change END"
            " FROM recorded_changes r WHERE r.uuid = c.uuid",
            (price_factor, crash),
        )


def _evaluate(sync_id: int) -> Run:
    """The consumer's run for sync `sync_id`. Its transaction joins the one opened here, whose first after-commit
    callback marks the commit, before the events are sent."""
    from cryptotalks import db
    from cryptotalks.crypto.events import CoinPricesSynced
    from cryptotalks.events.envelope import Envelope
    from functions.consumers.crypto.evaluate_price_alerts import subscription

    envelope = Envelope.wrap(CoinPricesSynced(syncId=sync_id, syncedAt=datetime.now(UTC), coins=COINS), "crypto")
    with db.transaction() as tx:
        tx.conn.execute("DELETE FROM messaging.outbox")  # what is left is this run's
    committed: list[float] = []
    started = time.perf_counter()
    with db.transaction() as tx:
        tx.on_commit(lambda: committed.append(time.perf_counter()))
        assert subscription.consume(envelope)
    finished = time.perf_counter()
    with db.transaction() as tx:
        fired = tx.conn.execute("SELECT fired FROM crypto.alert_evaluations WHERE sync_id = %s", (sync_id,)).fetchone()
        rows = tx.conn.execute("SELECT count(*) AS published, count(sent_at) AS sent FROM messaging.outbox").fetchone()
    assert fired and rows
    return Run(finished - started, committed[0] - started, fired["fired"], rows["published"], rows["sent"])


def _show(label: str, runs: list[Run]) -> None:
    print(f"  {label}")
    print(f"    whole run                  {milliseconds([r.seconds for r in runs])}")
    print(f"    transaction, until commit  {milliseconds([r.transaction for r in runs])}")
    print(f"    sending after commit       {milliseconds([r.seconds - r.transaction for r in runs])}")
    print(f"    fired                      {[r.fired for r in runs]}")
    print(f"    events published (sent)    {[f'{r.published} ({r.sent})' for r in runs]}")


def _record(name: str, seconds: list[float], target_seconds: float | None, runs: list[Run]) -> None:
    median = statistics.median(seconds)
    record(
        "price_alerts",
        name,
        median * 1000,
        "ms",
        f"≤ {target_seconds * 1000:.0f} ms" if target_seconds else "none (shows what a burst costs)",
        None if target_seconds is None else median <= target_seconds,
        f"n={len(runs)}, whole run median {statistics.median(r.seconds for r in runs) * 1000:.0f} ms, transaction"
        f" median {statistics.median(r.transaction for r in runs) * 1000:.0f} ms, fired {[r.fired for r in runs]},"
        f" events published {[r.published for r in runs]}",
    )


def main() -> None:
    with migrated_database(), market_with_coins():
        from cryptotalks import db
        from cryptotalks.crypto import data, sync

        assert sync.sync_coins(timedelta(hours=1), force=True).coins == COINS
        with db.transaction() as tx:
            tx.conn.execute("CREATE TABLE recorded_changes AS SELECT uuid, change FROM crypto.coins")
            _alerts(tx.conn)
            count = tx.conn.execute("SELECT count(*) AS n FROM crypto.price_alerts").fetchone()
            assert count and count["n"] == ALERTS, count
            # As the API sets them: disarmed where the condition holds already (no events: this is no sync).
            settled = len(data.evaluate_alerts(tx.conn, 0))
        sync_ids = iter(range(1, 1_000))
        steady, previous = [], Decimal(1)
        for move in map(Decimal, PRICE_MOVES):
            _set_market(move / previous)
            previous = move
            steady.append(_evaluate(next(sync_ids)))
        crashes, recoveries = [], []
        for _ in range(BURSTS):
            _set_market(CRASH, crash=True)
            crashes.append(_evaluate(next(sync_ids)))
            _set_market(1 / CRASH)
            recoveries.append(_evaluate(next(sync_ids)))
    print(f"price alerts: {ALERTS} alerts of {USERS} users over {COINS} coins, as the consumer evaluates them")
    print(f"  set disarmed beforehand (their condition held): {settled}")
    _show(f"steady state: {len(PRICE_MOVES)} syncs, prices moving 1-3 %", steady)
    _show(f"burst: a crash (prices and 24 h changes -30 %), {BURSTS} times", crashes)
    _show("after each crash, the recovery (prices and changes back)", recoveries)
    evaluation = f"evaluate {ALERTS // 1000}k alerts over {COINS:,} coins"
    transactions, whole = [r.transaction for r in steady], [r.seconds for r in steady]
    _record(
        f"{evaluation}: the consumer's transaction, the statement and its events (median)", transactions, 0.5, steady
    )
    _record(f"{evaluation}: the consumer's whole run, sending to moto's bus included (median)", whole, 1.0, steady)
    burst = [r.seconds for r in crashes]
    _record("the same in a crash, tens of thousands firing at once: the whole run (median)", burst, None, crashes)


if __name__ == "__main__":
    main()
