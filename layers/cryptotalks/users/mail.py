"""The emails the users context sends."""

from __future__ import annotations

import html

from cryptotalks.config import settings
from cryptotalks.notifications import email
from cryptotalks.users.events import SecurityChange

_SECURITY_CHANGES = {
    SecurityChange.PASSWORD_CHANGED: "Your password was changed.",
    SecurityChange.PASSWORD_RESET: "Your password was reset.",
    SecurityChange.EMAIL_CHANGED: "The email address of your account was changed.",
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


def security_notice(to: str, username: str, change: SecurityChange) -> None:
    send(
        to,
        "Cryptotalks - Security notice",
        username,
        [_SECURITY_CHANGES[change], "If this was not you, reset your password and contact us."],
    )
