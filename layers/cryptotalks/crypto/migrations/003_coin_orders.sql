-- Every list order the sync decides (all but `likes`), both ways: the listed coins' ids in that order, computed
-- once per sync in its transaction. A page of the list is then a slice of one array joined to its coins, however
-- deep the page or whatever the order, instead of sorting every listed coin and skipping the pages before it.
-- (One array per order rather than a row per coin and order: the sync writes 16 rows, not 80,000.)
CREATE TABLE crypto.coin_orders (
    ordering    text NOT NULL,     -- the API's orderBy: rank, name, price, marketCap, change, volume24h, tier, createdAt
    descending  boolean NOT NULL,
    coin_ids    uuid[] NOT NULL,   -- crypto.coins.id of the listed coins, in order
    PRIMARY KEY (ordering, descending)
);
ALTER TABLE crypto.coin_orders ALTER COLUMN coin_ids SET STORAGE EXTERNAL;  -- ids do not compress: not tried

-- The orders as the list shows them: NULLs last either way, then rank and uuid break ties. Called by the sync after
-- it stored the coins (cryptotalks.crypto.data.upsert_coins), and here for the coins already stored.
CREATE FUNCTION crypto.place_coins() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    ordered record;
BEGIN
    DELETE FROM crypto.coin_orders;  -- not TRUNCATE: readers keep the previous orders until the commit
    FOR ordered IN
        SELECT * FROM (VALUES ('rank', 'rank'), ('name', 'lower(name)'), ('price', 'price'),
            ('marketCap', 'market_cap'), ('change', 'change'), ('volume24h', 'volume_24h'), ('tier', 'tier'),
            ('createdAt', 'created_at')) AS orders (ordering, expression)
    LOOP
        EXECUTE format(
            'INSERT INTO crypto.coin_orders (ordering, descending, coin_ids)'
            ' SELECT %1$L, false, coalesce(array_agg(id ORDER BY %2$s ASC NULLS LAST, rank, uuid), %3$L)'
            ' FROM crypto.coins WHERE listed'
            ' UNION ALL'
            ' SELECT %1$L, true, coalesce(array_agg(id ORDER BY %2$s DESC NULLS LAST, rank, uuid), %3$L)'
            ' FROM crypto.coins WHERE listed',
            ordered.ordering, ordered.expression, '{}');
    END LOOP;
END
$$;

SELECT crypto.place_coins();

-- `likes` changes with every favourite, between syncs: read live, in index order both ways (favorites_count is
-- never NULL, so NULLS LAST changes nothing but has to match the list's ORDER BY).
CREATE INDEX coins_listed_likes ON crypto.coins (favorites_count, rank, uuid) INCLUDE (id) WHERE listed;
CREATE INDEX coins_listed_likes_desc ON crypto.coins (favorites_count DESC NULLS LAST, rank, uuid) INCLUDE (id)
    WHERE listed;
