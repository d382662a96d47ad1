"""The posts context's pure rules: slugs, tags and vote arithmetic, without a database."""

from __future__ import annotations

import re

from cryptotalks import errors
from cryptotalks.errors import ApiError
from cryptotalks.posts.events import RateValue
from cryptotalks.posts.models import TAG_MAX_LENGTH

SLUG_MAX_LENGTH = 100
_VOTE_VALUE: dict[RateValue | None, int] = {None: 0, "+": 1, "-": -1}
# The ratings worth telling an author about: 10, 50, 100, 500, 1000, … 5,000,000,000.
VOTE_MILESTONES = tuple(step * 10**power for power in range(1, 10) for step in (1, 5))


def slugify(title: str) -> str:
    """As the original: lower case, spaces to hyphens, characters other than letters, digits, `_` and `-`
    dropped; then runs of hyphens collapsed. A title with none of those characters gives `post`."""
    slug = re.sub(r"[^a-z0-9_-]", "", re.sub(r"\s+", "-", title.lower()))
    slug = re.sub(r"-{2,}", "-", slug)[:SLUG_MAX_LENGTH].strip("-")
    return slug or "post"


def clean_tags(tags: list[str]) -> list[str]:
    """Tags in lower case without repeats, so that `Bitcoin` and `bitcoin` are one tag."""
    cleaned = [tag.strip().lower() for tag in tags]
    if any(not 1 <= len(tag) <= TAG_MAX_LENGTH for tag in cleaned):
        raise ApiError(errors.TAG_LENGTH)
    return list(dict.fromkeys(cleaned))


def tag_filter(tags: str | None) -> tuple[str, ...]:
    """The list's comma-separated `tags` query, read as the tags are stored."""
    return tuple(dict.fromkeys(tag.strip().lower() for tag in (tags or "").split(",") if tag.strip()))


def next_vote(previous: RateValue | None, rate: RateValue) -> tuple[RateValue | None, int]:
    """The same vote again withdraws it, the other vote replaces it: the vote now, and what the rating changes by."""
    vote = None if previous == rate else rate
    return vote, _VOTE_VALUE[vote] - _VOTE_VALUE[previous]


def crossed_milestone(before: int, after: int) -> int | None:
    """The highest milestone a rating passed on its way up from `before` to `after`, if any."""
    return max((m for m in VOTE_MILESTONES if before < m <= after), default=None)
