-- Limits on failed attempts and on sending, kept here so that they hold across every Lambda at once. A row is
-- one counted event in a bucket; a bucket is named by the SHA-256 of its key ("password:pair:<email>|<client>",
-- "sms:number:<phone>", ...), so the table holds no address, number or mistyped secret. See users/limits.py.
CREATE TABLE users.throttle (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    bucket  text NOT NULL,
    at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX throttle_bucket ON users.throttle (bucket, at DESC);
CREATE INDEX throttle_at ON users.throttle (at);
DROP TABLE users.failed_attempts;

-- Client addresses an account signed in from (password and second factor): they are not slowed down when
-- strangers guess the account's password from elsewhere.
CREATE TABLE users.known_clients (
    user_id    uuid NOT NULL REFERENCES users.users (id) ON DELETE CASCADE,
    client     text NOT NULL,
    last_seen  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, client)
);

-- The authenticator secret set-2fa issued and waits to see a code of: only that one can be turned on.
ALTER TABLE users.settings
    ADD COLUMN two_fa_pending_secret  text,
    ADD COLUMN two_fa_pending_at      timestamptz;
