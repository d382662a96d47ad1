-- The notices context: what users are told (in the app, by email, by SMS), made only by consumers of events.
CREATE SCHEMA IF NOT EXISTS notices;

-- Who is who and how to reach them, from user_created, update_user_account and update_user_contact: mentions
-- are resolved here, and messages addressed, without reading users.*.
CREATE TABLE notices.users (
    user_id   uuid PRIMARY KEY,
    username  text NOT NULL,
    email     text NOT NULL,
    phone     text  -- verified (a code sent to it was given back), or NULL
);
CREATE INDEX users_username ON notices.users (lower(username));

CREATE TABLE notices.notifications (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id        uuid NOT NULL REFERENCES notices.users (user_id) ON DELETE CASCADE,
    kind           text NOT NULL,          -- comment, mention, milestone, alert, security
    title          text NOT NULL,
    link           text NOT NULL,          -- the web client's path of what it is about
    subject        text NOT NULL,          -- what it is about (post:<id>, coin:<uuid>, account): digests group by it
    -- What makes two notifications one (a mention in a comment is told once, however often its event comes).
    dedup_key      text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    read_at        timestamptz,
    email_pending  boolean NOT NULL DEFAULT false,  -- to be mailed with the user's next digest
    emailed_at     timestamptz,
    UNIQUE (user_id, dedup_key)
);
CREATE INDEX notifications_user_newest ON notices.notifications (user_id, created_at DESC, id);
CREATE INDEX notifications_unread ON notices.notifications (user_id) WHERE read_at IS NULL;
CREATE INDEX notifications_email_pending ON notices.notifications (user_id, subject) WHERE email_pending;
CREATE INDEX notifications_subject ON notices.notifications (subject);

-- Choices that differ from a kind's defaults (cryptotalks.notices.models.KINDS).
CREATE TABLE notices.preferences (
    user_id  uuid NOT NULL REFERENCES notices.users (user_id) ON DELETE CASCADE,
    kind     text NOT NULL,
    email    boolean NOT NULL,
    sms      boolean NOT NULL DEFAULT false,
    PRIMARY KEY (user_id, kind)
);

-- Messages sent: the sending limits per account, and at most one email per subject (a post) an hour.
CREATE TABLE notices.messages_sent (
    id       bigserial PRIMARY KEY,
    user_id  uuid NOT NULL REFERENCES notices.users (user_id) ON DELETE CASCADE,
    channel  text NOT NULL CHECK (channel IN ('email', 'sms')),
    subjects text[] NOT NULL DEFAULT '{}',  -- what a digest told about
    sent_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX messages_sent_user ON notices.messages_sent (user_id, channel, sent_at);
