"""Stand-ins for Coinranking and CoinGecko: one local HTTP server answering with the recorded responses of the
bundled snapshot (so the real HTTP clients run), able to serve thousands of coins, new prices, and failures."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from cryptotalks.crypto.market_data.sources import recorded_snapshot
from cryptotalks_dev.lambda_context import LocalLambdaContext
from cryptotalks_dev.pollers import sqs_event
from cryptotalks_dev.scheduler import scheduled_event
from functions import registry
from tests.stand_ins import Answer, Request, http_stand_in
from tests.support import Pipeline

STAND_IN_KEY = "stand-in-coinranking-key"
RECORDED_COINS: list[dict[str, Any]] = recorded_snapshot()["coinranking"]["/coins"]["data"]["coins"]
BITCOIN = "Qwsogvtv82FCd"
# How a stand-in can misbehave, once per entry of `failures`.
FAILURES = ("500", "429", "garbage", "truncated", "partial", "slow")


@dataclass
class MarketStandIn:
    url: str = ""
    coin_count: int = len(RECORDED_COINS)  # beyond the 50 recorded, coins are made from them
    price_factor: Decimal = Decimal(1)  # prices answered are the recorded ones times this
    failures: dict[str, list[str]] = field(default_factory=lambda: {"coinranking": [], "coingecko": []})
    slow_seconds: float = 3.0  # beyond the timeout below
    received: list[dict[str, Any]] = field(default_factory=list)
    _coins: tuple[int, Decimal, list[dict[str, Any]]] | None = None

    @property
    def coinranking_url(self) -> str:
        return f"{self.url}/coinranking/v2"

    @property
    def coingecko_url(self) -> str:
        return f"{self.url}/coingecko/api/v3"

    def environment(self) -> dict[str, str]:
        return {
            "COINRANKING_API_KEY": STAND_IN_KEY,
            "COINRANKING_API_URL": self.coinranking_url,
            "COINGECKO_API_URL": self.coingecko_url,
            "COINGECKO_MIN_INTERVAL_SECONDS": "0",
            # Long enough for a stand-in answering on a loaded machine (0.5 s timed out under the full suite).
            "MARKET_DATA_TIMEOUT_SECONDS": "2",
            "MARKET_DATA_ATTEMPTS": "3",
            "MARKET_DATA_BACKOFF_SECONDS": "0.01",
        }

    def calls(self, api: str, path: str | None = None) -> list[dict[str, Any]]:
        return [r for r in self.received if r["api"] == api and (path is None or r["path"] == path)]

    def coins(self) -> list[dict[str, Any]]:
        """The ranking served: the recorded coins, then copies of them under new ids, at the current prices."""
        if self._coins is None or self._coins[:2] != (self.coin_count, self.price_factor):
            made = []
            for index in range(self.coin_count):
                coin = dict(RECORDED_COINS[index % len(RECORDED_COINS)])  # only top-level fields change
                copy_number = index // len(RECORDED_COINS)
                if copy_number:
                    coin["uuid"] = f"{coin['uuid']}-{copy_number}"
                    coin["symbol"] = f"{coin['symbol']}{copy_number}"
                    coin["name"] = f"{coin['name']} {copy_number}"
                coin["rank"] = index + 1
                if coin["price"] is not None:
                    coin["price"] = str(Decimal(coin["price"]) * self.price_factor)
                made.append(coin)
            self._coins = (self.coin_count, self.price_factor, made)
        return self._coins[2]

    def answer(self, api: str, path: str, query: dict[str, str], headers: dict[str, str]) -> tuple[int, Any]:
        self.received.append({"api": api, "path": path, "query": query, "headers": headers})
        failure = self.failures[api].pop(0) if self.failures[api] else None
        if failure in ("500", "429", "garbage", "truncated", "slow"):
            return _failure(failure, self.slow_seconds)
        if api == "coinranking":
            return self._coinranking(path, query, headers, partial=failure == "partial")
        return self._coingecko(path)

    def _coinranking(self, path: str, query: dict[str, str], headers: dict[str, str], partial: bool) -> tuple[int, Any]:
        if headers.get("x-access-token") != STAND_IN_KEY:
            return 401, {"status": "fail", "type": "UNAUTHORIZED", "message": "No or invalid API key"}
        if path != "/coins":
            return 404, {"status": "fail", "type": "NOT_FOUND", "message": "Not found"}
        limit, offset = int(query.get("limit", 50)), int(query.get("offset", 0))
        if not 0 <= limit <= 100:
            return 422, {"status": "fail", "type": "VALIDATION_ERROR", "message": "limit must be 0-100"}
        recorded = recorded_snapshot()["coinranking"]["/coins"]
        coins = self.coins()[offset : offset + limit]
        if partial:
            coins = coins[: len(coins) // 2]
        stats = {**recorded["data"]["stats"], "total": self.coin_count}
        return 200, {"status": "success", "data": {"stats": stats, "coins": coins}}

    def _coingecko(self, path: str) -> tuple[int, Any]:
        recorded = recorded_snapshot()["coingecko"]
        if path in recorded:
            return 200, recorded[path]
        return 404, {"error": "coin not found"}


def _failure(kind: str, slow_seconds: float) -> tuple[int, Any]:
    if kind == "slow":
        time.sleep(slow_seconds)
        return 200, {"status": "success", "data": {"stats": {"total": 0}, "coins": []}}
    return {
        "500": (500, {"status": "fail", "type": "INTERNAL", "message": "Internal server error"}),
        "429": (429, {"status": "fail", "type": "RATE_LIMIT_EXCEEDED", "message": "Slow down"}),
        "garbage": (200, "<html><body>Bad gateway</body></html>"),
        "truncated": (200, '{"status": "success", "data": {"stats": {"total": 5'),
    }[kind]


@contextmanager
def market_stand_in() -> Iterator[MarketStandIn]:
    """Coinranking under /coinranking/v2 and CoinGecko under /coingecko/api/v3, answering recorded responses."""
    stand_in = MarketStandIn()

    def answer(request: Request) -> Answer:
        url = urlsplit(request.path)
        api, _, path = url.path.removeprefix("/").partition("/")
        prefix = {"coinranking": "v2", "coingecko": "api/v3"}.get(api)
        if prefix is None or not path.startswith(prefix):
            return Answer(404, {"error": "unknown API"})
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        headers = {k.lower(): v for k, v in request.headers.items()}
        status, body = stand_in.answer(api, path.removeprefix(prefix), query, headers)
        return Answer(status, body, {"Retry-After": "0"} if status == 429 else {})

    with http_stand_in(answer) as url:
        stand_in.url = url
        yield stand_in


def serve_market(monkeypatch: pytest.MonkeyPatch) -> Iterator[MarketStandIn]:
    """The stand-in, with the crypto context configured to call it (live mode, no waiting between calls);
    a module's `market` fixture yields from it."""
    with market_stand_in() as stand_in:
        for name, value in stand_in.environment().items():
            monkeypatch.setenv(name, value)
        yield stand_in


