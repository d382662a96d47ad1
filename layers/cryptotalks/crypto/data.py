"""SQL of the crypto context (schema `crypto`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING

from psycopg import sql
from psycopg.rows import class_row
from psycopg.types.json import Jsonb
from pydantic import TypeAdapter

from cryptotalks.crypto.models import CoinOrder
from cryptotalks.db import Connection

if TYPE_CHECKING:  # the sync's models: the API's functions never build them
    from cryptotalks.crypto.market_data.coinranking import CoinsStats, RankedCoin

_SYNC_LOCK_KEY = 7_231_005  # any constant shared by every process that syncs coins
_ALERTS_LOCK_KEY = 7_231_007  # with the user: one change of a user's alerts at a time
_DISCUSSIONS_LOCK_KEY = 7_231_006  # crypto.count_discussions() holds it while it counts
# 7_231_008: crypto.place_likes() holds it while it places the likes order (in SQL only).


# Users and their favourites.


def create_favorite_list(conn: Connection, user_id: uuid.UUID) -> None:
    conn.execute("INSERT INTO crypto.favorite_lists (user_id) VALUES (%s) ON CONFLICT (user_id) DO NOTHING", (user_id,))


def record_user(conn: Connection, user_id: uuid.UUID, username: str) -> None:
    conn.execute(
        "INSERT INTO crypto.users (user_id, username) VALUES (%s, %s)"
        " ON CONFLICT (user_id) DO UPDATE SET username = EXCLUDED.username",
        (user_id, username),
    )


def user_id_by_username(conn: Connection, username: str) -> uuid.UUID | None:
    row = conn.execute("SELECT user_id FROM crypto.users WHERE username = %s", (username,)).fetchone()
    return row["user_id"] if row else None


def forget_user(conn: Connection, user_id: uuid.UUID) -> list[str]:
    """Delete the user's favourites, list, name and price alerts; returns the coins that lost a favourite."""
    rows = conn.execute("DELETE FROM crypto.favorites WHERE user_id = %s RETURNING coin_uuid", (user_id,)).fetchall()
    conn.execute("DELETE FROM crypto.favorite_lists WHERE user_id = %s", (user_id,))
    conn.execute("DELETE FROM crypto.users WHERE user_id = %s", (user_id,))
    conn.execute("DELETE FROM crypto.price_alerts WHERE user_id = %s", (user_id,))
    return [row["coin_uuid"] for row in rows]


def add_favorite(conn: Connection, user_id: uuid.UUID, coin_uuid: str) -> bool:
    """True if the coin was not a favourite yet."""
    return bool(
        conn.execute(
            "INSERT INTO crypto.favorites (user_id, coin_uuid) VALUES (%s, %s) ON CONFLICT DO NOTHING",
            (user_id, coin_uuid),
        ).rowcount
    )


def remove_favorite(conn: Connection, user_id: uuid.UUID, coin_uuid: str) -> bool:
    """True if the coin was a favourite."""
    return bool(
        conn.execute(
            "DELETE FROM crypto.favorites WHERE user_id = %s AND coin_uuid = %s", (user_id, coin_uuid)
        ).rowcount
    )


def is_favorite(conn: Connection, user_id: uuid.UUID, coin_uuid: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM crypto.favorites WHERE user_id = %s AND coin_uuid = %s", (user_id, coin_uuid)
    ).fetchone()
    return row is not None


def recount_favorites(conn: Connection, coin_uuids: list[str]) -> None:
    """Set each coin's favourites count from the favourites themselves (right whatever order events came in), and
    place the listed coins in the `likes` order again."""
    if not coin_uuids:
        return
    conn.execute(
        "UPDATE crypto.coins c SET favorites_count ="
        " (SELECT count(*) FROM crypto.favorites f WHERE f.coin_uuid = c.uuid) WHERE c.uuid = ANY(%s)",
        (coin_uuids,),
    )
    conn.execute("SELECT crypto.place_likes()")


# Coins as the API shows them: the rows bear the answers' field names (CoinSummary, CoinDetails, MarketStats).


