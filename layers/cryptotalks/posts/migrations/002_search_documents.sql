-- Full-text search reads its own narrow table instead of the posts: each post's document (title, tags and content,
-- as posts.search_document makes it) beside its creation time. In posts.posts the document was stored out of line
-- (TOAST: an index lookup and a chunk to read per row), so finding the newest matches of common words read and
-- unpacked thousands of documents. Here a document of usual size stays in its row (storage MAIN: compressed in
-- place before it is ever moved out), the rows hold nothing else, and both ways to the newest matches are cheap
-- per row: the newest documents first (search_documents_newest) for words most posts have, the word index
-- (search_documents_words) then a sort of the matches by time for rarer ones.
CREATE TABLE posts.search_documents (
    post_id     uuid PRIMARY KEY REFERENCES posts.posts (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL,  -- the post's, which never changes
    document    tsvector NOT NULL
);
ALTER TABLE posts.search_documents ALTER COLUMN document SET STORAGE MAIN;

INSERT INTO posts.search_documents (post_id, created_at, document)
SELECT id, created_at, search_vector FROM posts.posts;

CREATE INDEX search_documents_newest ON posts.search_documents (created_at, post_id);
CREATE INDEX search_documents_words ON posts.search_documents USING gin (document);

-- Kept by triggers, in the writing transaction: no write can leave a post unsearchable or stale.
CREATE FUNCTION posts.index_new_posts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO posts.search_documents (post_id, created_at, document)
    SELECT id, created_at, posts.search_document(title, search_tags, content) FROM new_posts;
    RETURN NULL;
END
$$;

CREATE FUNCTION posts.reindex_edited_post() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE posts.search_documents SET document = posts.search_document(NEW.title, NEW.search_tags, NEW.content)
    WHERE post_id = NEW.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER posts_indexed_on_insert AFTER INSERT ON posts.posts
    REFERENCING NEW TABLE AS new_posts FOR EACH STATEMENT EXECUTE FUNCTION posts.index_new_posts();
-- Only when the searched text changes: votes and comment counts update posts all the time.
CREATE TRIGGER posts_indexed_on_edit AFTER UPDATE OF title, search_tags, content ON posts.posts
    FOR EACH ROW WHEN ((OLD.title, OLD.search_tags, OLD.content) IS DISTINCT FROM (NEW.title, NEW.search_tags, NEW.content))
    EXECUTE FUNCTION posts.reindex_edited_post();

-- The posts' own copy (and its index) is read by nothing now.
ALTER TABLE posts.posts DROP COLUMN search_vector;
