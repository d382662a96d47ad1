"""Business rules of the crypto context: coin pages, favourites, the users projection, descriptions."""

from __future__ import annotations

import time
import uuid
from dataclasses import asdict
from typing import TYPE_CHECKING

from cryptotalks import db, errors
from cryptotalks.crypto import data
from cryptotalks.crypto.data import PageRequest
from cryptotalks.crypto.events import (
    AddCryptoToFavorite,
    AlertCondition,
    CatalogueCoin,
    CoinCatalogue,
    CoinPricesSynced,
    FiredAlert,
    PriceAlertsFired,
    RemoveCryptoFromFavorite,
    UpdateCoin,
)
from cryptotalks.crypto.models import (
    MAX_ALERTS_PER_USER,
    MAX_CHANGE_PERCENT,
    CoinDetails,
    CoinPage,
    CoinSummary,
    CreatePriceAlertRequest,
    MarketStats,
    PriceAlert,
    PriceAlertCreated,
    PriceAlertList,
)
from cryptotalks.crypto.settings import market_data_settings
from cryptotalks.errors import ApiError
from cryptotalks.events import publish
from cryptotalks.events.catalogue import CryptoForUserCreated, UserCreated
from cryptotalks.observability import logger

if TYPE_CHECKING:  # the consumers' events: the API functions built on this module never load them
    from cryptotalks.posts.events import CoinMentionsChanged, DeletePost
    from cryptotalks.users.events import CloseAccountCoins, UpdateUserAccount

CONTEXT = "crypto"
DESCRIPTION_RETRY_SECONDS = 24 * 3600  # a coin's description is asked for once a day at most
# A catalogue part's coins as JSON: an EventBridge entry (and the SQS message it becomes) holds 256 KB, and one
# PutEvents call 256 KB for all its entries, so several parts still go out in one call.
CATALOGUE_PART_BYTES = 64 * 1024
# The lists' 24-hour counts are counted again at every change; when nobody writes, a read counts them again once
# they are this old, so that posts leave the window within minutes.
DISCUSSIONS_MAX_AGE_SECONDS = 300


def create_favorite_list(event: CryptoForUserCreated) -> None:
    with db.transaction() as tx:
        data.create_favorite_list(tx.conn, event.userId)


def record_user(event: UserCreated | UpdateUserAccount) -> None:
    with db.transaction() as tx:
        data.record_user(tx.conn, event.userId, event.username)


def close_account(event: CloseAccountCoins) -> None:
    with db.transaction() as tx:
        coins = data.forget_user(tx.conn, event.userId)
        data.recount_favorites(tx.conn, coins)


def list_coins(request: PageRequest, search: str | None) -> CoinPage:
    with db.transaction() as tx:
        data.recount_stale_discussions(tx.conn, DISCUSSIONS_MAX_AGE_SECONDS)
        rows, count = data.coin_page(tx.conn, request, search=search)
    return CoinPage(rows=[CoinSummary.model_validate(row, from_attributes=True) for row in rows], count=count)


def coin(coin_uuid: str, reader: uuid.UUID | None) -> CoinDetails:
    """The coin page. A missing description is asked for in the background; the reader never waits for CoinGecko."""
    with db.transaction() as tx:
        data.recount_stale_discussions(tx.conn, DISCUSSIONS_MAX_AGE_SECONDS)
        row = data.coin_details(tx.conn, coin_uuid)
        if row is None:
            raise ApiError(errors.NO_CRYPTO)
        favorite = data.is_favorite(tx.conn, reader, coin_uuid) if reader else None
        if row.description is None and data.claim_description_request(tx.conn, coin_uuid, DESCRIPTION_RETRY_SECONDS):
            publish(UpdateCoin(coinId=coin_uuid), CONTEXT)
    return CoinDetails(**asdict(row), isFavorite=favorite)


