-- Price alerts: a user's conditions on a coin, evaluated after every coin sync (coin_prices_synced) in one statement.

CREATE TABLE crypto.price_alerts (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id        uuid NOT NULL,
    coin_uuid      text NOT NULL REFERENCES crypto.coins (uuid) ON DELETE CASCADE,
    -- above / below: the price in USD reaches the threshold; change: the 24 h change is beyond ±threshold percent.
    condition      text NOT NULL CHECK (condition IN ('above', 'below', 'change')),
    threshold      numeric NOT NULL CHECK (threshold > 0),
    -- Fires when armed and the condition holds, and is then disarmed until a sync finds the condition false again:
    -- once per crossing.
    armed          boolean NOT NULL DEFAULT true,
    fired_sync_id  bigint,
    fired_at       timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now()
) WITH (fillfactor = 70);  -- room on each page: a firing or re-arming updates no indexed column, so stays HOT
CREATE INDEX price_alerts_user ON crypto.price_alerts (user_id, created_at);
CREATE INDEX price_alerts_coin ON crypto.price_alerts (coin_uuid);

-- The syncs whose prices the alerts were evaluated against: a sync is evaluated once, whatever the deliveries.
CREATE TABLE crypto.alert_evaluations (
    sync_id       bigint PRIMARY KEY,
    evaluated_at  timestamptz NOT NULL DEFAULT now(),
    fired         integer NOT NULL DEFAULT 0
);
