-- The coins a post can mention: the posts context's own copy of crypto's catalogue (coin_catalogue events, sent by
-- every coin sync). A coin that leaves the ranking keeps its row and its last rank: old mentions still point at it.
-- The slug is the name as a tag would spell it: `shiba inu` → `shiba-inu`.
CREATE TABLE posts.coins (
    uuid       text PRIMARY KEY,  -- Coinranking's id, as the crypto API's paths take it
    symbol     text NOT NULL,
    name       text NOT NULL,
    slug       text NOT NULL GENERATED ALWAYS AS
        (trim(BOTH '-' FROM regexp_replace(lower(name), '[^a-z0-9]+', '-', 'g'))) STORED,
    rank       integer NOT NULL,
    synced_at  timestamptz NOT NULL  -- of the sync that sent this row: an older sync's late part changes nothing
);
-- Resolution reads the best-ranked coin of a cashtag's symbol, or of a tag's name or slug.
CREATE INDEX coins_symbol ON posts.coins (upper(symbol), rank, uuid);
CREATE INDEX coins_name ON posts.coins (lower(name), rank, uuid);
CREATE INDEX coins_slug ON posts.coins (slug, rank, uuid);

-- The coins each post mentions, resolved when it is written or edited, in the order the post first names them.
CREATE TABLE posts.coin_mentions (
    post_id     uuid NOT NULL REFERENCES posts.posts (id) ON DELETE CASCADE,
    coin_uuid   text NOT NULL REFERENCES posts.coins (uuid),
    place       smallint NOT NULL,
    PRIMARY KEY (post_id, coin_uuid)
);
CREATE INDEX coin_mentions_coin ON posts.coin_mentions (coin_uuid, post_id);

-- Counts the changes of a post's mentions: crypto keeps the newest set whatever order the events arrive in.
ALTER TABLE posts.posts ADD COLUMN mentions_revision integer NOT NULL DEFAULT 0;
