CREATE SCHEMA IF NOT EXISTS posts;

-- The posts context's own copy of each account's username, fed by user_created. A closed account keeps
-- its row with no username: its comments and votes on other people's posts show as from a deleted user.
CREATE TABLE posts.authors (
    user_id     uuid PRIMARY KEY,
    username    text,
    closed_at   timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK ((username IS NULL) = (closed_at IS NOT NULL))
);
CREATE INDEX authors_username ON posts.authors (lower(username));

-- What full-text search reads: title and tags weigh more than the body. Declared immutable so it can feed a
-- generated column (array_to_string is only stable in general, but not for text[]).
CREATE FUNCTION posts.search_document(title text, search_tags text[], content text[]) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT setweight(to_tsvector('english'::regconfig, title), 'A')
        || setweight(to_tsvector('english'::regconfig, array_to_string(search_tags, ' ')), 'A')
        || setweight(to_tsvector('english'::regconfig, array_to_string(content, ' ')), 'B')
$$;

CREATE TABLE posts.posts (
    id             uuid PRIMARY KEY,
    user_id        uuid NOT NULL REFERENCES posts.authors (user_id),
    title          text NOT NULL,
    slug           text NOT NULL,
    preview        text NOT NULL,
    content        text[] NOT NULL,
    search_tags    text[] NOT NULL DEFAULT '{}',
    -- Kept by the request that changes them, in its transaction: + votes minus - votes, and comments.
    rating         integer NOT NULL DEFAULT 0,
    comment_count  integer NOT NULL DEFAULT 0,
    search_vector  tsvector GENERATED ALWAYS AS (posts.search_document(title, search_tags, content)) STORED,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT posts_slug_key UNIQUE (slug)
);
-- One index per list order (id breaks ties so pages never overlap), the author's posts, search and tags.
CREATE INDEX posts_created ON posts.posts (created_at, id);
CREATE INDEX posts_title ON posts.posts (lower(title), id);
CREATE INDEX posts_rating ON posts.posts (rating, created_at, id);
CREATE INDEX posts_author ON posts.posts (user_id, created_at, id);
CREATE INDEX posts_search ON posts.posts USING gin (search_vector);
CREATE INDEX posts_tags ON posts.posts USING gin (search_tags);

-- How many posts carry each tag, and all posts under the empty tag (a tag is never empty): the list's `count`
-- reads one row instead of counting posts. Triggers keep it, in the writing transaction, so no write can miss it.
CREATE TABLE posts.post_counts (
    tag    text PRIMARY KEY,
    posts  integer NOT NULL
);

-- One statement, counters in tag order: concurrent writers lock them in the same order and never deadlock.
CREATE FUNCTION posts.count_tags(added text[], removed text[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO posts.post_counts AS counts (tag, posts)
    SELECT tag, sum(delta) FROM (
        SELECT unnest(added) AS tag, 1 AS delta
        UNION ALL
        SELECT unnest(removed), -1
    ) changes
    GROUP BY tag HAVING sum(delta) <> 0 ORDER BY tag
    ON CONFLICT (tag) DO UPDATE SET posts = counts.posts + EXCLUDED.posts
$$;

CREATE FUNCTION posts.count_written_posts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM posts.count_tags(ARRAY(SELECT tag FROM new_posts, unnest(search_tags || ''::text) tag), '{}');
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM posts.count_tags('{}', ARRAY(SELECT tag FROM old_posts, unnest(search_tags || ''::text) tag));
    ELSE
        PERFORM posts.count_tags(NEW.search_tags, OLD.search_tags);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER posts_counted_on_insert AFTER INSERT ON posts.posts
    REFERENCING NEW TABLE AS new_posts FOR EACH STATEMENT EXECUTE FUNCTION posts.count_written_posts();
CREATE TRIGGER posts_counted_on_delete AFTER DELETE ON posts.posts
    REFERENCING OLD TABLE AS old_posts FOR EACH STATEMENT EXECUTE FUNCTION posts.count_written_posts();
-- Per row, and only when the tags change: votes update posts all the time and must not pay for this.
CREATE TRIGGER posts_counted_on_retag AFTER UPDATE OF search_tags ON posts.posts
    FOR EACH ROW WHEN (OLD.search_tags IS DISTINCT FROM NEW.search_tags)
    EXECUTE FUNCTION posts.count_written_posts();

CREATE TABLE posts.comments (
    id          uuid PRIMARY KEY,
    post_id     uuid NOT NULL REFERENCES posts.posts (id) ON DELETE CASCADE,
    user_id     uuid NOT NULL REFERENCES posts.authors (user_id),
    payload     text NOT NULL,
    rating      integer NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX comments_post ON posts.comments (post_id, created_at);
CREATE INDEX comments_author ON posts.comments (user_id);

-- One vote per user per target: the primary keys are what makes concurrent votes count exactly.
CREATE TABLE posts.post_votes (
    post_id     uuid NOT NULL REFERENCES posts.posts (id) ON DELETE CASCADE,
    user_id     uuid NOT NULL REFERENCES posts.authors (user_id),
    rate        text NOT NULL CHECK (rate IN ('+', '-')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (post_id, user_id)
);

CREATE TABLE posts.comment_votes (
    comment_id  uuid NOT NULL REFERENCES posts.comments (id) ON DELETE CASCADE,
    user_id     uuid NOT NULL REFERENCES posts.authors (user_id),
    rate        text NOT NULL CHECK (rate IN ('+', '-')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (comment_id, user_id)
);
