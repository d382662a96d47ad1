"""The emails and SMS the notices context sends: a digest of notifications, each kind with its unsubscribe link."""

from __future__ import annotations

import html
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

from cryptotalks.config import settings
from cryptotalks.notices.models import KINDS, NoticeKind
from cryptotalks.notifications import email, sms

UNSUBSCRIBE_PATH = "/api/notifications/unsubscribe"


@dataclass(frozen=True)
class Item:
    kind: NoticeKind
    title: str
    link: str


def unsubscribe_link(user_id: uuid.UUID, kind: NoticeKind) -> str:
    """One click, signed out: a GET of the API that turns this kind's emails off."""
    from cryptotalks.security import tokens  # JWT: imported by what mails only, not by every notices function

    token = tokens.issue_unsubscribe_token(user_id, kind)
    return f"{settings().public_base_url}{UNSUBSCRIBE_PATH}?token={quote(token)}"


def send(to: str, username: str, user_id: uuid.UUID, items: Sequence[Item]) -> None:
    """One email telling `items` (one at once, or several in a digest)."""
    base = settings().public_base_url
    subject = f"Cryptotalks - {items[0].title}" if len(items) == 1 else f"Cryptotalks - {len(items)} new notifications"
    kinds = list(dict.fromkeys(item.kind for item in items))
    stops = [(KINDS[kind].label, unsubscribe_link(user_id, kind)) for kind in kinds if KINDS[kind].unsubscribable]
    text_lines = [f"Hello {username},", ""]
    text_lines += [f"- {item.title}: {base}{item.link}" for item in items]
    text_lines += ["", *(f"Stop these emails ({label}): {link}" for label, link in stops)]
    body = f"<p>Hello {html.escape(username)},</p><ul>"
    body += "".join(
        f'<li><a href="{html.escape(base + item.link)}">{html.escape(item.title)}</a></li>' for item in items
    )
    body += "</ul>" + "".join(
        f'<p><a href="{html.escape(link)}">Stop these emails ({html.escape(label)})</a></p>' for label, link in stops
    )
    email.sender().send(email.Email(to=to, subject=subject, text="\n".join(text_lines) + "\n", html=body))


def text(to: str, item: Item) -> None:
    sms.sender().send(sms.Sms(to=to, body=f"Cryptotalks: {item.title} {settings().public_base_url}{item.link}"))
