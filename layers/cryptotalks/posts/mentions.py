"""Mentions in posts and comments, found here and resolved elsewhere: `@username` against real users by whoever
notifies them (code is not prose: mentions inside `code spans`, fenced blocks and indented code lines are ignored),
`$BTC` cashtags against the synced coins by the posts context."""

from __future__ import annotations

import re

MAX_MENTIONS = 20  # a text naming more notifies the first ones only
_FENCED = re.compile(r"```.*?(?:```|\Z)", re.DOTALL)
_SPAN = re.compile(r"(`+).+?\1", re.DOTALL)
_INDENTED = re.compile(r"^(?: {4}|\t).*$", re.MULTILINE)
# Not inside a word or an address (ann@example.com mentions no one); the pattern of a username.
_MENTION = re.compile(r"(?<![\w@.-])@([A-Za-z0-9_.-]{3,32})")
# `$BTC`, `$eth`, `$1INCH`: not inside a word or after another `$`, and with a letter (`$100` is a price).
_CASHTAG = re.compile(r"(?<![\w$])\$([A-Za-z0-9]{1,15})(?![A-Za-z0-9])")


def mentioned(paragraphs: list[str]) -> list[str]:
    """The usernames mentioned, in order of first mention, without repeats (a sentence's final dot dropped)."""
    text = "\n\n".join(paragraphs)
    for code in (_FENCED, _SPAN, _INDENTED):
        text = code.sub(" ", text)
    names = (name.rstrip(".-") for name in _MENTION.findall(text))
    return list(dict.fromkeys(name for name in names if len(name) >= 3))[:MAX_MENTIONS]


def cashtags(texts: list[str]) -> list[str]:
    """The cashtags' symbols in upper case, in the order the texts first name them."""
    found = (match.group(1).upper() for text in texts for match in _CASHTAG.finditer(text))
    return list(dict.fromkeys(symbol for symbol in found if not symbol.isdigit()))
