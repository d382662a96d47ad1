"""CoinGecko API v3: which CoinGecko coin a Coinranking coin is (`/coins/list`), and its description and links
(`/coins/{id}`). https://docs.coingecko.com/v3.0.1/reference/introduction"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from pydantic import BaseModel, RootModel

from cryptotalks.crypto.settings import MarketDataSettings

_LIST_MAX_AGE_SECONDS = 24 * 3600  # the list is over 1 MB: a warm process keeps it for a day
_COIN_DETAIL_PARAMS = {
    "localization": "false",
    "tickers": "false",
    "market_data": "false",
    "community_data": "false",
    "developer_data": "false",
    "sparkline": "false",
}


class ListedCoin(BaseModel):
    id: str
    symbol: str
    name: str


class CoinsList(RootModel[list[ListedCoin]]):
    pass


class CoinDescription(BaseModel):
    en: str | None = None


class CoinDetail(BaseModel):
    id: str
    description: CoinDescription = CoinDescription()
    links: dict[str, Any] = {}


@dataclass(frozen=True)
class Description:
    text: str | None  # plain text; None when CoinGecko has none in English
    links: list[dict[str, str]]  # [{"type": "website", "url": ...}]


def match(listed: list[ListedCoin], symbol: str, name: str) -> str | None:
    """The CoinGecko id of the coin with this symbol and name, or None when no single coin fits.

    Many coins share a symbol (47 are USDC), so the name decides: the same words, or one name the other plus
    trailing words ("Cosmos" / "Cosmos Hub", "Lido DAO Token" / "Lido DAO"). A bracketed suffix on CoinGecko's
    side names a bridged copy ("Wrapped Ether (Mantle Bridge)") and never fits a shorter name."""
    candidates = [coin for coin in listed if coin.symbol.lower() == symbol.lower()]
    wanted = _words(re.sub(r"\(.*?\)", " ", name))
    same = [coin for coin in candidates if _words(coin.name) == wanted]
    if same:
        return same[0].id if len(same) == 1 else None
    extended = [coin for coin in candidates if "(" not in coin.name and _one_extends_other(_words(coin.name), wanted)]
    return extended[0].id if len(extended) == 1 else None


def _words(name: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", name.lower())


def _one_extends_other(first: list[str], second: list[str]) -> bool:
    shorter, longer = sorted((first, second), key=len)
    return bool(shorter) and longer[: len(shorter)] == shorter


def description_of(detail: CoinDetail) -> Description:
    return Description(_plain_text(detail.description.en), _links(detail.links))


def _plain_text(html: str | None) -> str | None:
    """CoinGecko's descriptions carry HTML anchors; only their text is kept, so no client renders foreign markup."""
    if not html or not html.strip():
        return None
    parser = _TextOnly()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts).replace("\r\n", "\n").replace("\x00", "").strip() or None


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


# CoinGecko link fields, as (field, link type, how a bare handle becomes a URL).
_LINK_FIELDS: list[tuple[str, str, str]] = [
    ("homepage", "website", "{}"),
    ("whitepaper", "whitepaper", "{}"),
    ("blockchain_site", "explorer", "{}"),
    ("official_forum_url", "forum", "{}"),
    ("chat_url", "chat", "{}"),
    ("announcement_url", "announcement", "{}"),
    ("subreddit_url", "reddit", "{}"),
    ("twitter_screen_name", "twitter", "https://twitter.com/{}"),
    ("facebook_username", "facebook", "https://www.facebook.com/{}"),
    ("telegram_channel_identifier", "telegram", "https://t.me/{}"),
]


def _links(links: dict[str, Any]) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []
    for name, kind, url in _LINK_FIELDS:
        found += [{"type": kind, "url": url.format(value)} for value in _strings(links.get(name))]
    repositories = links.get("repos_url")
    if isinstance(repositories, dict):
        for host, urls in repositories.items():
            found += [{"type": host, "url": value} for value in _strings(urls)]
    unique = {link["url"]: link for link in found if link["url"].startswith(("https://", "http://"))}
    return list(unique.values())


def _strings(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [v.strip() for v in values if isinstance(v, str) and v.strip()]


class CoinGecko:
    def __init__(self, settings: MarketDataSettings, before_call: Callable[[], None]) -> None:
        headers = {"Accept": "application/json"}
        if settings.coingecko_api_key:
            # A Pro key goes to pro-api.coingecko.com, a Demo (free) key to api.coingecko.com.
            pro = "pro-api." in settings.coingecko_api_url
            headers["x-cg-pro-api-key" if pro else "x-cg-demo-api-key"] = settings.coingecko_api_key
        from cryptotalks.crypto.market_data.http import JsonApi  # requests: only the callers of the API load it

        self.api = JsonApi(
            "coingecko",
            settings.coingecko_api_url,
            headers,
            settings.timeout_seconds,
            settings.attempts,
            settings.backoff_seconds,
            before_call,
        )

    def coin_id(self, symbol: str, name: str) -> str | None:
        return match(self._listed(), symbol, name)

    def description(self, coingecko_id: str) -> Description | None:
        detail = self.api.find(f"/coins/{coingecko_id}", CoinDetail, _COIN_DETAIL_PARAMS)
        return description_of(detail) if detail else None

    def _listed(self) -> list[ListedCoin]:
        with _listed_lock:
            kept = _listed_cache.get(self.api.base_url)
            if kept and time.monotonic() - kept[0] < _LIST_MAX_AGE_SECONDS:
                return kept[1]
            listed = self.api.get("/coins/list", CoinsList).root
            _listed_cache[self.api.base_url] = (time.monotonic(), listed)
            return listed


_listed_cache: dict[str, tuple[float, list[ListedCoin]]] = {}
_listed_lock = threading.Lock()