@dataclass(frozen=True)
class CoinRow:
    """A coin in a list."""

    id: uuid.UUID
    uuid: str
    symbol: str
    name: str
    iconUrl: str | None
    volume24h: str | None
    marketCap: str | None
    price: float | None
    btcPrice: float | None
    change: float | None
    coinrankingUrl: str | None
    sparkline: list[str | None]
    rank: int
    tier: int | None
    discussions24h: int


@dataclass(frozen=True)
class CoinDetailsRow(CoinRow):
    """A coin on its page."""

    symbolId: str | None
    description: str | None
    links: list[dict[str, str]]
    createdAt: datetime
    updatedAt: datetime


@dataclass(frozen=True)
class MarketStatsRow:
    total: int | None
    totalCoins: int | None
    totalMarkets: int | None
    totalExchanges: int | None
    totalMarketCap: str | None
    total24hVolume: str | None
    updatedAt: datetime


# Posts written in the last 24 hours that mention the coin `c`, as last counted (crypto.count_discussions).
_DISCUSSIONS_24H = sql.SQL("coalesce((SELECT d.posts FROM crypto.discussion_counts d WHERE d.coin_uuid = c.uuid), 0)")
_SUMMARY = sql.SQL(
    'c.id, c.uuid, c.symbol, c.name, c.icon_url AS "iconUrl", c.volume_24h::text AS "volume24h",'
    ' c.market_cap::text AS "marketCap", c.price::float8 AS price, c.btc_price::float8 AS "btcPrice",'
    ' c.change::float8 AS change, c.coinranking_url AS "coinrankingUrl", c.sparkline, c.rank, c.tier,'
    ' {discussions} AS "discussions24h"'
).format(discussions=_DISCUSSIONS_24H)
_ORDER_COLUMNS: dict[CoinOrder, sql.Composable] = {
    CoinOrder.RANK: sql.SQL("c.rank"),
    CoinOrder.NAME: sql.SQL("lower(c.name)"),
    CoinOrder.PRICE: sql.SQL("c.price"),
    CoinOrder.MARKET_CAP: sql.SQL("c.market_cap"),
    CoinOrder.CHANGE: sql.SQL("c.change"),
    CoinOrder.VOLUME_24H: sql.SQL("c.volume_24h"),
    CoinOrder.TIER: sql.SQL("c.tier"),
    CoinOrder.CREATED_AT: sql.SQL("c.created_at"),
    CoinOrder.LIKES: sql.SQL("c.favorites_count"),
    CoinOrder.DISCUSSIONS_24H: _DISCUSSIONS_24H,
}


@dataclass(frozen=True)
class PageRequest:
    page: int  # from 0, as in the original
    page_size: int
    order_by: CoinOrder
    descending: bool


def coin_page(
    conn: Connection, request: PageRequest, search: str | None = None, favorites_of: uuid.UUID | None = None
) -> tuple[list[CoinRow], int]:
    """A page of the listed coins (or of a user's favourites, listed or not) and how many there are in all."""
    if favorites_of is None and not search:
        return _placed_coin_page(conn, request)
    if favorites_of is None:
        source = sql.SQL("crypto.coins c")
        conditions = [sql.SQL("c.listed")]
    else:
        source = sql.SQL("crypto.coins c JOIN crypto.favorites f ON f.coin_uuid = c.uuid AND f.user_id = %(user)s")
        conditions = [sql.SQL("true")]
    if search:
        conditions.append(sql.SQL("(lower(c.name) LIKE lower(%(prefix)s) OR lower(c.symbol) LIKE lower(%(prefix)s))"))
    where = sql.SQL(" AND ").join(conditions)
    order = sql.SQL("{} {} NULLS LAST, c.rank, c.uuid").format(
        _ORDER_COLUMNS[request.order_by], sql.SQL("DESC" if request.descending else "ASC")
    )
    params = {
        "user": favorites_of,
        "prefix": _like_prefix(search or ""),
        "limit": request.page_size,
        "offset": request.page * request.page_size,
    }
    # The page's ids are sorted first, narrow; the wide rows (sparklines) of that page alone are read after.
    rows = (
        conn.cursor(row_factory=class_row(CoinRow))
        .execute(
            sql.SQL(
                "SELECT {summary} FROM crypto.coins c JOIN (SELECT c.id FROM {source} WHERE {where} ORDER BY {order}"
                " LIMIT %(limit)s OFFSET %(offset)s) AS page ON page.id = c.id ORDER BY {order}"
            ).format(summary=_SUMMARY, source=source, where=where, order=order),
            params,
        )
        .fetchall()
    )
    counted = conn.execute(sql.SQL("SELECT count(*) FROM {} WHERE {}").format(source, where), params).fetchone()
    return rows, counted["count"] if counted else 0