def go_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """No Coinranking key: the bundled snapshot is the market."""
    monkeypatch.delenv("COINRANKING_API_KEY", raising=False)
    monkeypatch.delenv("COINRANKING_API_KEY_SECRET_ARN", raising=False)


def run_sync_job(force: bool = False) -> dict[str, Any]:
    """The scheduled job as EventBridge invokes it (`force` as `cryptotalks sync-coins` asks for it)."""
    declared = next(d for d in registry.jobs() if d.function_id == "jobs-sync-coins")
    event = {**scheduled_event(declared), "force": force}
    answer: dict[str, Any] = declared.handler(event, LocalLambdaContext(declared.function_id))
    return answer


def deliver_twice(pipeline: Pipeline, function_id: str) -> int:
    """Hand every queued message to the consumer twice, as an at-least-once queue may; returns how many."""
    poller = pipeline.poller_of(function_id)
    messages = poller.sqs.receive_message(QueueUrl=poller.queue.queue_url, MaxNumberOfMessages=10).get("Messages", [])
    assert messages, f"nothing queued for {function_id}"
    for _ in range(2):
        answer = poller.handler(sqs_event(list(messages), poller.queue_arn), LocalLambdaContext(function_id))
        assert answer == {"batchItemFailures": []}
    return len(messages)
