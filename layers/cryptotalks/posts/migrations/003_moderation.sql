-- Moderation: reports of posts and comments, and the state of each (posts/moderation.py).
--   public  everyone sees it;
--   hidden  a moderator hid it, or reports from enough distinct members did (moderated_by NULL) until a moderator
--           decides;
--   held    a post with links from a new account, waiting for a moderator's approval.
-- A hidden or held item is seen by its author (marked, with moderation_reason) and by moderators only.
ALTER TABLE posts.posts
    ADD COLUMN state              text NOT NULL DEFAULT 'public' CHECK (state IN ('public', 'hidden', 'held')),
    ADD COLUMN moderation_reason  text,
    ADD COLUMN moderated_by       uuid;
ALTER TABLE posts.comments
    ADD COLUMN state              text NOT NULL DEFAULT 'public' CHECK (state IN ('public', 'hidden')),
    ADD COLUMN moderation_reason  text,
    ADD COLUMN moderated_by       uuid;
-- Few rows: whether a reader has posts only they see (the list's count), and the held posts of the queue.
CREATE INDEX posts_not_public ON posts.posts (user_id) WHERE state <> 'public';
CREATE INDEX posts_held ON posts.posts (created_at) WHERE state = 'held';

-- authors.created_at is the account's creation (the user_created envelope's time): how new an account is.
COMMENT ON COLUMN posts.authors.created_at IS 'When the account was created (user_created''s occurredAt)';

-- The post counters (posts.post_counts) count public posts only, as the lists show them to most readers.
CREATE OR REPLACE FUNCTION posts.count_written_posts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM posts.count_tags(
            ARRAY(SELECT tag FROM new_posts, unnest(search_tags || ''::text) tag WHERE state = 'public'), '{}');
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM posts.count_tags(
            '{}', ARRAY(SELECT tag FROM old_posts, unnest(search_tags || ''::text) tag WHERE state = 'public'));
    ELSE
        -- The all-posts counter ('') cancels out unless the post became public or stopped being public.
        PERFORM posts.count_tags(
            CASE WHEN NEW.state = 'public' THEN NEW.search_tags || ''::text ELSE '{}' END,
            CASE WHEN OLD.state = 'public' THEN OLD.search_tags || ''::text ELSE '{}' END);
    END IF;
    RETURN NULL;
END
$$;

DROP TRIGGER posts_counted_on_retag ON posts.posts;
CREATE TRIGGER posts_counted_on_retag AFTER UPDATE OF search_tags, state ON posts.posts
    FOR EACH ROW WHEN (OLD.search_tags IS DISTINCT FROM NEW.search_tags
        OR (OLD.state = 'public') IS DISTINCT FROM (NEW.state = 'public'))
    EXECUTE FUNCTION posts.count_written_posts();

-- Search reads posts.search_documents alone for the newest matches: each document says whom else than
-- moderators it shows to. NULL: everyone; otherwise the author only.
ALTER TABLE posts.search_documents ADD COLUMN shown_only_to uuid;

CREATE OR REPLACE FUNCTION posts.index_new_posts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO posts.search_documents (post_id, created_at, document, shown_only_to)
    SELECT id, created_at, posts.search_document(title, search_tags, content),
           CASE WHEN state = 'public' THEN NULL ELSE user_id END
    FROM new_posts;
    RETURN NULL;
END
$$;

CREATE FUNCTION posts.reindex_moderated_post() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE posts.search_documents SET shown_only_to = CASE WHEN NEW.state = 'public' THEN NULL ELSE NEW.user_id END
    WHERE post_id = NEW.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER posts_indexed_on_moderation AFTER UPDATE OF state ON posts.posts
    FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state)
    EXECUTE FUNCTION posts.reindex_moderated_post();

-- One row per report. Reports of one item (`item_id`: the comment, or the post when comment_id is NULL) are grouped
-- in the queue; a member has at most one open (undecided) report per item. A decision closes the item's reports.
CREATE TABLE posts.reports (
    id           uuid PRIMARY KEY,
    post_id      uuid NOT NULL REFERENCES posts.posts (id) ON DELETE CASCADE,
    comment_id   uuid REFERENCES posts.comments (id) ON DELETE CASCADE,
    item_id      uuid GENERATED ALWAYS AS (coalesce(comment_id, post_id)) STORED,
    reporter_id  uuid NOT NULL REFERENCES posts.authors (user_id),
    reason       text NOT NULL CHECK (reason IN ('spam', 'abuse', 'scam', 'off-topic', 'other')),
    details      text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    decided_at   timestamptz
);
CREATE UNIQUE INDEX reports_one_open_per_reporter ON posts.reports (item_id, reporter_id) WHERE decided_at IS NULL;
CREATE INDEX reports_open ON posts.reports (created_at) WHERE decided_at IS NULL;
CREATE INDEX reports_post ON posts.reports (post_id);
CREATE INDEX reports_comment ON posts.reports (comment_id) WHERE comment_id IS NOT NULL;
CREATE INDEX reports_reporter ON posts.reports (reporter_id);