def _placed_coin_page(conn: Connection, request: PageRequest) -> tuple[list[CoinRow], int]:
    """A page of all listed coins in an order placed beforehand: by the sync (crypto.coin_orders), by the last
    recount of favourites (crypto.like_orders) or by the last count of the discussions (crypto.discussion_orders).
    A slice of the order's ids, as cheap on the last page as on the first."""
    if request.order_by is CoinOrder.DISCUSSIONS_24H:
        orders = sql.SQL("(SELECT coin_ids FROM crypto.discussion_orders WHERE descending = %(descending)s)")
    elif request.order_by is CoinOrder.LIKES:
        orders = sql.SQL("(SELECT coin_ids FROM crypto.like_orders WHERE descending = %(descending)s)")
    else:
        orders = sql.SQL(
            "(SELECT coin_ids FROM crypto.coin_orders WHERE ordering = %(ordering)s AND descending = %(descending)s)"
        )
    rows = (
        conn.cursor(row_factory=class_row(CoinRow))
        .execute(
            sql.SQL(
                "SELECT {summary} FROM {orders} o,"
                " unnest(o.coin_ids[%(offset)s + 1 : %(offset)s + %(limit)s]) WITH ORDINALITY AS page (id, place)"
                " JOIN crypto.coins c ON c.id = page.id ORDER BY page.place"
            ).format(summary=_SUMMARY, orders=orders),
            {
                "ordering": request.order_by.value,
                "descending": request.descending,
                "offset": request.page * request.page_size,
                "limit": request.page_size,
            },
        )
        .fetchall()
    )
    counted = conn.execute(
        "SELECT coalesce(max(cardinality(coin_ids)), 0) AS count FROM crypto.coin_orders"
        " WHERE ordering = 'rank' AND NOT descending"
    ).fetchone()
    return rows, counted["count"] if counted else 0


