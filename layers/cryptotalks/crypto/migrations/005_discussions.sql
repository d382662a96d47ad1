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
-- The last day's discussions, counted from the index alone whatever the number of older ones.
CREATE INDEX discussions_recent ON crypto.discussions (posted_at) INCLUDE (coin_uuid);

-- What the list reads, counted already: a coin's posts of the last 24 hours (only coins with some), and the listed
-- coins in the trending order both ways, as crypto.coin_orders holds the sync's orders (a page is a slice of one
-- array). Counted again by every change of the discussions (the consumer), by every sync (new and unlisted coins),
-- and by a list read that finds them older than a few minutes (the window slides on when nobody writes).
CREATE TABLE crypto.discussion_counts (
    coin_uuid  text PRIMARY KEY REFERENCES crypto.coins (uuid),
    posts      integer NOT NULL
);

CREATE TABLE crypto.discussion_orders (
    descending  boolean PRIMARY KEY,
    coin_ids    uuid[] NOT NULL,      -- crypto.coins.id of the listed coins: by posts, then rank and uuid
    counted_at  timestamptz NOT NULL
);
ALTER TABLE crypto.discussion_orders ALTER COLUMN coin_ids SET STORAGE EXTERNAL;

-- One count at a time (an advisory lock, held to the end of the transaction): two would each delete what the
-- other had not yet committed, then insert the same coins.
CREATE FUNCTION crypto.count_discussions() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(7231006);
    DELETE FROM crypto.discussion_counts;
    INSERT INTO crypto.discussion_counts (coin_uuid, posts)
    SELECT coin_uuid, count(*) FROM crypto.discussions WHERE posted_at > now() - interval '24 hours'
    GROUP BY coin_uuid ORDER BY coin_uuid;
    DELETE FROM crypto.discussion_orders;
    INSERT INTO crypto.discussion_orders (descending, coin_ids, counted_at)
    SELECT false, coalesce(array_agg(c.id ORDER BY coalesce(d.posts, 0) ASC, c.rank, c.uuid), '{}'), now()
    FROM crypto.coins c LEFT JOIN crypto.discussion_counts d ON d.coin_uuid = c.uuid WHERE c.listed
    UNION ALL
    SELECT true, coalesce(array_agg(c.id ORDER BY coalesce(d.posts, 0) DESC, c.rank, c.uuid), '{}'), now()
    FROM crypto.coins c LEFT JOIN crypto.discussion_counts d ON d.coin_uuid = c.uuid WHERE c.listed;
END
$$;

SELECT crypto.count_discussions();
