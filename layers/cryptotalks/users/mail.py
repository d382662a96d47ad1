"""The emails the users context sends."""

from __future__ import annotations

import html
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


def send(to: str, subject: str, username: str, paragraphs: list[str], link: str | None = None) -> None:
    text = "\n\n".join([f"Hello {username},", *paragraphs, *([link] if link else [])]) + "\n"
    body = "".join(f"<p>{html.escape(p)}</p>" for p in [f"Hello {username},", *paragraphs])
    if link:
        body += f'<p><a href="{html.escape(link)}">{html.escape(link)}</a></p>'
    email.sender().send(email.Email(to=to, subject=subject, text=text, html=body))


def link(path: str) -> str:
    return f"{settings().public_base_url}{path}"


def security_notice(to: str, username: str, change: SecurityChange, at: datetime, masked_email: str | None) -> None:
    send(
        to,
        "Cryptotalks - Security notice",
        username,
        [
            _SECURITY_CHANGES[change].format(masked_email=masked_email),
            f"When: {at.astimezone(UTC):%Y-%m-%d %H:%M} UTC.",
            "If this was not you, reset your password and contact us.",
        ],
    )


def masked(address: str) -> str:
    """j***@e***.com: enough for the owner to recognise an address, too little to learn it."""
    local, _, domain = address.partition("@")
    name, dot, top = domain.rpartition(".")
    return f"{local[:1]}***@{name[:1]}***{dot}{top}" if name else f"{local[:1]}***@{domain[:1]}***"