def _like_prefix(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{escaped}%"


def coin_details(conn: Connection, coin_uuid: str) -> CoinDetailsRow | None:
    return (
        conn.cursor(row_factory=class_row(CoinDetailsRow))
        .execute(
            sql.SQL(
                'SELECT {}, c.coingecko_id AS "symbolId", c.description, c.links,'
                ' c.created_at AS "createdAt", c.updated_at AS "updatedAt" FROM crypto.coins c WHERE c.uuid = %s'
            ).format(_SUMMARY),
            (coin_uuid,),
        )
        .fetchone()
    )


def coin_exists(conn: Connection, coin_uuid: str) -> bool:
    return conn.execute("SELECT 1 FROM crypto.coins WHERE uuid = %s", (coin_uuid,)).fetchone() is not None


def market_stats(conn: Connection) -> MarketStatsRow | None:
    return (
        conn.cursor(row_factory=class_row(MarketStatsRow))
        .execute(
            'SELECT total, total_coins AS "totalCoins", total_markets AS "totalMarkets",'
            ' total_exchanges AS "totalExchanges", total_market_cap::text AS "totalMarketCap",'
            ' total_24h_volume::text AS "total24hVolume", synced_at AS "updatedAt" FROM crypto.market_stats LIMIT 1'
        )
        .fetchone()
    )


# Descriptions (update_coin).

# Asked for by nobody lately, and still missing.
_DESCRIPTION_WANTED = sql.SQL(
    "description IS NULL AND (description_requested_at IS NULL"
    " OR description_requested_at < now() - make_interval(secs => %(retry)s))"
)


def claim_description_requests(conn: Connection, limit: int, retry_seconds: float) -> list[str]:
    """Mark up to `limit` listed coins (best ranked first) as having their description asked for; returns them."""
    rows = conn.execute(
        sql.SQL(
            "UPDATE crypto.coins SET description_requested_at = now() WHERE uuid IN ("
            " SELECT uuid FROM crypto.coins WHERE listed AND {}"
            " ORDER BY rank LIMIT %(limit)s FOR UPDATE SKIP LOCKED) RETURNING uuid"
        ).format(_DESCRIPTION_WANTED),
        {"limit": limit, "retry": retry_seconds},
    ).fetchall()
    return [row["uuid"] for row in rows]


def claim_description_request(conn: Connection, coin_uuid: str, retry_seconds: float) -> bool:
    """True if this coin's description is to be asked for now (and nobody asked for it lately)."""
    return bool(
        conn.execute(
            sql.SQL("UPDATE crypto.coins SET description_requested_at = now() WHERE uuid = %(uuid)s AND {}").format(
                _DESCRIPTION_WANTED
            ),
            {"uuid": coin_uuid, "retry": retry_seconds},
        ).rowcount
    )


@dataclass(frozen=True)
class CoinToDescribeRow:
    uuid: str
    symbol: str
    name: str
    coingecko_id: str | None
    description: str | None


def coin_to_describe(conn: Connection, coin_uuid: str) -> CoinToDescribeRow | None:
    return (
        conn.cursor(row_factory=class_row(CoinToDescribeRow))
        .execute("SELECT uuid, symbol, name, coingecko_id, description FROM crypto.coins WHERE uuid = %s", (coin_uuid,))
        .fetchone()
    )


def set_description(
    conn: Connection, coin_uuid: str, coingecko_id: str | None, text: str | None, links: list[dict[str, str]]
) -> None:
    conn.execute(
        "UPDATE crypto.coins SET coingecko_id = %s, description = %s, links = %s, updated_at = now() WHERE uuid = %s",
        (coingecko_id, text, Jsonb(links), coin_uuid),
    )


def seconds_until_next_call(conn: Connection, api: str, spacing_seconds: float) -> float:
    """Locks the API's row until this transaction ends, so callers take turns; then how long to wait."""
    conn.execute(
        "INSERT INTO crypto.upstream_calls (api, last_call_at) VALUES (%s, 'epoch') ON CONFLICT DO NOTHING",
        (api,),
    )
    row = conn.execute(
        "SELECT greatest(0, extract(epoch FROM last_call_at + make_interval(secs => %s) - clock_timestamp()))::float8"
        " AS wait FROM crypto.upstream_calls WHERE api = %s FOR UPDATE",
        (spacing_seconds, api),
    ).fetchone()
    return row["wait"] if row else 0.0


def record_call(conn: Connection, api: str) -> None:
    conn.execute("UPDATE crypto.upstream_calls SET last_call_at = clock_timestamp() WHERE api = %s", (api,))


# The coin sync.


def try_sync_lock(conn: Connection) -> bool:
    """One sync at a time: False if another process holds the lock (it is released with the transaction)."""
    row = conn.execute("SELECT pg_try_advisory_xact_lock(%s) AS locked", (_SYNC_LOCK_KEY,)).fetchone()
    return bool(row and row["locked"])


def last_successful_sync(conn: Connection) -> datetime | None:
    row = conn.execute(
        "SELECT started_at FROM crypto.coin_syncs WHERE outcome = 'success' ORDER BY started_at DESC LIMIT 1"
    ).fetchone()
    return row["started_at"] if row else None


@cache
def _coins_json() -> TypeAdapter[list[RankedCoin]]:
    from cryptotalks.crypto.market_data.coinranking import RankedCoin

    return TypeAdapter(list[RankedCoin])


def upsert_coins(conn: Connection, coins: list[RankedCoin]) -> None:
    """Every coin in one statement, sent as one JSON array (far cheaper to send than an array per column); the
    coins of this sync are listed, the others no longer (the same transaction: `now()` is its start), and the
    listed ones placed in every list order (crypto.coin_orders, like_orders, discussion_orders)."""
    conn.execute(
        "INSERT INTO crypto.coins (uuid, symbol, name, color, icon_url, market_cap, price, btc_price, change,"
        " volume_24h, rank, tier, sparkline, low_volume, coinranking_url, listed_since, listed, synced_at)"
        ' SELECT uuid, symbol, name, color, "iconUrl", "marketCap", price, "btcPrice", change, "volume24h", rank,'
        ' tier, sparkline, "lowVolume", "coinrankingUrl", to_timestamp("listedAt"), true, now()'
        ' FROM json_to_recordset(%s::json) AS u(uuid text, symbol text, name text, color text, "iconUrl" text,'
        ' "marketCap" numeric, price numeric, "btcPrice" numeric, change numeric, "volume24h" numeric, rank int,'
        ' tier int, sparkline jsonb, "lowVolume" bool, "coinrankingUrl" text, "listedAt" bigint)'
        " ON CONFLICT (uuid) DO UPDATE SET symbol = EXCLUDED.symbol, name = EXCLUDED.name, color = EXCLUDED.color,"
        " icon_url = EXCLUDED.icon_url, market_cap = EXCLUDED.market_cap, price = EXCLUDED.price,"
        " btc_price = EXCLUDED.btc_price, change = EXCLUDED.change, volume_24h = EXCLUDED.volume_24h,"
        " rank = EXCLUDED.rank, tier = EXCLUDED.tier, sparkline = EXCLUDED.sparkline,"
        " low_volume = EXCLUDED.low_volume, coinranking_url = EXCLUDED.coinranking_url,"
        " listed_since = EXCLUDED.listed_since, listed = true, synced_at = now(), updated_at = now()",
        (_coins_json().dump_json(coins).decode(),),
    )
    conn.execute("UPDATE crypto.coins SET listed = false WHERE listed AND synced_at <> now()")
    conn.execute("SELECT crypto.place_coins()")
    conn.execute("SELECT crypto.place_likes()")  # the likes order of the coins now listed
    count_discussions(conn)  # their trending order


def replace_market_stats(conn: Connection, stats: CoinsStats) -> None:
    conn.execute("DELETE FROM crypto.market_stats")
    conn.execute(
        "INSERT INTO crypto.market_stats (total, total_coins, total_markets, total_exchanges, total_market_cap,"
        " total_24h_volume, synced_at) VALUES (%s, %s, %s, %s, %s::numeric, %s::numeric, now())",
        (
            stats.total,
            stats.totalCoins,
            stats.totalMarkets,
            stats.totalExchanges,
            stats.totalMarketCap,
            stats.total24hVolume,
        ),
    )


@dataclass(frozen=True)
class SyncRecord:
    source: str
    started_at: datetime
    finished_at: datetime
    coins: int
    succeeded: bool
    error: str | None = None


def record_sync(conn: Connection, record: SyncRecord) -> int:
    """Records a sync run; returns its id."""
    row = conn.execute(
        "INSERT INTO crypto.coin_syncs (source, started_at, finished_at, duration_ms, coins, outcome, error)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING id",
        (
            record.source,
            record.started_at,
            record.finished_at,
            round((record.finished_at - record.started_at).total_seconds() * 1000),
            record.coins,
            "success" if record.succeeded else "failed",
            record.error,
        ),
    ).fetchone()
    assert row is not None
    return int(row["id"])


# Price alerts.


@dataclass(frozen=True)
class PriceAlertRow:
    """An alert as its owner sees it (the fields of PriceAlert)."""

    id: uuid.UUID
    uuid: str
    symbol: str
    name: str
    iconUrl: str | None
    price: float | None
    change: float | None
    condition: str
    threshold: float
    armed: bool
    lastFiredAt: datetime | None
    createdAt: datetime


# Whether alert `a`'s condition holds at coin `c`'s price and change; a coin without a price (or change) holds none.
_HOLDS = sql.SQL(
    "coalesce(CASE a.condition WHEN 'above' THEN c.price >= a.threshold WHEN 'below' THEN c.price <= a.threshold"
    " ELSE abs(c.change) >= a.threshold END, false)"
)
_ALERT = sql.SQL(
    'a.id, c.uuid, c.symbol, c.name, c.icon_url AS "iconUrl", c.price::float8 AS price, c.change::float8 AS change,'
    ' a.condition, a.threshold::float8 AS threshold, a.armed, a.fired_at AS "lastFiredAt", a.created_at AS "createdAt"'
)


def lock_alerts_of(conn: Connection, user_id: uuid.UUID) -> int:
    """Takes the user's alerts lock for the transaction (so two requests cannot both add a 50th); returns how many
    alerts the user has."""
    conn.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (_ALERTS_LOCK_KEY, str(user_id)))
    row = conn.execute("SELECT count(*) AS n FROM crypto.price_alerts WHERE user_id = %s", (user_id,)).fetchone()
    return int(row["n"]) if row else 0


