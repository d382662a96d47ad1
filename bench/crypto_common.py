"""What the crypto benchmarks share: a throwaway database on a local server, and the stand-in market APIs."""

from __future__ import annotations

import os
import secrets
import statistics
from collections.abc import Iterator
from contextlib import contextmanager

# Before the project's modules create their logger: a quiet one.
os.environ.update(
    {
        "POWERTOOLS_SERVICE_NAME": "cryptotalks-bench",
        "POWERTOOLS_METRICS_DISABLED": "true",
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_LOG_LEVEL": "ERROR",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "EVENT_BUS_NAME": "cryptotalks",
    }
)
from bench.databases import throwaway_database
from tests.crypto_support import MarketStandIn, market_stand_in

COINS = 5000


@contextmanager
def migrated_database() -> Iterator[str]:
    """A migrated database made for this run and dropped after it; the process environment points at it."""
    with throwaway_database() as url:
        os.environ.update({"DATABASE_URL": url, "JWT_SECRET": secrets.token_urlsafe(48)})
        from cryptotalks import db, migrations

        try:
            with db.connect(url) as conn:
                migrations.apply_all(conn)
            yield url
        finally:
            db.close()


@contextmanager
def market_with_coins(count: int = COINS) -> Iterator[MarketStandIn]:
    """The stand-in serving `count` coins; the crypto context calls it, for `count` coins, asking no descriptions.
    A sync's events (coin_prices_synced) go to an event bus of moto's with no rule: accepted, then dropped."""
    import boto3

    from cryptotalks_dev.aws import aws_endpoint

    with market_stand_in() as stand_in, aws_endpoint():
        boto3.client("events").create_event_bus(Name=os.environ["EVENT_BUS_NAME"])
        stand_in.coin_count = count
        os.environ.update(stand_in.environment())
        os.environ.update({"COINRANKING_COIN_LIMIT": str(count), "COIN_DESCRIPTIONS_PER_SYNC": "0"})
        yield stand_in


def milliseconds(seconds: list[float]) -> str:
    ordered = sorted(seconds)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return (
        f"median {statistics.median(ordered) * 1000:7.2f} ms  p95 {p95 * 1000:7.2f} ms"
        f"  max {ordered[-1] * 1000:7.2f} ms  (n={len(ordered)})"
    )
