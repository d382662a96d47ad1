"""The email port: SendGrid when `SENDGRID_API_KEY` is set, else the local runtime's dev mailbox."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from cryptotalks.config import settings
from cryptotalks.notifications.dev_box import DevBox


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    text: str
    html: str
    headers: dict[str, str] = field(default_factory=dict)  # e.g. List-Unsubscribe (RFC 2369, 8058)
    sentAt: str = field(default_factory=lambda: datetime.now(UTC).isoformat())


class EmailSender(Protocol):
    def send(self, email: Email) -> None: ...


class SendGridSender:
    def __init__(self, api_key: str, sender: str, host: str | None) -> None:
        from sendgrid import SendGridAPIClient  # heavy: imported by the functions that mail only

        self._client = SendGridAPIClient(api_key, host=host) if host else SendGridAPIClient(api_key)
        self._sender = sender

    def send(self, email: Email) -> None:
        from sendgrid.helpers.mail import Header, Mail

        message = Mail(
            from_email=self._sender,
            to_emails=email.to,
            subject=email.subject,
            plain_text_content=email.text,
            html_content=email.html,
        )
        for name, value in email.headers.items():
            message.add_header(Header(name, value))
        response = self._client.send(message)
        if response.status_code >= 300:
            raise RuntimeError(f"SendGrid answered {response.status_code}")


class DevMailbox(DevBox[Email]):
    """Kept for the local runtime, served at GET /dev/mailbox."""

    file_name = "mailbox.jsonl"


def sender() -> EmailSender:
    config = settings()
    if config.sendgrid_api_key:
        return SendGridSender(config.sendgrid_api_key, config.mail_from, config.sendgrid_host)
    if config.dev_outbox_dir:
        return DevMailbox(config.dev_outbox_dir)
    raise RuntimeError("no email transport: set SENDGRID_API_KEY (or CRYPTOTALKS_DEV_OUTBOX_DIR locally)")
