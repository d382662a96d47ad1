"""The emails the users context sends."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from cryptotalks.config import settings
from cryptotalks.notifications import email
from cryptotalks.users.events import SecurityChange

_SECURITY_CHANGES = {
    SecurityChange.PASSWORD_CHANGED: "Your password was changed.",
    SecurityChange.PASSWORD_RESET: "Your password was reset.",
    SecurityChange.EMAIL_CHANGED: "The email address of your account was changed.",
    SecurityChange.EMAIL_CHANGE_REQUESTED: "Someone signed in to your account asked to change its email address to "
    "{masked_email}; the change happens once the link sent there is opened.",
    SecurityChange.TWO_FA_ENABLED: "Two-factor authentication with an authenticator app was turned on.",
    SecurityChange.TWO_FA_DISABLED: "Two-factor authentication with an authenticator app was turned off.",
    SecurityChange.PHONE_SET: "A phone number was added for SMS codes.",
    SecurityChange.PHONE_REMOVED: "The phone number for SMS codes was removed.",
}


@dataclass(frozen=True)
class Message:
    subject: str
    paragraphs: list[str]
    path: str | None = None  # a page of the web client, linked at the end


def send(to: str, username: str, message: Message) -> None:
    import html  # with its table of entities: loaded by the functions that mail, not by every route of the context

    link = f"{settings().public_base_url}{message.path}" if message.path else None
    paragraphs = [f"Hello {username},", *message.paragraphs]
    text = "\n\n".join([*paragraphs, *([link] if link else [])]) + "\n"
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    if link:
        body += f'<p><a href="{html.escape(link)}">{html.escape(link)}</a></p>'
    email.sender().send(email.Email(to=to, subject=message.subject, text=text, html=body))


def security_notice(to: str, username: str, change: SecurityChange, at: datetime, masked_email: str | None) -> None:
    send(
        to,
        username,
        Message(
            "Cryptotalks - Security notice",
            [
                _SECURITY_CHANGES[change].format(masked_email=masked_email),
                f"When: {at.astimezone(UTC):%Y-%m-%d %H:%M} UTC.",
                "If this was not you, reset your password and contact us.",
            ],
        ),
    )


def masked(address: str) -> str:
    """j***@e***.com: enough for the owner to recognise an address, too little to learn it."""
    local, _, domain = address.partition("@")
    name, dot, top = domain.rpartition(".")
    return f"{local[:1]}***@{name[:1]}***{dot}{top}" if name else f"{local[:1]}***@{domain[:1]}***"
