-- Each listed coin's place in every list order the sync decides (all but `likes`), both ways, computed once per
-- sync in its transaction: a page of the list is then `position > offset … LIMIT size` on one index, however deep
-- the page or whatever the order, instead of sorting every listed coin and skipping the pages before it.
CREATE TABLE crypto.coin_positions (
    ordering    text NOT NULL,     -- the API's orderBy: rank, name, price, marketCap, change, volume24h, tier, createdAt
    descending  boolean NOT NULL,
    position    integer NOT NULL,  -- from 1
    coin_id     uuid NOT NULL REFERENCES crypto.coins (id) ON DELETE CASCADE,
    PRIMARY KEY (ordering, descending, position)
);

-- The orders as the list shows them: NULLs last either way, then rank and uuid break ties. Called by the sync after
-- it stored the coins (cryptotalks.crypto.data.place_coins), and here for the coins already stored.
CREATE FUNCTION crypto.place_coins() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    ordered record;
BEGIN
    DELETE FROM crypto.coin_positions;  -- not TRUNCATE: readers keep the previous positions until the commit
    FOR ordered IN
        SELECT * FROM (VALUES ('rank', 'rank'), ('name', 'lower(name)'), ('price', 'price'),
            ('marketCap', 'market_cap'), ('change', 'change'), ('volume24h', 'volume_24h'), ('tier', 'tier'),
            ('createdAt', 'created_at')) AS orders (ordering, expression)
    LOOP
        EXECUTE format(
            'INSERT INTO crypto.coin_positions (ordering, descending, position, coin_id)'
            ' SELECT %1$L, false, row_number() OVER (ORDER BY %2$s ASC NULLS LAST, rank, uuid), id'
            ' FROM crypto.coins WHERE listed'
            ' UNION ALL'
            ' SELECT %1$L, true, row_number() OVER (ORDER BY %2$s DESC NULLS LAST, rank, uuid), id'
            ' FROM crypto.coins WHERE listed',
            ordered.ordering, ordered.expression);
    END LOOP;
END
$$;

SELECT crypto.place_coins();

-- `likes` changes with every favourite, between syncs: read live, in index order both ways (favorites_count is
-- never NULL, so NULLS LAST changes nothing but has to match the list's ORDER BY).
CREATE INDEX coins_listed_likes ON crypto.coins (favorites_count, rank, uuid) INCLUDE (id) WHERE listed;
CREATE INDEX coins_listed_likes_desc ON crypto.coins (favorites_count DESC NULLS LAST, rank, uuid) INCLUDE (id)
    WHERE listed;
