-- Which posts discuss which coins, from the posts context's events (coin_mentions_changed, delete_post): the coins
-- list's 24-hour counts and its `discussions24h` order ("trending in the community").

-- One row per post heard of: the newest revision of its mentions, or its deletion. Delivery is at least once and
-- in any order, so an older revision, or any revision after the deletion, changes nothing.
CREATE TABLE crypto.discussed_posts (
    post_id    uuid PRIMARY KEY,
    posted_at  timestamptz,          -- when the post was written; unknown for a deletion heard of first
    revision   integer NOT NULL,
    deleted    boolean NOT NULL DEFAULT false
);

CREATE TABLE crypto.discussions (
    post_id    uuid NOT NULL REFERENCES crypto.discussed_posts (post_id) ON DELETE CASCADE,
    coin_uuid  text NOT NULL REFERENCES crypto.coins (uuid),
    posted_at  timestamptz NOT NULL,  -- the post's: counted for 24 hours after it was written
    PRIMARY KEY (post_id, coin_uuid)
);
-- The last day's discussions of every coin (the trending order), and of one coin (a list row's count): both read
-- the index alone, whatever the number of older discussions.
CREATE INDEX discussions_recent ON crypto.discussions (posted_at) INCLUDE (coin_uuid);
CREATE INDEX discussions_coin ON crypto.discussions (coin_uuid, posted_at);
