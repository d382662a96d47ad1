CREATE SCHEMA IF NOT EXISTS crypto;

-- The favourites list of a user exists from sign-up on (crypto_for_user_created).
CREATE TABLE crypto.favorite_lists (
    user_id     uuid PRIMARY KEY,
    created_at  timestamptz NOT NULL DEFAULT now()
);
