-- The newest posts' search documents again, in a table of their own. A word's entries in the word index grow with
-- the forum: two words that many posts have (say 10% each, 1.5% together) meant reading and intersecting both
-- words' entries of every post ever written, although their newest matches lie among the newest posts. A search
-- looks here first: an index of a bounded number of posts, whatever the forum's age. Only when these hold fewer
-- than MAX_SEARCH_RESULTS matches is every post searched (posts.search_documents).
--
-- The table holds exactly the posts created at or after `recent_search.starts_at`: the insert trigger adds those,
-- and the hourly job (jobs-refresh-recent-search) moves the start up to the newest posts' and deletes what fell
-- behind, both under the start's row lock. So the newest matches found here are the newest of all. Without a start
-- (a new or emptied database), the table holds every post.
CREATE TABLE posts.recent_search (
    only_row   boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    starts_at  timestamptz NOT NULL
);

CREATE TABLE posts.recent_search_documents (
    LIKE posts.search_documents INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE,
    PRIMARY KEY (post_id),
    FOREIGN KEY (post_id) REFERENCES posts.posts (id) ON DELETE CASCADE
);
-- Moves the start to the newest `keep` posts (`-infinity` while there are fewer), deletes the documents before it and
-- adds those after it that are missing (none but after a bulk load: the insert trigger adds each new post's).
-- Answers how many documents were deleted.
CREATE FUNCTION posts.refresh_recent_search(keep integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    start timestamptz;
    deleted integer;
BEGIN
    INSERT INTO posts.recent_search (starts_at) VALUES ('-infinity') ON CONFLICT DO NOTHING;
    PERFORM FROM posts.recent_search FOR UPDATE;
    start := coalesce(
        (SELECT created_at FROM posts.search_documents ORDER BY created_at DESC, post_id DESC OFFSET keep - 1 LIMIT 1),
        '-infinity'
    );
    UPDATE posts.recent_search SET starts_at = start;
    DELETE FROM posts.recent_search_documents WHERE created_at < start;
    GET DIAGNOSTICS deleted = ROW_COUNT;
    INSERT INTO posts.recent_search_documents
    SELECT d.* FROM posts.search_documents d
    WHERE d.created_at >= start AND NOT EXISTS (SELECT FROM posts.recent_search_documents r WHERE r.post_id = d.post_id);
    RETURN deleted;
END
$$;

-- The newest 50,000 posts (SEARCH_WINDOW in posts.data), then their indexes: those of posts.search_documents.
SELECT posts.refresh_recent_search(50000);
CREATE INDEX recent_search_documents_newest ON posts.recent_search_documents (created_at, post_id);
CREATE INDEX recent_search_documents_words ON posts.recent_search_documents USING gin (document);
CREATE INDEX recent_search_documents_word_pairs ON posts.recent_search_documents
    USING gin (posts.word_pairs(document));

-- The triggers of migrations 002 and 003, writing both tables.
CREATE OR REPLACE FUNCTION posts.index_new_posts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO posts.search_documents (post_id, created_at, document, shown_only_to)
    SELECT id, created_at, posts.search_document(title, search_tags, content),
           CASE WHEN state = 'public' THEN NULL ELSE user_id END
    FROM new_posts;
    -- FOR SHARE: a trim moving the start waits for this insert, or this insert for the trim.
    INSERT INTO posts.recent_search_documents
    SELECT d.* FROM posts.search_documents d JOIN new_posts n ON n.id = d.post_id
    WHERE d.created_at >= coalesce((SELECT starts_at FROM posts.recent_search FOR SHARE), '-infinity');
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION posts.reindex_edited_post() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    edited tsvector := posts.search_document(NEW.title, NEW.search_tags, NEW.content);
BEGIN
    UPDATE posts.search_documents SET document = edited WHERE post_id = NEW.id;
    UPDATE posts.recent_search_documents SET document = edited WHERE post_id = NEW.id;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION posts.reindex_moderated_post() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    shown uuid := CASE WHEN NEW.state = 'public' THEN NULL ELSE NEW.user_id END;
BEGIN
    UPDATE posts.search_documents SET shown_only_to = shown WHERE post_id = NEW.id;
    UPDATE posts.recent_search_documents SET shown_only_to = shown WHERE post_id = NEW.id;
    RETURN NULL;
END
$$;