@dataclass(frozen=True)
class NewAlertRow:
    id: uuid.UUID
    armed: bool


def insert_alert(
    conn: Connection, user_id: uuid.UUID, coin_uuid: str, condition: str, threshold: float
) -> NewAlertRow | None:
    """The alert, disarmed if its condition already holds at the coin's latest synced price (it is to fire at a
    crossing, not at the next sync); None if the coin is not listed (no sync would evaluate it)."""
    return (
        conn.cursor(row_factory=class_row(NewAlertRow))
        .execute(
            sql.SQL(
                "INSERT INTO crypto.price_alerts (user_id, coin_uuid, condition, threshold, armed)"
                " SELECT %(user)s, c.uuid, a.condition, a.threshold, NOT {holds} FROM crypto.coins c,"
                " (VALUES (%(condition)s::text, %(threshold)s::numeric)) AS a (condition, threshold)"
                " WHERE c.uuid = %(coin)s AND c.listed RETURNING id, armed"
            ).format(holds=_HOLDS),
            {"user": user_id, "coin": coin_uuid, "condition": condition, "threshold": threshold},
        )
        .fetchone()
    )


def alerts_of(conn: Connection, user_id: uuid.UUID) -> list[PriceAlertRow]:
    return (
        conn.cursor(row_factory=class_row(PriceAlertRow))
        .execute(
            sql.SQL(
                "SELECT {} FROM crypto.price_alerts a JOIN crypto.coins c ON c.uuid = a.coin_uuid"
                " WHERE a.user_id = %s ORDER BY a.created_at DESC, a.id"
            ).format(_ALERT),
            (user_id,),
        )
        .fetchall()
    )


