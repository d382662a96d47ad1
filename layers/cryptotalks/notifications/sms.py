"""The SMS port: Twilio when `TWILIO_ACCOUNT_SID` is set, else the local runtime's dev SMS box."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from cryptotalks.config import secret, settings
from cryptotalks.notifications.dev_box import DevBox

_TWILIO_API = "https://api.twilio.com"


@dataclass(frozen=True)
class Sms:
    to: str
    body: str
    sentAt: str = field(default_factory=lambda: datetime.now(UTC).isoformat())


class SmsSender(Protocol):
    def send(self, sms: Sms) -> None: ...


class TwilioSender:
    def __init__(self, account_sid: str, auth_token: str, sender: str, api_url: str | None) -> None:
        from twilio.rest import Client  # heavy: imported by the functions that text only

        self._client = Client(account_sid, auth_token, http_client=_http_client(api_url))
        self._sender = sender

    def send(self, sms: Sms) -> None:
        self._client.messages.create(to=sms.to, from_=self._sender, body=sms.body)


def _http_client(api_url: str | None) -> Any:
    """Twilio's own HTTP client, pointed at `api_url` instead of api.twilio.com when one is configured."""
    from twilio.http.http_client import TwilioHttpClient

    if not api_url:
        return TwilioHttpClient()
    base_url = api_url.rstrip("/")

    class Redirected(TwilioHttpClient):
        def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
            return super().request(method, url.replace(_TWILIO_API, base_url, 1), *args, **kwargs)

    return Redirected()


class DevSmsBox(DevBox[Sms]):
    """Kept for the local runtime, served at GET /dev/sms."""

    file_name = "sms.jsonl"


def sender() -> SmsSender:
    account_sid = os.environ.get("TWILIO_ACCOUNT_SID")
    if account_sid:
        auth_token = secret("TWILIO_AUTH_TOKEN")
        if not auth_token:
            raise RuntimeError("TWILIO_AUTH_TOKEN (or TWILIO_AUTH_TOKEN_SECRET_ARN) is not set")
        return TwilioSender(
            account_sid, auth_token, os.environ.get("TWILIO_FROM", ""), os.environ.get("TWILIO_API_URL")
        )
    folder = settings().dev_outbox_dir
    if folder:
        return DevSmsBox(folder)
    raise RuntimeError("no SMS transport: set TWILIO_ACCOUNT_SID (or CRYPTOTALKS_DEV_OUTBOX_DIR locally)")
