CREATE SCHEMA IF NOT EXISTS audit;

CREATE TABLE audit.action_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id    uuid NOT NULL UNIQUE,
    source      text NOT NULL,
    event       text NOT NULL,
    status      text NOT NULL,
    message     text NOT NULL,
    occurred_at timestamptz NOT NULL,
    payload     jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX action_log_time ON audit.action_log (occurred_at DESC);
CREATE INDEX action_log_event ON audit.action_log (event, occurred_at DESC);