def delete_alert(conn: Connection, user_id: uuid.UUID, alert_id: uuid.UUID) -> bool:
    return bool(
        conn.execute("DELETE FROM crypto.price_alerts WHERE id = %s AND user_id = %s", (alert_id, user_id)).rowcount
    )


def claim_evaluation(conn: Connection, sync_id: int) -> bool:
    """True if the alerts are to be evaluated for this sync: not done yet, and no later sync evaluated (the prices
    in the table are then that later sync's, already evaluated)."""
    row = conn.execute(
        "INSERT INTO crypto.alert_evaluations (sync_id) SELECT %(sync)s"
        " WHERE NOT EXISTS (SELECT 1 FROM crypto.alert_evaluations WHERE sync_id >= %(sync)s)"
        " ON CONFLICT (sync_id) DO NOTHING RETURNING sync_id",
        {"sync": sync_id},
    ).fetchone()
    return row is not None


# Every alert against its coin's current price in one statement. Only the alerts whose state changes are written
# (armed = the condition holds): an armed one whose condition holds fires and is disarmed, a disarmed one whose
# condition no longer holds re-arms; in SET `a.armed` is the value before, in RETURNING the value after. A coin
# that left the ranking is not evaluated.
_EVALUATE = sql.SQL("""
WITH changed AS (
    UPDATE crypto.price_alerts a
    SET armed = NOT a.armed,
        fired_sync_id = CASE WHEN a.armed THEN %(sync)s ELSE a.fired_sync_id END,
        fired_at = CASE WHEN a.armed THEN now() ELSE a.fired_at END
    FROM crypto.coins c
    WHERE c.uuid = a.coin_uuid AND c.listed
      AND a.armed = {holds}
    RETURNING a.id, a.user_id, a.coin_uuid, c.symbol, c.name, a.condition, a.threshold::float8 AS threshold,
              c.price::float8 AS price, c.change::float8 AS change, NOT a.armed AS fired
)
SELECT id, user_id, coin_uuid, symbol, name, condition, threshold, price, change FROM changed WHERE fired
""").format(holds=_HOLDS)


