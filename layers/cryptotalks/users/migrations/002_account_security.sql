-- Second factors. The TOTP secret is the user's shared key (it must be readable to check codes); SMS codes
-- are kept only as digests, with the number they were sent to and what they were sent for.
ALTER TABLE users.settings
    ADD COLUMN two_fa_secret       text,
    ADD COLUMN two_fa_last_step    bigint,
    ADD COLUMN phone               text,
    ADD COLUMN phone_code_digest   text,
    ADD COLUMN phone_code_phone    text,
    ADD COLUMN phone_code_purpose  text,
    ADD COLUMN phone_code_sent_at  timestamptz;
CREATE UNIQUE INDEX settings_phone_key ON users.settings (phone) WHERE phone IS NOT NULL;

ALTER TABLE users.users ADD COLUMN avatar_uploaded_at timestamptz;

-- Failed sign-ins (by lower-cased email, known or not) and wrong second-factor codes (by user id), for the
-- 5-in-15-minutes limit.
CREATE TABLE users.failed_attempts (
    subject       text NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('SIGN_IN', 'SECOND_FACTOR')),
    attempted_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX failed_attempts_recent ON users.failed_attempts (subject, kind, attempted_at DESC);