def market_stats() -> MarketStats:
    with db.transaction() as tx:
        row = data.market_stats(tx.conn)
    return MarketStats.model_validate(row or dict.fromkeys(MarketStats.model_fields), from_attributes=True)


def add_favorite(user_id: uuid.UUID, coin_uuid: str) -> None:
    """Written here, so the user sees it at once; the event tells the rest (the favourites count)."""
    with db.transaction() as tx:
        if not data.coin_exists(tx.conn, coin_uuid):
            raise ApiError(errors.NO_CRYPTO)
        data.create_favorite_list(tx.conn, user_id)  # crypto_for_user_created may still be on its way
        if data.add_favorite(tx.conn, user_id, coin_uuid):
            publish(AddCryptoToFavorite(cryptoId=coin_uuid, userId=user_id), CONTEXT)


def remove_favorite(user_id: uuid.UUID, coin_uuid: str) -> None:
    with db.transaction() as tx:
        if not data.coin_exists(tx.conn, coin_uuid):
            raise ApiError(errors.NO_CRYPTO)
        if data.remove_favorite(tx.conn, user_id, coin_uuid):
            publish(RemoveCryptoFromFavorite(cryptoId=coin_uuid, userId=user_id), CONTEXT)


def list_favorites(request: PageRequest, username: str | None, reader: uuid.UUID | None) -> CoinPage:
    """Anyone's favourites by username (profile pages); without a username (or an empty one, as the original
    tested), the signed-in reader's own. An anonymous reader without a username gets an empty page: the
    original's profile page asks so before it knows whose page it shows."""
    if not username and reader is None:
        return CoinPage(rows=[], count=0)
    with db.transaction() as tx:
        user_id = data.user_id_by_username(tx.conn, username) if username else reader
        if user_id is None:
            raise ApiError(errors.USER_NOT_FOUND)
        data.recount_stale_discussions(tx.conn, DISCUSSIONS_MAX_AGE_SECONDS)
        rows, count = data.coin_page(tx.conn, request, favorites_of=user_id)
    return CoinPage(rows=[CoinSummary.model_validate(row, from_attributes=True) for row in rows], count=count)


def recount_favorites(event: AddCryptoToFavorite | RemoveCryptoFromFavorite) -> None:
    with db.transaction() as tx:
        data.recount_favorites(tx.conn, [event.cryptoId])


def describe_coin(event: UpdateCoin) -> None:
    """Fill a coin's description and links from CoinGecko, taking turns with every other caller of CoinGecko."""
    # The market data clients and their models: only this consumer (and the sync) loads them, no API function.
    from cryptotalks.crypto.market_data.sources import market_source

    settings = market_data_settings()
    with db.transaction() as tx:
        coin = data.coin_to_describe(tx.conn, event.coinId)
        if coin is None or coin.description is not None:
            return

        def take_turn() -> None:
            wait = data.seconds_until_next_call(tx.conn, "coingecko", settings.coingecko_min_interval_seconds)
            time.sleep(wait)
            data.record_call(tx.conn, "coingecko")

        source = market_source(settings, before_coingecko_call=take_turn)
        coingecko_id = coin.coingecko_id or source.coin_id(coin.symbol, coin.name)
        described = source.description(coingecko_id) if coingecko_id else None
        data.set_description(
            tx.conn,
            coin.uuid,
            coingecko_id,
            described.text if described else None,
            described.links if described else [],
        )
    logger.info(
        "coin described",
        extra={"coin": event.coinId, "coingecko_id": coingecko_id, "found": bool(described and described.text)},
    )


# Price alerts


def create_alert(user_id: uuid.UUID, request: CreatePriceAlertRequest) -> PriceAlertCreated:
    """Only on a listed coin: the syncs evaluate no other. Disarmed if its condition holds already."""
    if request.condition is AlertCondition.CHANGE and request.threshold > MAX_CHANGE_PERCENT:
        raise ApiError(errors.WRONG_THRESHOLD)
    with db.transaction() as tx:
        if data.lock_alerts_of(tx.conn, user_id) >= MAX_ALERTS_PER_USER:
            raise ApiError(errors.TOO_MANY_ALERTS)
        alert = data.insert_alert(tx.conn, user_id, request.uuid, request.condition, request.threshold)
        if alert is None:
            raise ApiError(errors.NO_CRYPTO)
    return PriceAlertCreated(message="success", id=alert.id, armed=alert.armed)


