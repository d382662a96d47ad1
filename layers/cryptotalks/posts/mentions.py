"""`@username` mentions in posts and comments: found here, resolved against real users by whoever notifies them.
Code is not prose: mentions inside `code spans`, fenced blocks and indented code lines are ignored."""

from __future__ import annotations

import re

MAX_MENTIONS = 20  # a text naming more notifies the first ones only
_FENCED = re.compile(r"```.*?(?:```|\Z)", re.DOTALL)
_SPAN = re.compile(r"(`+).+?\1", re.DOTALL)
_INDENTED = re.compile(r"^(?: {4}|\t).*$", re.MULTILINE)
# Not inside a word or an address (ann@example.com mentions no one); the pattern of a username.
_MENTION = re.compile(r"(?<![\w@.-])@([A-Za-z0-9_.-]{3,32})")


def mentioned(paragraphs: list[str]) -> list[str]:
    """The usernames mentioned, in order of first mention, without repeats (a sentence's final dot dropped)."""
    text = "\n\n".join(paragraphs)
    for code in (_FENCED, _SPAN, _INDENTED):
        text = code.sub(" ", text)
    names = (name.rstrip(".-") for name in _MENTION.findall(text))
    return list(dict.fromkeys(name for name in names if len(name) >= 3))[:MAX_MENTIONS]
