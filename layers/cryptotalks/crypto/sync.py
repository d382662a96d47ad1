"""The coin sync: the top coins and the market stats from Coinranking (or the bundled snapshot offline), stored in
one transaction, and descriptions asked for through `update_coin`.

Everything is fetched before the transaction opens: a page that fails after its retries fails the whole sync, which
then leaves the stored coins as they were and records the failure.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta

from cryptotalks import db
from cryptotalks.crypto import data
from cryptotalks.crypto.events import CoinPricesSynced, UpdateCoin
from cryptotalks.crypto.logic import CONTEXT, DESCRIPTION_RETRY_SECONDS, publish_catalogue
from cryptotalks.crypto.market_data.coinranking import Market
from cryptotalks.crypto.market_data.http import UpstreamError
from cryptotalks.crypto.market_data.sources import market_source
from cryptotalks.crypto.settings import market_data_settings
from cryptotalks.events import publish
from cryptotalks.observability import logger, metrics

SYNC_FAILED_METRIC = "CoinSyncFailures"  # the coin-sync-failed alarm watches it

# A schedule fires a little early or late: data younger than the interval less this margin is fresh.
SCHEDULE_MARGIN = timedelta(minutes=5)


@dataclass(frozen=True)
class SyncOutcome:
    outcome: str  # success, failed, skipped
    source: str
    coins: int = 0
    seconds: float = 0.0
    database_seconds: float = 0.0  # the write transaction, until its commit
    descriptions_requested: int = 0
    reason: str | None = None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def sync_coins(
    interval: timedelta, force: bool = False, progress: Callable[[str], None] = lambda _: None
) -> SyncOutcome:
    """Refresh the coins unless the last successful sync is younger than `interval` (or `force`)."""
    settings = market_data_settings()
    source = market_source(settings, before_coingecko_call=lambda: None)  # the sync itself never calls CoinGecko
    fresh_after = datetime.now(UTC) - (interval - SCHEDULE_MARGIN)
    if not force and _synced_since(fresh_after):
        progress("coins are fresh: nothing to do")
        return SyncOutcome("skipped", source.name, reason="fresh")
    started_at, started = datetime.now(UTC), time.perf_counter()
    try:
        market = source.market(settings.coin_limit, progress)
    except UpstreamError as error:
        return _failed(source.name, started_at, started, error)
    writing = time.perf_counter()
    committed: list[float] = []
    with db.transaction() as tx:
        tx.on_commit(lambda: committed.append(time.perf_counter()))  # runs first, before the events are sent
        if not data.try_sync_lock(tx.conn):
            return SyncOutcome("skipped", source.name, reason="another sync is running")
        if not force and _synced_since(fresh_after):
            return SyncOutcome("skipped", source.name, reason="fresh")
        coins, sync_id = _store(market, started_at)
        publish(CoinPricesSynced(syncId=sync_id, syncedAt=started_at, coins=coins), CONTEXT)  # price alerts
        publish_catalogue(tx.conn)
        requested = data.claim_description_requests(tx.conn, settings.descriptions_per_sync, DESCRIPTION_RETRY_SECONDS)
        for coin_uuid in requested:
            publish(UpdateCoin(coinId=coin_uuid), CONTEXT)
    finished = time.perf_counter()
    outcome = SyncOutcome("success", source.name, coins, finished - started, committed[0] - writing, len(requested))
    progress(
        f"stored {coins} coins in {outcome.database_seconds * 1000:.0f} ms; {len(requested)} descriptions asked for"
    )
    logger.info("coins synced", extra=outcome.as_dict())
    metrics.add_metric(name="CoinsSynced", unit="Count", value=coins)
    metrics.add_metric(name="CoinSyncSeconds", unit="Seconds", value=outcome.seconds)
    return outcome


def _synced_since(moment: datetime) -> bool:
    with db.transaction() as tx:
        last = data.last_successful_sync(tx.conn)
    return last is not None and last >= moment


def _store(market: Market, started_at: datetime) -> tuple[int, int]:
    """Coins, market stats and the sync record, in the caller's transaction: how many coins, and the sync's id."""
    conn = db.current().conn
    unique = list({coin.uuid: coin for coin in reversed(market.coins)}.values())  # a coin seen twice: its first place
    data.upsert_coins(conn, unique)
    data.replace_market_stats(conn, market.stats)
    sync_id = data.record_sync(conn, data.SyncRecord(market.source, started_at, datetime.now(UTC), len(unique), True))
    return len(unique), sync_id


def _failed(source: str, started_at: datetime, started: float, error: UpstreamError) -> SyncOutcome:
    with db.transaction() as tx:
        data.record_sync(tx.conn, data.SyncRecord(source, started_at, datetime.now(UTC), 0, False, str(error)[:1000]))
    logger.error("coin sync failed; the stored coins are unchanged", extra={"source": source, "error": str(error)})
    metrics.add_metric(name=SYNC_FAILED_METRIC, unit="Count", value=1)
    return SyncOutcome("failed", source, seconds=time.perf_counter() - started, reason=str(error))
