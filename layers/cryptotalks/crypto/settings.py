"""Where the crypto context gets market data from, read from the environment (the key from Secrets Manager on AWS).

Without a Coinranking key the context is offline: it loads the bundled snapshot of recorded market data.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from cryptotalks.config import secret

COINRANKING_API_URL = "https://api.coinranking.com/v2"
COINGECKO_API_URL = "https://api.coingecko.com/api/v3"


@dataclass(frozen=True)
class MarketDataSettings:
    coinranking_api_key: str | None
    coinranking_api_url: str
    coin_limit: int  # how many coins each sync keeps, by market cap
    coingecko_api_url: str
    coingecko_api_key: str | None
    # CoinGecko's free tier allows about 30 calls a minute and 10,000 a month: calls are spaced this far apart,
    # and each sync asks for at most `descriptions_per_sync` descriptions (a coin page asks for its own).
    coingecko_min_interval_seconds: float
    descriptions_per_sync: int
    timeout_seconds: float
    attempts: int
    backoff_seconds: float  # the first retry waits this long, each next one twice as long

    @property
    def offline(self) -> bool:
        return not self.coinranking_api_key


def market_data_settings() -> MarketDataSettings:
    """Read on every use (cheap; the secret itself is cached by Powertools) so a changed environment applies."""
    env = os.environ.get
    coin_limit = int(env("COINRANKING_COIN_LIMIT", "100"))
    if coin_limit < 1:
        raise ValueError("COINRANKING_COIN_LIMIT must be 1 or more")
    return MarketDataSettings(
        coinranking_api_key=secret("COINRANKING_API_KEY"),
        coinranking_api_url=env("COINRANKING_API_URL", COINRANKING_API_URL).rstrip("/"),
        coin_limit=coin_limit,
        coingecko_api_url=env("COINGECKO_API_URL", COINGECKO_API_URL).rstrip("/"),
        coingecko_api_key=secret("COINGECKO_API_KEY"),
        coingecko_min_interval_seconds=float(env("COINGECKO_MIN_INTERVAL_SECONDS", "2.5")),
        descriptions_per_sync=int(env("COIN_DESCRIPTIONS_PER_SYNC", "10")),
        timeout_seconds=float(env("MARKET_DATA_TIMEOUT_SECONDS", "10")),
        attempts=int(env("MARKET_DATA_ATTEMPTS", "3")),
        backoff_seconds=float(env("MARKET_DATA_BACKOFF_SECONDS", "1")),
    )