@dataclass(frozen=True)
class FiredAlertRow:
    """An alert that fired, with its coin's price and change that made it fire."""

    id: uuid.UUID
    user_id: uuid.UUID
    coin_uuid: str
    symbol: str
    name: str
    condition: str
    threshold: float
    price: float | None
    change: float | None


def evaluate_alerts(conn: Connection, sync_id: int) -> list[FiredAlertRow]:
    """Evaluates every alert; returns those that fired now."""
    fired = conn.cursor(row_factory=class_row(FiredAlertRow)).execute(_EVALUATE, {"sync": sync_id}).fetchall()
    conn.execute("UPDATE crypto.alert_evaluations SET fired = %s WHERE sync_id = %s", (len(fired), sync_id))
    return fired


# The catalogue the sync publishes, and the discussions posts tells of.


@dataclass(frozen=True)
class ListedCoinRow:
    uuid: str
    symbol: str
    name: str
    rank: int
    synced_at: datetime


def catalogue(conn: Connection) -> tuple[datetime | None, list[ListedCoinRow]]:
    """When the listed coins were synced, and each one's id, symbol, name and rank, best first."""
    rows = (
        conn.cursor(row_factory=class_row(ListedCoinRow))
        .execute("SELECT uuid, symbol, name, rank, synced_at FROM crypto.coins WHERE listed ORDER BY rank, uuid")
        .fetchall()
    )
    return (max(row.synced_at for row in rows) if rows else None), rows


def record_discussed_post(
    conn: Connection, post_id: uuid.UUID, posted_at: datetime, revision: int, coin_uuids: list[str]
) -> bool:
    """The post now discusses these coins (those this context knows), unless a newer revision or its deletion
    came first; True if this revision was kept."""
    kept = conn.execute(
        "INSERT INTO crypto.discussed_posts AS p (post_id, posted_at, revision) VALUES (%s, %s, %s)"
        " ON CONFLICT (post_id) DO UPDATE SET posted_at = EXCLUDED.posted_at, revision = EXCLUDED.revision"
        " WHERE NOT p.deleted AND p.revision < EXCLUDED.revision",
        (post_id, posted_at, revision),
    ).rowcount
    if not kept:
        return False
    conn.execute("DELETE FROM crypto.discussions WHERE post_id = %s", (post_id,))
    conn.execute(
        "INSERT INTO crypto.discussions (post_id, coin_uuid, posted_at)"
        " SELECT %s, uuid, %s FROM crypto.coins WHERE uuid = ANY(%s) ORDER BY uuid",
        (post_id, posted_at, coin_uuids),
    )
    count_discussions(conn)
    return True


def forget_discussed_post(conn: Connection, post_id: uuid.UUID) -> None:
    """A deleted post discusses nothing; its row stays, so that a late revision cannot bring it back."""
    conn.execute(
        "INSERT INTO crypto.discussed_posts AS p (post_id, revision, deleted) VALUES (%s, 0, true)"
        " ON CONFLICT (post_id) DO UPDATE SET deleted = true",
        (post_id,),
    )
    if conn.execute("DELETE FROM crypto.discussions WHERE post_id = %s", (post_id,)).rowcount:
        count_discussions(conn)


def count_discussions(conn: Connection) -> None:
    """Count each coin's posts of the last 24 hours again, and the trending order with them."""
    conn.execute("SELECT crypto.count_discussions()")


def recount_stale_discussions(conn: Connection, max_age_seconds: float) -> None:
    """Counts again when the last count is older than `max_age_seconds` (posts have aged out of the window since)
    and no other transaction is counting; otherwise the last count stands."""
    stale = conn.execute(
        "SELECT 1 FROM crypto.discussion_orders WHERE descending AND counted_at < now() - make_interval(secs => %s)",
        (max_age_seconds,),
    ).fetchone()
    if not stale:
        return
    locked = conn.execute("SELECT pg_try_advisory_xact_lock(%s) AS free", (_DISCUSSIONS_LOCK_KEY,)).fetchone()
    if locked and locked["free"]:
        count_discussions(conn)
