"""What a function reaches besides the database and the event bus (which every function has): its declaration
(`Endpoint`, `Subscription`, `Job`) names them with `uses=`, and the CDK stack grants it exactly those, each a
secret and its settings, or a bucket (infra_cdk/functions.py). tests/unit/test_uses.py checks each declaration
against what its function's code calls."""

from __future__ import annotations

from enum import StrEnum


class Uses(StrEnum):
    SENDGRID = "sendgrid"  # sends email (cryptotalks.notifications.email): SENDGRID_API_KEY, MAIL_FROM
    TWILIO = "twilio"  # sends SMS (cryptotalks.notifications.sms): TWILIO_AUTH_TOKEN, TWILIO_ACCOUNT_SID, TWILIO_FROM
    AVATARS_BUCKET = "avatars-bucket"  # reads, writes or signs URLs of avatars (cryptotalks.users.avatars)
    # Live market data (cryptotalks.crypto.settings): without the Coinranking key the crypto context is offline
    # and reads its bundled snapshot, CoinGecko's descriptions included.
    COINRANKING = "coinranking"
