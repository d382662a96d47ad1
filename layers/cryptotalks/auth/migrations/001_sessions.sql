CREATE SCHEMA IF NOT EXISTS auth;

-- A session per signed-in device. token_id is the id of the one refresh token that may rotate it now;
-- a refresh token with an older id is a replay and revokes every session of the user.
CREATE TABLE auth.sessions (
    id          uuid PRIMARY KEY,
    user_id     uuid NOT NULL,
    token_id    uuid NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    rotated_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    revoked_at  timestamptz
);
CREATE INDEX sessions_user ON auth.sessions (user_id) WHERE revoked_at IS NULL;
