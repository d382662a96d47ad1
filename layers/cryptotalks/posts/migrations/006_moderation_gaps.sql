-- Moderation, second round (posts/moderation.py).

-- Comments can be held too: a new account's comment with links waits for a moderator, as its posts do.
ALTER TABLE posts.comments DROP CONSTRAINT comments_state_check;
ALTER TABLE posts.comments ADD CONSTRAINT comments_state_check CHECK (state IN ('public', 'hidden', 'held'));

-- When a moderator (or reports) last changed the item's state: the queue of hidden items shows the latest first.
ALTER TABLE posts.posts ADD COLUMN moderated_at timestamptz;
ALTER TABLE posts.comments ADD COLUMN moderated_at timestamptz;
UPDATE posts.posts SET moderated_at = updated_at WHERE state = 'hidden';
UPDATE posts.comments SET moderated_at = created_at WHERE state = 'hidden';

-- Few rows: the queue's held comments and the hidden items (state=hidden).
CREATE INDEX comments_held ON posts.comments (created_at) WHERE state = 'held';
CREATE INDEX posts_hidden ON posts.posts (moderated_at) WHERE state = 'hidden';
CREATE INDEX comments_hidden ON posts.comments (moderated_at) WHERE state = 'hidden';

-- A new account's writes (posts and comments) of the last hour, which its hourly limit counts: kept apart from the
-- posts and comments themselves, so that deleting them gives no write back. Each write drops the entries older than
-- an hour, so an account keeps at most its hourly limit of them.
ALTER TABLE posts.authors ADD COLUMN recent_writes timestamptz[] NOT NULL DEFAULT '{}';
UPDATE posts.authors a SET recent_writes = w.times
FROM (
    SELECT user_id, array_agg(created_at ORDER BY created_at) AS times FROM (
        SELECT p.user_id, p.created_at FROM posts.posts p WHERE p.created_at > now() - interval '1 hour'
        UNION ALL
        SELECT c.user_id, c.created_at FROM posts.authors na JOIN posts.comments c ON c.user_id = na.user_id
        WHERE na.created_at > now() - interval '7 days' AND c.created_at > now() - interval '1 hour'
    ) written GROUP BY user_id
) w
WHERE a.user_id = w.user_id AND a.created_at > now() - interval '7 days';
