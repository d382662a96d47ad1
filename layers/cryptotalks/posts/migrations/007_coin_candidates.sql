-- Coins named before they are synced: a post that names a coin the catalogue does not have yet (`$NEWC` before a
-- sync lists it; any post written before the first catalogue) mentions it once the catalogue brings it
-- (posts.logic.record_coins).

-- The coin a name in a post stands for, the best-ranked one (then the smallest id) when several are: a cashtag
-- (`$BTC`) the coin with that symbol; a tag (in lower case) the coin with that symbol, name or slug.
CREATE FUNCTION posts.named_coin(named text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT uuid FROM (
        SELECT uuid, rank FROM posts.coins
        WHERE upper(symbol) = CASE WHEN left(named, 1) = '$' THEN upper(substr(named, 2)) ELSE upper(named) END
        UNION ALL SELECT uuid, rank FROM posts.coins WHERE left(named, 1) <> '$' AND lower(name) = named
        UNION ALL SELECT uuid, rank FROM posts.coins WHERE left(named, 1) <> '$' AND slug = named
    ) AS named_by ORDER BY rank, uuid LIMIT 1
$$;

-- The names each post gives that no coin had when it was written or edited, in the order the post gives them:
-- a coin the catalogue brings is looked up here by its symbol, name and slug (the primary key), not in the posts'
-- text. A name is removed once a coin has it.
CREATE TABLE posts.coin_candidates (
    named    text NOT NULL,  -- `$` and the symbol in upper case for a cashtag, or the tag
    post_id  uuid NOT NULL REFERENCES posts.posts (id) ON DELETE CASCADE,
    place    smallint NOT NULL,
    PRIMARY KEY (named, post_id)
);
CREATE INDEX coin_candidates_post ON posts.coin_candidates (post_id);

-- The posts written before this: every cashtag and tag but those of coins they mention already (the next coin sync
-- resolves them). Cashtags are read from the stored text as posts/mentions.py reads them, with its code removed by
-- patterns close to its rules (closed fences, then an open one to the end, then code spans); a post edited later
-- is read by posts/mentions.py itself. At most 50 names a post (posts.logic.MAX_COIN_CANDIDATES).
INSERT INTO posts.coin_candidates (named, post_id, place)
SELECT named, post_id, place FROM (
    SELECT named, post_id, row_number() OVER (PARTITION BY post_id ORDER BY min(part), min(found_at)) AS place
    FROM (
        SELECT p.id AS post_id, t.part, m.found_at, '$' || upper(m.found[1]) AS named
        FROM posts.posts AS p
        CROSS JOIN LATERAL unnest(ARRAY[p.title, p.preview, array_to_string(p.content, E'\n\n')])
            WITH ORDINALITY AS t (text, part)
        CROSS JOIN LATERAL regexp_matches(
            regexp_replace(
                regexp_replace(
                    regexp_replace(
                        E'\n' || t.text, E'\n {0,3}?(```|~~~).*?\n {0,3}?\\1[^\n]*', E'\n', 'g'
                    ),
                    E'\n {0,3}(```|~~~).*', E'\n'
                ),
                '(`+).*?\1', ' ', 'g'
            ),
            '(?<![\w$])\$([A-Za-z0-9]{1,15})(?![A-Za-z0-9])', 'g'
        ) WITH ORDINALITY AS m (found, found_at)
        WHERE m.found[1] !~ '^[0-9]+$'
        UNION ALL
        SELECT p.id, 4, g.found_at, g.tag
        FROM posts.posts AS p CROSS JOIN LATERAL unnest(p.search_tags) WITH ORDINALITY AS g (tag, found_at)
    ) AS names
    GROUP BY post_id, named
    HAVING NOT EXISTS (
        SELECT FROM posts.coin_mentions AS m WHERE m.post_id = names.post_id AND m.coin_uuid = posts.named_coin(named)
    )
) AS placed
WHERE place <= 50;
