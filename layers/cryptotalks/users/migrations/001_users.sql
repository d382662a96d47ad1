CREATE SCHEMA IF NOT EXISTS users;

CREATE TABLE users.users (
    id                 uuid PRIMARY KEY,
    email              text NOT NULL,
    username           text NOT NULL,
    password_hash      text NOT NULL,
    tac_accepted       boolean NOT NULL,
    account_confirmed  boolean NOT NULL DEFAULT false,
    first_name         text,
    last_name          text,
    twitter            text,
    linked_in          text,
    personal_website   text,
    title              text,
    bio                text,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
-- Addresses and names are unique whatever their case, so "Alice" cannot sign up beside "alice".
CREATE UNIQUE INDEX users_email_key ON users.users (lower(email));
CREATE UNIQUE INDEX users_username_key ON users.users (lower(username));

CREATE TABLE users.settings (
    user_id           uuid PRIMARY KEY REFERENCES users.users (id) ON DELETE CASCADE,
    public_email      boolean NOT NULL DEFAULT false,
    email_changed     boolean NOT NULL DEFAULT false,
    password_changed  timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);

-- Only a digest of each emailed secret is kept: a leaked table confirms nothing.
CREATE TABLE users.confirmation_hashes (
    id              uuid PRIMARY KEY,
    user_id         uuid NOT NULL REFERENCES users.users (id) ON DELETE CASCADE,
    hash_digest     text NOT NULL UNIQUE,
    kind            text NOT NULL CHECK (kind IN ('REGISTRATION', 'EMAIL_CHANGE', 'FORGOT_PASSWORD')),
    changing_email  text,
    confirmed       boolean NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX confirmation_hashes_user ON users.confirmation_hashes (user_id);
