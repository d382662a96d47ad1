"""Mentions in posts and comments, found here and resolved elsewhere: `@username` against real users by whoever
notifies them, `$BTC` cashtags against the synced coins by the posts context. Code is not prose: neither is looked
for in code spans (`x`, ``x``) or fenced blocks (``` or ~~~), as Markdown has them. Indented lines are prose: posts
are shown as plain text, where an indented line looks like any other (the web client collapses its indentation)."""

from __future__ import annotations

import re

MAX_MENTIONS = 20  # a text naming more notifies the first ones only
# A fence's line: up to three spaces, then three or more backticks (and no backtick after them: ```x``` is a code
# span) or tildes, then the info string. It closes at a line of the same character, at least as many, and no more.
_FENCE = re.compile(r" {0,3}(?P<run>`{3,}(?=[^`]*\Z)|~{3,})(?P<info>.*)")
# A code span: a run of backticks up to the next run of as many, within a paragraph.
_SPAN = re.compile(r"(?<!`)(`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)\1(?!`)", re.DOTALL)
# Not inside a word or an address (ann@example.com mentions no one).
_MENTION = re.compile(r"(?<![\w@.-])@([A-Za-z0-9_.-]+)")
_USERNAME = re.compile(r"[A-Za-z0-9_.-]{3,32}")  # the users context's USERNAME_PATTERN
# `$BTC`, `$eth`, `$1INCH`: not inside a word or after another `$`, and with a letter (`$100` is a price).
_CASHTAG = re.compile(r"(?<![\w$])\$([A-Za-z0-9]{1,15})(?![A-Za-z0-9])")


def _prose(paragraphs: list[str]) -> str:
    """A text's paragraphs joined as written (a fence may span several), its code blanked out. A fence left open
    runs to the end, as Markdown has it."""
    lines: list[str] = []
    fence: str | None = None  # the open fence's run of backticks or tildes
    for line in "\n\n".join(paragraphs).split("\n"):
        marker = _FENCE.fullmatch(line)
        if fence is None:
            if marker is None:
                lines.append(line)
                continue
            fence = marker["run"]
        elif marker and marker["run"].startswith(fence) and not marker["info"].strip():  # as many or more
            fence = None
        lines.append("")
    return _SPAN.sub(" ", "\n".join(lines))


def _names(written: str) -> list[str]:
    """The usernames `@written` may be: itself, and without its final dots (`@bob.` ends a sentence, or is the user
    `bob.`). Whoever resolves them tells the users that exist."""
    return [name for name in dict.fromkeys((written, written.rstrip("."))) if _USERNAME.fullmatch(name)]


def _mentioned(texts: list[str]) -> list[str]:
    written = dict.fromkeys(name for text in texts for name in _MENTION.findall(text))
    candidates = [names for names in map(_names, written) if names][:MAX_MENTIONS]
    return list(dict.fromkeys(name for names in candidates for name in names))


def mentioned(paragraphs: list[str]) -> list[str]:
    """The usernames a comment mentions, in order of first mention, without repeats."""
    return _mentioned([_prose(paragraphs)])


def mentioned_in(title: str, preview: str, content: list[str]) -> list[str]:
    """The usernames a post mentions in its title, preview and content, in that order, without repeats."""
    return _mentioned([_prose([title]), _prose([preview]), _prose(content)])


def cashtags(title: str, preview: str, content: list[str]) -> list[str]:
    """A post's cashtags' symbols in upper case, in the order it first names them, without repeats."""
    texts = (_prose([title]), _prose([preview]), _prose(content))
    found = (match.group(1).upper() for text in texts for match in _CASHTAG.finditer(text))
    return list(dict.fromkeys(symbol for symbol in found if not symbol.isdigit()))
