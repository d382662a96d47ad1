-- Coins and market stats, refreshed by the hourly sync; favourites per user; the users projection.

-- A coin as Coinranking ranks it (`uuid` is Coinranking's id), with its CoinGecko description once fetched.
CREATE TABLE crypto.coins (
    id                        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    uuid                      text NOT NULL UNIQUE,
    symbol                    text NOT NULL,
    name                      text NOT NULL,
    color                     text,
    icon_url                  text,
    market_cap                numeric,
    price                     numeric,
    btc_price                 numeric,
    change                    numeric,
    volume_24h                numeric,
    rank                      integer NOT NULL,
    tier                      integer,
    sparkline                 jsonb NOT NULL DEFAULT '[]',
    low_volume                boolean NOT NULL DEFAULT false,
    coinranking_url           text,
    listed_since              timestamptz,
    -- In the latest successful sync; a coin that dropped out keeps its row (favourites point at it).
    listed                    boolean NOT NULL DEFAULT true,
    synced_at                 timestamptz NOT NULL,
    coingecko_id              text,
    description               text,
    links                     jsonb NOT NULL DEFAULT '[]',
    -- When update_coin was last published for this coin: one CoinGecko lookup per coin a day at most.
    description_requested_at  timestamptz,
    -- Kept by the add/remove favourite consumers; orders the list by `likes`.
    favorites_count           integer NOT NULL DEFAULT 0,
    created_at                timestamptz NOT NULL DEFAULT now(),
    updated_at                timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX coins_listed_rank ON crypto.coins (rank) WHERE listed;
-- Search is a case-insensitive prefix match on name or symbol.
CREATE INDEX coins_listed_name_prefix ON crypto.coins (lower(name) text_pattern_ops) WHERE listed;
CREATE INDEX coins_listed_symbol_prefix ON crypto.coins (lower(symbol) text_pattern_ops) WHERE listed;

-- The market as of the latest successful sync: one row, replaced by each sync.
CREATE TABLE crypto.market_stats (
    total             integer,
    total_coins       integer,
    total_markets     integer,
    total_exchanges   integer,
    total_market_cap  numeric,
    total_24h_volume  numeric,
    synced_at         timestamptz NOT NULL
);

-- Every sync run: when, from where, how many coins, how long, and how it ended.
CREATE TABLE crypto.coin_syncs (
    id           bigserial PRIMARY KEY,
    source       text NOT NULL,
    started_at   timestamptz NOT NULL,
    finished_at  timestamptz NOT NULL,
    duration_ms  integer NOT NULL,
    coins        integer NOT NULL,
    outcome      text NOT NULL CHECK (outcome IN ('success', 'failed')),
    error        text
);
CREATE INDEX coin_syncs_success_started ON crypto.coin_syncs (started_at DESC) WHERE outcome = 'success';

CREATE TABLE crypto.favorites (
    user_id    uuid NOT NULL REFERENCES crypto.favorite_lists (user_id) ON DELETE CASCADE,
    coin_uuid  text NOT NULL REFERENCES crypto.coins (uuid),
    added_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, coin_uuid)
);
CREATE INDEX favorites_coin ON crypto.favorites (coin_uuid);

-- Who is who, from user_created: list-favorites finds a user by username without reading users.*.
CREATE TABLE crypto.users (
    user_id   uuid PRIMARY KEY,
    username  text NOT NULL
);
CREATE INDEX users_username ON crypto.users (username);

-- The last call to a rate-limited upstream API, shared by every process that calls it.
CREATE TABLE crypto.upstream_calls (
    api           text PRIMARY KEY,
    last_call_at  timestamptz NOT NULL
);