def alerts(user_id: uuid.UUID) -> PriceAlertList:
    with db.transaction() as tx:
        rows = data.alerts_of(tx.conn, user_id)
    return PriceAlertList(
        rows=[PriceAlert.model_validate(row, from_attributes=True) for row in rows],
        count=len(rows),
        limit=MAX_ALERTS_PER_USER,
    )


def delete_alert(user_id: uuid.UUID, alert_id: uuid.UUID) -> None:
    with db.transaction() as tx:
        if not data.delete_alert(tx.conn, user_id, alert_id):
            raise ApiError(errors.ALERT_NOT_FOUND)


def evaluate_alerts(event: CoinPricesSynced) -> int:
    """Every alert against the prices of the sync, in one statement; a `price_alerts_fired` per user whose alerts
    fired, listing them. Returns how many alerts fired (none when this sync, or a later one, was evaluated already)."""
    with db.transaction() as tx:
        if not data.claim_evaluation(tx.conn, event.syncId):
            return 0
        fired = data.evaluate_alerts(tx.conn, event.syncId)
        by_user: dict[uuid.UUID, list[FiredAlert]] = {}
        for row in fired:
            by_user.setdefault(row.user_id, []).append(
                FiredAlert(
                    alertId=row.id,
                    coinId=row.coin_uuid,
                    symbol=row.symbol,
                    name=row.name,
                    condition=row.condition,
                    threshold=row.threshold,
                    price=row.price,
                    change=row.change,
                )
            )
        with tx.conn.pipeline():  # thousands of outbox rows in a crash: sent without waiting for each
            for user_id, alerts in by_user.items():
                publish(PriceAlertsFired(userId=user_id, syncId=event.syncId, alerts=alerts), CONTEXT)
    logger.info("price alerts evaluated", extra={"sync_id": event.syncId, "fired": len(fired), "users": len(by_user)})
    return len(fired)


# The coin catalogue (for posts) and the discussions (from posts)


def publish_catalogue(conn: db.Connection) -> int:
    """Publish the listed coins as the sync in this transaction stored them, in parts of at most
    CATALOGUE_PART_BYTES; returns how many parts. Every sync sends them all: the first sync fills a new
    consumer's copy, a lost part is made good an hour later, and ranks (which pick among coins sharing a symbol)
    move every hour anyway."""
    synced_at, coins = data.catalogue(conn)
    if synced_at is None:
        return 0
    parts: list[list[CatalogueCoin]] = [[]]
    size = 0
    for row in coins:
        coin = CatalogueCoin(uuid=row.uuid, symbol=row.symbol, name=row.name, rank=row.rank)
        coin_size = len(coin.model_dump_json()) + 1
        if parts[-1] and size + coin_size > CATALOGUE_PART_BYTES:
            parts.append([])
            size = 0
        parts[-1].append(coin)
        size += coin_size
    for number, part in enumerate(parts, start=1):
        publish(CoinCatalogue(syncedAt=synced_at, part=number, parts=len(parts), coins=part), CONTEXT)
    return len(parts)


def record_discussion(event: CoinMentionsChanged | DeletePost) -> None:
    """Keep the newest set of coins a post mentions (a deleted post discusses none, for good)."""
    from cryptotalks.posts.events import DeletePost  # loaded by the consumer's own module already

    with db.transaction() as tx:
        if isinstance(event, DeletePost):
            data.forget_discussed_post(tx.conn, event.postId)
        else:
            data.record_discussed_post(tx.conn, event.postId, event.postedAt, event.revision, event.coinIds)
