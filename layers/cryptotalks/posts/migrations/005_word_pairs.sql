-- Phrase search through an index of adjacent word pairs. The word index stores no positions: for a phrase such as
-- 'cold' <-> 'storag' it finds every post that has both words, and each one's document is read to check that they
-- follow each other (3% of the posts for a phrase in 0.03%). A document's pairs (lexeme x at position p, y at p+1:
-- exactly what x <-> y asks) are indexed instead, and a phrase search reads the posts that have its pairs, then
-- checks the phrase itself: having the pairs is necessary for the phrase, so the answers do not change.

-- A pair as the index spells it: each lexeme cut to 100 characters, so that a pair of long lexemes still fits in a
-- GIN key. Two pairs may then read alike; that only adds a candidate, which the phrase's own check removes.
CREATE FUNCTION posts.word_pair(first text, second text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT left(first, 100) || ' ' || left(second, 100)
$$;

-- Every pair of lexemes at adjacent positions, matched by position, not taken lexeme after lexeme: a position may
-- hold several lexemes (the last one, 16383, holds every word after it) or none (a stop word's).
CREATE FUNCTION posts.word_pairs(document tsvector) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    WITH words AS (SELECT w.lexeme, p FROM unnest(document) w, unnest(w.positions) p)
    SELECT coalesce(array_agg(posts.word_pair(x.lexeme, y.lexeme)), '{}')
    FROM words x JOIN words y ON y.p = x.p + 1
$$;

-- The pairs every document matching the query has: those of the adjacent words (<->) of its phrases that no NOT
-- (!) negates, when the query has no OR (|) nor prefix or weight (`:*`, `:A`): its parts are then all ANDed. NULL
-- when there is no such pair: the search goes without them. Read from the query's text, in which a lexeme is quoted
-- (' and \ doubled), and operators bind as written, parenthesised where they do not: `'a' <-> 'b'` side by side
-- are a phrase's neighbours, whatever surrounds them. A NOT negates the lexeme or the parenthesised group after it.
CREATE FUNCTION posts.phrase_pairs(query tsquery) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
    WITH tokens AS (
        SELECT t.token[1] AS token, t.n,
            sum(CASE t.token[1] WHEN '(' THEN 1 WHEN ')' THEN -1 ELSE 0 END) OVER (ORDER BY t.n) AS depth
        FROM regexp_matches(query::text, $re$'(?:[^'\\]|''|\\.)*'(?::[*A-D]+)?|<->|<\d+>|[&|!()]$re$, 'g')
            WITH ORDINALITY AS t (token, n)
    ), negated AS (
        SELECT operand.n AS first,
            CASE WHEN operand.token = '(' THEN (SELECT min(close.n) FROM tokens close WHERE close.n > operand.n
                AND close.token = ')' AND close.depth = operand.depth - 1) ELSE operand.n END AS last
        FROM tokens bang JOIN tokens operand ON operand.n = bang.n + 1 WHERE bang.token = '!'
    ), lexemes AS (
        SELECT n, regexp_replace(substr(token, 2, length(token) - 2), $re$(['\\])\1$re$, '\1', 'g') AS lexeme
        FROM tokens
        WHERE token LIKE '''%''' AND NOT EXISTS (SELECT FROM negated WHERE tokens.n BETWEEN first AND last)
    )
    SELECT CASE WHEN NOT EXISTS (SELECT FROM tokens WHERE token = '|' OR token ~ $re$':[*A-D]+$$re$)
        THEN (SELECT array_agg(posts.word_pair(x.lexeme, y.lexeme) ORDER BY x.n)
              FROM lexemes x JOIN tokens op ON op.n = x.n + 1 AND op.token = '<->' JOIN lexemes y ON y.n = x.n + 2)
    END
$fn$;

CREATE INDEX search_documents_word_pairs ON posts.search_documents USING gin (posts.word_pairs(document));
