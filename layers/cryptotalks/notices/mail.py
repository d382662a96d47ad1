"""The emails and SMS the notices context sends: a digest of notifications, each kind with its unsubscribe link."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

from cryptotalks.config import settings
from cryptotalks.notices.models import KINDS, NoticeKind
from cryptotalks.notifications import email, sms

UNSUBSCRIBE_PAGE = "/unsubscribe"  # the web client's page, which asks the API to unsubscribe (a POST)
UNSUBSCRIBE_API = "/api/notifications/unsubscribe"
SMS_TITLES = 3  # an SMS names at most this many notifications (each part of a long SMS is paid for)


@dataclass(frozen=True)
class Item:
    kind: NoticeKind
    title: str
    link: str


def _token(user_id: uuid.UUID, kind: NoticeKind) -> str:
    from cryptotalks.credentials import tokens  # PyJWT: only mails with an unsubscribe link pay for its import

    return quote(tokens.issue_unsubscribe_token(user_id, kind))


def send(to: str, username: str, user_id: uuid.UUID, items: Sequence[Item]) -> None:
    """One email telling `items` (one at once, or several in a digest). Each kind but security has a link to the
    web client's unsubscribe page; the first one's kind also goes in the RFC 8058 one-click headers, which mail
    clients POST to the API."""
    import html  # with its table of entities: loaded by the functions that mail, not by the notifications routes

    base = settings().public_base_url
    subject = f"Cryptotalks - {items[0].title}" if len(items) == 1 else f"Cryptotalks - {len(items)} new notifications"
    kinds = [kind for kind in dict.fromkeys(item.kind for item in items) if not KINDS[kind].email_required]
    tokens = {kind: _token(user_id, kind) for kind in kinds}
    stops = [(KINDS[kind].label, f"{base}{UNSUBSCRIBE_PAGE}?token={token}") for kind, token in tokens.items()]
    headers = {}
    if kinds:
        headers = {
            "List-Unsubscribe": f"<{base}{UNSUBSCRIBE_API}?token={tokens[kinds[0]]}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
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
    plain = "\n".join(text_lines) + "\n"
    email.sender().send(email.Email(to=to, subject=subject, text=plain, html=body, headers=headers))


def text(to: str, items: Sequence[Item]) -> None:
    """One SMS telling `items`: one with its link, several by their titles with a link to the notifications."""
    base = settings().public_base_url
    if len(items) == 1:
        body = f"Cryptotalks: {items[0].title} {base}{items[0].link}"
    else:
        titles = "; ".join(item.title for item in items[:SMS_TITLES])
        more = f" and {len(items) - SMS_TITLES} more" if len(items) > SMS_TITLES else ""
        body = f"Cryptotalks: {len(items)} notifications: {titles}{more}. {base}/notifications"
    sms.sender().send(sms.Sms(to=to, body=body))
