"""SQL of the posts context (schema `posts`)."""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from functools import cache
from typing import Any, Literal, NamedTuple, TypedDict, TypeVar, cast

from psycopg import Cursor, sql
from psycopg.rows import BaseRowFactory, RowFactory, RowMaker, class_row, kwargs_row
from pydantic import TypeAdapter

from cryptotalks.db import Connection
from cryptotalks.posts.events import RateValue
from cryptotalks.posts.models import MAX_SEARCH_RESULTS, OrderBy

Direction = Literal["ASC", "DESC"]

# Each list order reads one index; the later keys break ties so that pages never overlap. Titles sort
# whatever their case, so "alpha" comes before "Bravo" under any collation.
_ORDER_KEYS: dict[str, tuple[str, ...]] = {
    "createdAt": ("{t}.created_at", "{t}.id"),
    "title": ("lower({t}.title)", "{t}.id"),
    "rate": ("{t}.rating", "{t}.created_at", "{t}.id"),
}


class Target(Enum):
    """What a vote is for: the voted table and the table of its votes."""

    POST = ("posts", "post_votes", "post_id")
    COMMENT = ("comments", "comment_votes", "comment_id")

    def __init__(self, table: str, votes: str, key: str) -> None:
        self.table = sql.Identifier("posts", table)
        self.votes = sql.Identifier("posts", votes)
        self.key = sql.Identifier(key)


# Records are named tuples: a frozen dataclass costs a cold start ten times more to define (its methods are
# compiled at import, about 1 ms each). The rows with JSON columns stay dataclasses: pydantic makes those 2-3 times
# faster than named tuples.
class Viewer(NamedTuple):
    """Who reads: hidden and held items show to their author and to moderators only."""

    user_id: uuid.UUID | None = None
    moderator: bool = False


class PostFilter(NamedTuple):
    username: str | None = None
    tags: tuple[str, ...] = ()
    search: str | None = None
    viewer: Viewer = Viewer()
    coin: str | None = None  # Coinranking's id of a coin the posts mention


Row = TypeVar("Row")


@cache
def _json_row(cls: type[Row]) -> BaseRowFactory[Row]:
    """class_row for a row with JSON columns (a post's votes and comments, an item's reports): pydantic makes their
    nested rows, with uuids and times from JSON's text. Built on first use, not at every function's cold start."""
    adapter = TypeAdapter(cls)
    return kwargs_row(lambda **columns: adapter.validate_python(columns))


class SavedPostRow(NamedTuple):
    """A post as written: what its coin mentions are read from, and what its events tell."""

    title: str
    slug: str
    preview: str
    search_tags: list[str]
    content: list[str]
    created_at: datetime


class LockedPostRow(NamedTuple):
    user_id: uuid.UUID
    title: str
    slug: str
    state: str
    moderation_reason: str | None


class VoteJson(TypedDict):
    """A vote as `_votes_json` writes it."""

    user_id: str
    username: str | None  # None once the account is closed
    rate: str


class CommentJson(TypedDict):
    """A comment as find_post's statement writes it."""

    id: str
    user_id: str
    username: str | None  # None once the account is closed
    payload: str
    created_at: str
    rating: int
    rates: list[VoteJson]
    state: str
    moderation_reason: str | None


class CoinJson(TypedDict):
    uuid: str
    symbol: str
    name: str


class PostRow(NamedTuple):
    """A post with all its votes, the comments the viewer may see and the coins it mentions: find_post's columns,
    in their order."""

    id: uuid.UUID
    user_id: uuid.UUID
    username: str
    title: str
    slug: str
    content: list[str]
    preview: str
    search_tags: list[str]
    created_at: datetime
    updated_at: datetime
    rating: int
    comment_count: int
    state: str
    moderation_reason: str | None
    rates: list[VoteJson]
    comments: list[CommentJson]
    coins: list[CoinJson]


class PostSummaryRow(NamedTuple):
    """A listed post, with the reader's own vote only: list_posts' columns, in their order."""

    id: uuid.UUID
    user_id: uuid.UUID
    username: str
    title: str
    preview: str
    slug: str
    search_tags: list[str]
    created_at: datetime
    rating: int
    comment_count: int
    state: str
    moderation_reason: str | None
    rates: list[VoteJson]
    total: int | None = None  # a search's matches, on each of its rows


Named = TypeVar("Named", bound=tuple[Any, ...])


def _named_row(cls: type[Named]) -> RowFactory[Named]:
    """Rows as the NamedTuple `cls`, whose fields are the statement's columns in their order (checked on each
    result): the cheapest typed row psycopg makes, for the reads behind every page (a pydantic-made row, then the
    answer's models, took as long as the statement's own fetch). Their JSON columns stay the JSON's dicts and
    lists: the answer's models parse their uuids and times."""

    def make(cursor: Cursor[Any]) -> RowMaker[Named]:
        names = tuple(column.name for column in cursor.description or ())
        fields: tuple[str, ...] = cls._fields  # type: ignore[attr-defined]
        if names != fields[: len(names)]:
            raise TypeError(f"{cls.__name__} takes the columns {fields}, not {names}")
        return lambda values: cls(*values)

    return make


class StateRow(NamedTuple):
    """A post's or a comment's author and moderation state."""

    user_id: uuid.UUID
    state: str


class RatingRow(NamedTuple):
    rating: int
    user_id: uuid.UUID  # the author of what was rated


class ItemRow(NamedTuple):
    """A post or a comment to moderate; `post_author_id`, `post_state` and `posted_at` are its post's (the item's own
    for a post)."""

    post_id: uuid.UUID
    comment_id: uuid.UUID | None
    user_id: uuid.UUID
    slug: str
    state: str
    moderated_by: uuid.UUID | None
    post_author_id: uuid.UUID
    post_state: str
    posted_at: datetime

    @property
    def id(self) -> uuid.UUID:
        """The comment's id, or the post's for a post."""
        return self.comment_id or self.post_id


@dataclass(frozen=True)
class ReportRow:
    reporter_id: uuid.UUID
    username: str | None  # None once the account is closed
    reason: str
    text: str | None
    created_at: datetime


@dataclass(frozen=True)
class QueueRow:
    """An item waiting for a decision, with its open reports and the number of items waiting (`total`)."""

    item_type: str
    item_id: uuid.UUID
    post_id: uuid.UUID
    slug: str
    title: str
    excerpt: str
    author_id: uuid.UUID
    username: str | None  # None once the account is closed
    state: str
    moderation_reason: str | None
    report_count: int
    last_activity_at: datetime
    reports: list[ReportRow]
    total: int


def _shown(alias: str, viewer: Viewer) -> sql.Composable:
    """The rows of `alias` (posts or comments) the viewer may see; parameter `viewer`."""
    if viewer.moderator:
        return sql.SQL("true")
    return sql.SQL("({t}.state = 'public' OR {t}.user_id = %(viewer)s)").format(t=sql.Identifier(alias))


_EVERY_VOTER = sql.SQL("true")


def _votes_json(target: Target, target_id: sql.Composable, voter: sql.Composable = _EVERY_VOTER) -> sql.Composed:
    """The votes on one target (those for which `voter` holds) as the original's JSON array; the username is null
    once an account is closed. The username is a subquery per vote, so it is always a primary-key lookup, however
    many votes there are."""
    return sql.SQL(
        "(SELECT coalesce(json_agg(json_build_object('user_id', v.user_id, 'username',"
        " (SELECT va.username FROM posts.authors va WHERE va.user_id = v.user_id), 'rate', v.rate)"
        " ORDER BY v.created_at, v.user_id), '[]'::json)"
        " FROM {votes} v WHERE v.{key} = {target_id} AND {voter})"
    ).format(votes=target.votes, key=target.key, target_id=target_id, voter=voter)


# Authors


def insert_author(conn: Connection, user_id: uuid.UUID, username: str, created_at: datetime) -> None:
    conn.execute(
        "INSERT INTO posts.authors (user_id, username, created_at) VALUES (%s, %s, %s)"
        " ON CONFLICT (user_id) DO NOTHING",
        (user_id, username, created_at),
    )


def rename_author(conn: Connection, user_id: uuid.UUID, username: str) -> None:
    conn.execute("UPDATE posts.authors SET username = %s WHERE user_id = %s AND closed_at IS NULL", (username, user_id))


def find_username(conn: Connection, user_id: uuid.UUID) -> str | None:
    row = conn.execute("SELECT username FROM posts.authors WHERE user_id = %s", (user_id,)).fetchone()
    return row["username"] if row else None


def close_author(conn: Connection, user_id: uuid.UUID) -> None:
    """Also when user_created has not arrived yet: a late user_created then finds the account closed."""
    conn.execute(
        "INSERT INTO posts.authors (user_id, username, closed_at) VALUES (%s, NULL, now())"
        " ON CONFLICT (user_id) DO UPDATE SET username = NULL, closed_at = coalesce(authors.closed_at, now())",
        (user_id,),
    )


# Posts


def insert_post(
    conn: Connection, post_id: uuid.UUID, user_id: uuid.UUID, slug: str, fields: dict[str, Any]
) -> SavedPostRow:
    row = (
        conn.cursor(row_factory=class_row(SavedPostRow))
        .execute(
            "INSERT INTO posts.posts (id, user_id, slug, title, preview, content, search_tags, state,"
            " moderation_reason) VALUES (%(id)s, %(user_id)s, %(slug)s, %(title)s, %(preview)s, %(content)s,"
            " %(searchTags)s, %(state)s, %(reason)s) RETURNING title, slug, preview, search_tags, content, created_at",
            {"id": post_id, "user_id": user_id, "slug": slug, "state": "public", "reason": None, **fields},
        )
        .fetchone()
    )
    assert row is not None
    return row


def lock_post(conn: Connection, post_id: uuid.UUID) -> LockedPostRow | None:
    """Its author, title, slug and moderation state; the row stays locked against concurrent edits and votes until
    the end of the transaction."""
    return (
        conn.cursor(row_factory=class_row(LockedPostRow))
        .execute(
            "SELECT user_id, title, slug, state, moderation_reason FROM posts.posts WHERE id = %s FOR NO KEY UPDATE",
            (post_id,),
        )
        .fetchone()
    )


def update_post(conn: Connection, post_id: uuid.UUID, slug: str, changes: dict[str, Any]) -> SavedPostRow:
    """Changes the given fields (the others stay)."""
    values = {
        "title": None,
        "preview": None,
        "content": None,
        "searchTags": None,
        **changes,
        "id": post_id,
        "slug": slug,
    }
    row = (
        conn.cursor(row_factory=class_row(SavedPostRow))
        .execute(
            "UPDATE posts.posts SET slug = %(slug)s, title = coalesce(%(title)s, title),"
            " preview = coalesce(%(preview)s, preview), content = coalesce(%(content)s, content),"
            " search_tags = coalesce(%(searchTags)s, search_tags), updated_at = now() WHERE id = %(id)s"
            " RETURNING title, slug, preview, search_tags, content, created_at",
            values,
        )
        .fetchone()
    )
    assert row is not None
    return row


def delete_post(conn: Connection, post_id: uuid.UUID) -> None:
    """Its comments and all votes go with it (foreign keys cascade)."""
    conn.execute("DELETE FROM posts.posts WHERE id = %s", (post_id,))


def delete_posts_of(conn: Connection, user_id: uuid.UUID) -> list[uuid.UUID]:
    rows = conn.execute("DELETE FROM posts.posts WHERE user_id = %s RETURNING id", (user_id,)).fetchall()
    return [row["id"] for row in rows]


def find_post_state(conn: Connection, post_id: uuid.UUID) -> StateRow | None:
    """The post's author and moderation state, without a lock."""
    return (
        conn.cursor(row_factory=class_row(StateRow))
        .execute("SELECT user_id, state FROM posts.posts WHERE id = %s", (post_id,))
        .fetchone()
    )


def find_post(conn: Connection, slug: str, viewer: Viewer) -> PostRow | None:
    """The post with its votes and its comments (each with its votes) that the viewer may see, in one statement;
    the caller checks whether the viewer may see the post itself."""
    cursor = conn.cursor(row_factory=_named_row(PostRow))
    return cursor.execute(_post_query(viewer.moderator), {"slug": slug, "viewer": viewer.user_id}).fetchone()


@cache
def _post_query(moderator: bool) -> bytes:
    """find_post's statement, composed once for each kind of viewer (composing took a tenth of a read's time)."""
    return (
        sql.SQL(
            "SELECT p.id, p.user_id, a.username, p.title, p.slug, p.content, p.preview, p.search_tags, p.created_at,"
            " p.updated_at, p.rating, p.comment_count, p.state, p.moderation_reason, {post_votes} AS rates,"
            " (SELECT coalesce(json_agg(json_build_object('id', c.id, 'user_id', c.user_id, 'username',"
            " (SELECT ca.username FROM posts.authors ca WHERE ca.user_id = c.user_id),"
            " 'payload', c.payload, 'created_at', c.created_at, 'rating', c.rating, 'rates', {comment_votes},"
            " 'state', c.state, 'moderation_reason', c.moderation_reason)"
            " ORDER BY c.created_at, c.id), '[]'::json)"
            " FROM posts.comments c WHERE c.post_id = p.id AND {shown}) AS comments,"
            " (SELECT coalesce(json_agg(json_build_object('uuid', k.uuid, 'symbol', k.symbol, 'name', k.name)"
            " ORDER BY m.place), '[]'::json)"
            " FROM posts.coin_mentions m JOIN posts.coins k ON k.uuid = m.coin_uuid WHERE m.post_id = p.id) AS coins"
            " FROM posts.posts p JOIN posts.authors a ON a.user_id = p.user_id WHERE p.slug = %(slug)s"
        )
        .format(
            post_votes=_votes_json(Target.POST, sql.SQL("p.id")),
            comment_votes=_votes_json(Target.COMMENT, sql.SQL("c.id")),
            shown=_shown("c", Viewer(moderator=moderator)),
        )
        .as_bytes(None)
    )


# Coins (the catalogue crypto publishes) and the posts' mentions of them


def record_coins(conn: Connection, synced_at: datetime, coins: list[dict[str, Any]]) -> None:
    """Keeps each coin as the newest sync sent it. Rows are written in id order, so two parts arriving at once
    never wait on each other's rows in opposite orders."""
    conn.execute(
        "INSERT INTO posts.coins AS k (uuid, symbol, name, rank, synced_at)"
        " SELECT uuid, symbol, name, rank, %s FROM json_to_recordset(%s::json)"
        " AS c(uuid text, symbol text, name text, rank int) ORDER BY uuid"
        " ON CONFLICT (uuid) DO UPDATE SET symbol = EXCLUDED.symbol, name = EXCLUDED.name, rank = EXCLUDED.rank,"
        " synced_at = EXCLUDED.synced_at WHERE k.synced_at <= EXCLUDED.synced_at",
        (synced_at, json.dumps(coins)),
    )


def resolve_coins(conn: Connection, named: list[str]) -> dict[str, str]:
    """The coin each name stands for (`$BTC`, or a tag: posts.named_coin), for the names a coin has."""
    rows = conn.execute(
        "SELECT named, coin FROM (SELECT named, posts.named_coin(named) AS coin FROM unnest(%s::text[]) AS n (named))"
        " AS found WHERE coin IS NOT NULL",
        (named,),
    ).fetchall()
    return {row["named"]: row["coin"] for row in rows}


def replace_candidates(conn: Connection, post_id: uuid.UUID, named: list[str]) -> None:
    """The names the post gives that no coin has (yet), in the order it gives them."""
    conn.execute("DELETE FROM posts.coin_candidates WHERE post_id = %s", (post_id,))
    if named:
        conn.execute(
            "INSERT INTO posts.coin_candidates (named, post_id, place)"
            " SELECT named, %s, place FROM unnest(%s::text[]) WITH ORDINALITY AS n (named, place)",
            (post_id, named),
        )


class LateMentionsRow(NamedTuple):
    """A post whose names coins of the catalogue now have: its mentions, as they are now."""

    id: uuid.UUID
    created_at: datetime
    state: str
    revision: int
    coins: list[str]


def lock_posts_naming(conn: Connection, coin_uuids: list[str], most: int) -> list[uuid.UUID]:
    """The newest `most` posts with a name that one of these coins has (its symbol as a cashtag or a tag, its name,
    its slug), locked in id order: as an edit locks its post before its names, and two parts of a catalogue alike."""
    rows = conn.execute(
        "SELECT id FROM posts.posts WHERE id IN ("
        " SELECT id FROM posts.posts WHERE id = ANY(ARRAY("
        "  SELECT DISTINCT c.post_id FROM posts.coins k CROSS JOIN LATERAL"
        "  (VALUES ('$' || upper(k.symbol)), (lower(k.symbol)), (lower(k.name)), (k.slug)) AS n (named)"
        "  JOIN posts.coin_candidates c ON c.named = n.named WHERE k.uuid = ANY(%s)"
        " )) ORDER BY created_at DESC LIMIT %s"
        ") ORDER BY id FOR UPDATE",
        (coin_uuids, most),
    ).fetchall()
    return [row["id"] for row in rows]


def resolve_candidates(conn: Connection, post_ids: list[uuid.UUID], most: int) -> list[LateMentionsRow]:
    """The names of these posts that coins now have leave their candidates; the coins they do not mention yet are
    added after their mentions (in the order the post names them, `most` at most), under a new revision.
    Answers the posts whose mentions changed."""
    changed = conn.execute(
        "WITH resolved AS ("
        " SELECT post_id, named, place, posts.named_coin(named) AS coin_uuid"
        " FROM posts.coin_candidates WHERE post_id = ANY(%(posts)s)"
        "), gone AS ("
        " DELETE FROM posts.coin_candidates c USING resolved r"
        " WHERE r.coin_uuid IS NOT NULL AND (c.named, c.post_id) = (r.named, r.post_id)"
        "), fresh AS ("  # each coin once, at the first name it has
        " SELECT DISTINCT ON (post_id, coin_uuid) post_id, coin_uuid, place FROM resolved r"
        " WHERE coin_uuid IS NOT NULL AND NOT EXISTS"
        " (SELECT FROM posts.coin_mentions m WHERE (m.post_id, m.coin_uuid) = (r.post_id, r.coin_uuid))"
        " ORDER BY post_id, coin_uuid, place"
        "), placed AS ("
        " SELECT f.post_id, f.coin_uuid,"
        " (SELECT coalesce(max(m.place), 0) FROM posts.coin_mentions m WHERE m.post_id = f.post_id)"
        " + row_number() OVER (PARTITION BY f.post_id ORDER BY f.place) AS place"
        " FROM fresh f"
        "), added AS ("
        " INSERT INTO posts.coin_mentions (post_id, coin_uuid, place)"
        " SELECT post_id, coin_uuid, place FROM placed WHERE place <= %(most)s RETURNING post_id"
        ")"
        " UPDATE posts.posts p SET mentions_revision = mentions_revision + 1"
        " WHERE p.id IN (SELECT post_id FROM added) RETURNING p.id",
        {"posts": post_ids, "most": most},
    ).fetchall()
    return (
        conn.cursor(row_factory=class_row(LateMentionsRow))
        .execute(
            "SELECT p.id, p.created_at, p.state, p.mentions_revision AS revision,"
            " ARRAY(SELECT coin_uuid FROM posts.coin_mentions WHERE post_id = p.id ORDER BY place) AS coins"
            " FROM posts.posts p WHERE p.id = ANY(%s) ORDER BY p.id",
            ([row["id"] for row in changed],),
        )
        .fetchall()
    )


def mentioned_coins(conn: Connection, post_id: uuid.UUID) -> list[str]:
    rows = conn.execute(
        "SELECT coin_uuid FROM posts.coin_mentions WHERE post_id = %s ORDER BY place", (post_id,)
    ).fetchall()
    return [row["coin_uuid"] for row in rows]


def replace_mentions(conn: Connection, post_id: uuid.UUID, coin_uuids: list[str]) -> int:
    """The post's mentions become these coins, in this order; returns the post's new mentions revision."""
    conn.execute("DELETE FROM posts.coin_mentions WHERE post_id = %s", (post_id,))
    conn.execute(
        "INSERT INTO posts.coin_mentions (post_id, coin_uuid, place)"
        " SELECT %s, coin_uuid, place FROM unnest(%s::text[]) WITH ORDINALITY AS m (coin_uuid, place)",
        (post_id, coin_uuids),
    )
    return next_mentions_revision(conn, post_id)


def next_mentions_revision(conn: Connection, post_id: uuid.UUID) -> int:
    row = conn.execute(
        "UPDATE posts.posts SET mentions_revision = mentions_revision + 1 WHERE id = %s RETURNING mentions_revision",
        (post_id,),
    ).fetchone()
    assert row is not None
    return int(row["mentions_revision"])


# A search looks for its newest matches among this many newest posts first (posts.recent_search_documents, migration
# 008): enough to find MAX_SEARCH_RESULTS of words that 1% of the posts have.
SEARCH_WINDOW = 100 * MAX_SEARCH_RESULTS


def refresh_recent_search(conn: Connection) -> int:
    """Moves the newest posts' search documents on to the newest SEARCH_WINDOW posts; answers how many fell behind."""
    row = conn.execute("SELECT posts.refresh_recent_search(%s) AS deleted", (SEARCH_WINDOW,)).fetchone()
    assert row is not None
    return int(row["deleted"])


# Text that websearch_to_tsquery turns into a phrase (words that must follow each other): a quote, or words joined
# by punctuation ("cold-storage", "v2.0"). Reading it wrong only changes the plan, never the answer.
_PHRASE = re.compile(r'"|\w[^\w\s]+\w')
# A phrase's matches, found through the index of adjacent word pairs (migration 005) when the query has pairs that
# every match has (posts.phrase_pairs: a query without OR, its phrases outside a NOT): only the documents with all
# of them are checked for the phrase. The query is a constant when planned (the statement is never prepared) and
# both functions are immutable, so the planner computes the pairs and keeps one branch of the CASE. In the pairs'
# branch the phrase is checked by function (ts_match_vq is `@@`), which no index serves: through the word index
# too, the planner would read every post with the phrase's words again, and recompute each one's pairs.
_PHRASE_MATCH = sql.SQL(
    "CASE WHEN posts.phrase_pairs(query) IS NULL THEN d.document @@ query"
    " ELSE posts.word_pairs(d.document) @> posts.phrase_pairs(query) AND ts_match_vq(d.document, query) END"
)


@dataclass(frozen=True)
class _Shape:
    """What a filter's statements are made of, whatever its values: they are composed once per shape."""

    tags: bool
    username: bool
    coin: bool
    search: Literal["words", "phrase"] | None
    moderator: bool

    @staticmethod
    def of(where: PostFilter) -> _Shape:
        search: Literal["words", "phrase"] | None = None
        if where.search:
            search = "phrase" if _PHRASE.search(where.search) else "words"
        return _Shape(bool(where.tags), bool(where.username), bool(where.coin), search, where.viewer.moderator)


def _parameters(conn: Connection, where: PostFilter) -> dict[str, Any]:
    """The values of `_matching`'s parameters."""
    return {
        "viewer": where.viewer.user_id,
        "tags": list(where.tags),
        "username": where.username,
        "coin": where.coin,
        "search": where.search,
        "most": MAX_SEARCH_RESULTS,
    }


@dataclass(frozen=True)
class _Matching:
    posts: sql.Composable  # FROM … WHERE … of the matching posts, `p`
    documents: sql.Composable | None = None  # a search's: FROM … of its newest matches' documents, `d`, alone


@cache
def _matching(shape: _Shape) -> _Matching:
    """`FROM … WHERE …` of the posts matching a filter of this shape, named `p`; its parameters are
    `_parameters(conn, where)`. A search keeps only the newest matches, at most MAX_SEARCH_RESULTS, whose documents are
    `d.document`: ranking is then bounded however common the words are.

    Statements built on it with tags or words are never prepared (`_prepare`): their best plan depends on how common
    the tag or the words are (walk the newest posts, or read the index), which a generic plan cannot know."""
    conditions: list[sql.Composable] = [sql.SQL("true")]
    if shape.tags:
        conditions.append(sql.SQL("p.search_tags && %(tags)s::text[]"))
    if shape.username:
        conditions.append(
            sql.SQL("p.user_id IN (SELECT user_id FROM posts.authors WHERE lower(username) = lower(%(username)s))")
        )
    if shape.coin:
        conditions.append(sql.SQL("p.id IN (SELECT post_id FROM posts.coin_mentions WHERE coin_uuid = %(coin)s)"))
    if shape.search is None:
        shown = [*conditions, _shown("p", Viewer(moderator=shape.moderator))]
        return _Matching(sql.SQL("FROM posts.posts p WHERE {}").format(sql.SQL(" AND ").join(shown)))
    # The documents say whom a hidden or held post shows to: the newest matches are those the viewer may see.
    if not shape.moderator:
        conditions.append(sql.SQL("(d.shown_only_to IS NULL OR d.shown_only_to = %(viewer)s)"))
    query = sql.SQL("websearch_to_tsquery('english', %(search)s) query")

    def newest(table: str) -> sql.Composed:
        """The newest matching documents of `table` (narrow rows that keep their documents in them). The planner
        walks the newest documents (words most posts have) or reads the word index then sorts (rarer words). It
        cannot tell how rare a phrase is (it counts the posts with all its words), and walking for a rare phrase
        reads every document: a phrase is always matched through an index (OFFSET 0 keeps the planner from
        walking), checking the posts that have its word pairs (_PHRASE_MATCH), or all its words when its pairs are
        not necessary to it."""
        documents: sql.Composable
        if shape.search == "phrase":
            documents = sql.SQL("(SELECT d.* FROM posts.{table} d, {query} WHERE {phrase} OFFSET 0) d").format(
                table=sql.Identifier(table), query=query, phrase=_PHRASE_MATCH
            )
            matches = conditions
        else:
            documents = sql.SQL("posts.{table} d").format(table=sql.Identifier(table))
            matches = [*conditions, sql.SQL("d.document @@ query")]
        # Without filters on the posts, their rows are read for the newest matches only.
        filtered = shape.tags or shape.username or shape.coin
        with_posts = sql.SQL(" JOIN posts.posts p ON p.id = d.post_id") if filtered else sql.SQL("")
        return sql.SQL(
            "SELECT d.post_id, d.created_at, d.document FROM {documents}{with_posts}, {query} WHERE {matches}"
            " ORDER BY d.created_at DESC, d.post_id DESC LIMIT %(most)s"
        ).format(documents=documents, with_posts=with_posts, query=query, matches=sql.SQL(" AND ").join(matches))

    # Most searches find their newest matches among the newest posts, which have indexes of their own: looked for
    # there first, the work is that of the newest posts' entries, however many posts are older. Only when they hold
    # too few matches is every post searched.
    documents = sql.SQL(
        "(WITH recent AS MATERIALIZED ({recent})"
        " SELECT * FROM recent WHERE (SELECT count(*) FROM recent) = %(most)s"
        " UNION ALL SELECT * FROM ({everywhere}) everywhere WHERE (SELECT count(*) FROM recent) < %(most)s) d"
    ).format(recent=newest("recent_search_documents"), everywhere=newest("search_documents"))
    return _Matching(
        sql.SQL("FROM {documents} JOIN posts.posts p ON p.id = d.post_id, {query}").format(
            documents=documents, query=query
        ),
        sql.SQL("FROM {documents}, {query}").format(documents=documents, query=query),
    )


def _order(alias: str, order_by: OrderBy, direction: Direction, rank: sql.Composable | None) -> sql.Composed:
    keys = [
        sql.SQL("{} {}").format(sql.SQL(key).format(t=sql.Identifier(alias)), sql.SQL(direction))
        for key in _ORDER_KEYS[order_by]
    ]
    if rank is not None:  # a search shows the best matches first; the chosen order breaks ties
        keys.insert(0, sql.SQL("{} DESC").format(rank))
    return sql.SQL(", ").join(keys)


def _prepare(shape: _Shape) -> bool | None:
    """Whether a statement on `_matching` may be prepared: None (psycopg's default: once it has run a few
    times on the connection, it is planned no more) unless its plan depends on the tag or the words (False).
    Behind RDS Proxy too: its multiplexing keeps a session's prepared statements (extended query protocol)."""
    return False if shape.search or shape.tags or shape.coin else None


@dataclass(frozen=True)
class Page:
    rows: list[PostSummaryRow]
    total: int | None  # known when the filter was a search (its matches are few enough to count on the way)


def list_posts(
    conn: Connection,
    where: PostFilter,
    order_by: OrderBy,
    direction: Direction,
    limit: int,
    offset: int,
    reader: uuid.UUID | None,
) -> Page:
    """One page of posts, each with the reader's own vote (none when anonymous): a primary-key lookup per post,
    so a page's size does not grow with its posts' votes (their sum is `rating`)."""
    shape = _Shape.of(where)
    values = {**_parameters(conn, where), "limit": limit, "offset": offset, "reader": reader}
    rows = (
        conn.cursor(row_factory=_named_row(PostSummaryRow))
        .execute(_page_query(shape, order_by, direction), values, prepare=_prepare(shape))
        .fetchall()
    )
    return Page(rows, rows[0].total if where.search and rows else None)


# A page's columns of each post.
_SUMMARY_COLUMNS = sql.SQL(
    "p.id, p.user_id, p.title, p.preview, p.slug, p.search_tags, p.created_at, p.rating, p.comment_count, p.state,"
    " p.moderation_reason"
)


@cache
def _page_query(shape: _Shape, order_by: OrderBy, direction: Direction) -> bytes:
    """list_posts' statement, composed once per shape and order (composing took a tenth of a page's time)."""
    ranked = shape.search is not None
    matching = _matching(shape)
    page: sql.Composable
    if matching.documents is not None and order_by == "createdAt":
        # Ranked and paged by the documents alone (their time and id are the post's): the posts' rows are read for
        # the page only, not for each of up to MAX_SEARCH_RESULTS matches.
        page = sql.SQL(
            "SELECT {columns}, ranked.rank, ranked.total FROM (SELECT d.post_id, ts_rank(d.document, query) AS rank,"
            " count(*) OVER () AS total {documents} ORDER BY rank DESC, d.created_at {direction},"
            " d.post_id {direction} LIMIT %(limit)s OFFSET %(offset)s) ranked"
            " JOIN posts.posts p ON p.id = ranked.post_id"
        ).format(columns=_SUMMARY_COLUMNS, documents=matching.documents, direction=sql.SQL(direction))
    else:
        page = sql.SQL(
            "SELECT {columns}{ranking} {matching} ORDER BY {order} LIMIT %(limit)s OFFSET %(offset)s"
        ).format(
            columns=_SUMMARY_COLUMNS,
            ranking=sql.SQL(", ts_rank(d.document, query) AS rank, count(*) OVER () AS total")
            if ranked
            else sql.SQL(""),
            matching=matching.posts,
            # In the inner ORDER BY the rank is the output column, named bare.
            order=_order("p", order_by, direction, sql.SQL("rank") if ranked else None),
        )
    return (
        sql.SQL(
            "SELECT page.id, page.user_id, a.username, page.title, page.preview, page.slug, page.search_tags,"
            " page.created_at, page.rating, page.comment_count, page.state, page.moderation_reason,"
            " {votes} AS rates{total} FROM ({page}) page"
            " JOIN posts.authors a ON a.user_id = page.user_id ORDER BY {outer_order}"
        )
        .format(
            votes=_votes_json(Target.POST, sql.SQL("page.id"), sql.SQL("v.user_id = %(reader)s")),
            total=sql.SQL(", page.total") if ranked else sql.SQL(""),
            page=page,
            outer_order=_order("page", order_by, direction, sql.Identifier("page", "rank") if ranked else None),
        )
        .as_bytes(None)
    )


def count_posts(conn: Connection, where: PostFilter) -> int:
    """All public posts, or those of one tag, are counted already (posts.post_counts); other filters count now, and
    so do viewers who see more than the public posts (moderators, authors of hidden or held posts)."""
    counted = not (
        where.search or where.username or where.coin or len(where.tags) > 1 or _sees_unlisted(conn, where.viewer)
    )
    if counted:
        row = conn.execute(
            "SELECT posts FROM posts.post_counts WHERE tag = %s", (where.tags[0] if where.tags else "",)
        ).fetchone()
        return int(row["posts"]) if row else 0
    shape = _Shape.of(where)
    statement = sql.SQL("SELECT count(*) {}").format(_matching(shape).posts)
    row = conn.execute(statement, _parameters(conn, where), prepare=_prepare(shape)).fetchone()
    return int(row["count"]) if row else 0


def _sees_unlisted(conn: Connection, viewer: Viewer) -> bool:
    if viewer.moderator:
        return True
    if viewer.user_id is None:
        return False
    row = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM posts.posts WHERE user_id = %s AND state <> 'public')", (viewer.user_id,)
    ).fetchone()
    return bool(row and row["exists"])


# Comments and votes


def insert_comment(
    conn: Connection,
    comment_id: uuid.UUID,
    post_id: uuid.UUID,
    user_id: uuid.UUID,
    payload: str,
    state: str = "public",
    reason: str | None = None,
) -> None:
    conn.execute(
        "INSERT INTO posts.comments (id, post_id, user_id, payload, state, moderation_reason)"
        " VALUES (%s, %s, %s, %s, %s, %s)",
        (comment_id, post_id, user_id, payload, state, reason),
    )


def lock_comment(conn: Connection, post_id: uuid.UUID, comment_id: uuid.UUID) -> StateRow | None:
    """Locks a comment of that post against concurrent votes; its author and state, or None when the post has no
    such comment."""
    return (
        conn.cursor(row_factory=class_row(StateRow))
        .execute(
            "SELECT user_id, state FROM posts.comments WHERE id = %s AND post_id = %s FOR NO KEY UPDATE",
            (comment_id, post_id),
        )
        .fetchone()
    )


def find_vote(conn: Connection, target: Target, target_id: uuid.UUID, user_id: uuid.UUID) -> RateValue | None:
    query = sql.SQL("SELECT rate FROM {votes} WHERE {key} = %s AND user_id = %s").format(
        votes=target.votes, key=target.key
    )
    row = conn.execute(query, (target_id, user_id)).fetchone()
    return cast(RateValue, row["rate"]) if row else None


def save_vote(conn: Connection, target: Target, target_id: uuid.UUID, user_id: uuid.UUID, rate: str | None) -> None:
    """Sets the user's vote on the target, or removes it (None)."""
    if rate is None:
        query = sql.SQL("DELETE FROM {votes} WHERE {key} = %s AND user_id = %s")
        params: tuple[Any, ...] = (target_id, user_id)
    else:
        query = sql.SQL(
            "INSERT INTO {votes} ({key}, user_id, rate) VALUES (%s, %s, %s)"
            " ON CONFLICT ({key}, user_id) DO UPDATE SET rate = EXCLUDED.rate"
        )
        params = (target_id, user_id, rate)
    conn.execute(query.format(votes=target.votes, key=target.key), params)


def add_to_rating(conn: Connection, target: Target, target_id: uuid.UUID, delta: int) -> RatingRow:
    """Answers the target's rating afterwards and its author."""
    query = sql.SQL("UPDATE {table} SET rating = rating + %s WHERE id = %s RETURNING rating, user_id").format(
        table=target.table
    )
    row = conn.cursor(row_factory=class_row(RatingRow)).execute(query, (delta, target_id)).fetchone()
    assert row is not None
    return row


def post_slug(conn: Connection, post_id: uuid.UUID) -> str:
    row = conn.execute("SELECT slug FROM posts.posts WHERE id = %s", (post_id,)).fetchone()
    assert row is not None
    return str(row["slug"])


# Moderation


def lock_new_author(conn: Connection, user_id: uuid.UUID, created_after: datetime) -> bool:
    """Whether the account was created after `created_after`; a new account's row stays locked, so that its
    concurrent writes are counted one after the other."""
    row = conn.execute(
        "SELECT 1 FROM posts.authors WHERE user_id = %s AND created_at > %s FOR NO KEY UPDATE", (user_id, created_after)
    ).fetchone()
    return row is not None


def recent_writes(conn: Connection, user_id: uuid.UUID, since: datetime) -> int:
    """The user's writes (posts and comments) recorded since then, whether or not they were deleted since."""
    row = conn.execute(
        "SELECT count(*) AS writes FROM posts.authors, unnest(recent_writes) written"
        " WHERE user_id = %s AND written >= %s",
        (user_id, since),
    ).fetchone()
    return int(row["writes"]) if row else 0


def record_write(conn: Connection, user_id: uuid.UUID, since: datetime) -> None:
    """Records a write now, dropping those before `since`."""
    conn.execute(
        "UPDATE posts.authors SET recent_writes ="
        " ARRAY(SELECT written FROM unnest(recent_writes) written WHERE written >= %s) || now() WHERE user_id = %s",
        (since, user_id),
    )


def reputation(conn: Connection, user_id: uuid.UUID) -> int:
    """The sum of the ratings of the user's posts and comments."""
    row = conn.execute(
        "SELECT (SELECT coalesce(sum(rating), 0) FROM posts.posts WHERE user_id = %(user)s)"
        " + (SELECT coalesce(sum(rating), 0) FROM posts.comments WHERE user_id = %(user)s) AS reputation",
        {"user": user_id},
    ).fetchone()
    return int(row["reputation"]) if row else 0


def lock_item(conn: Connection, target: Target, item_id: uuid.UUID) -> ItemRow | None:
    """A post or a comment with its post's id, slug, state and time, its author and its moderation state; locked
    until the end of the transaction."""
    if target is Target.POST:
        query = (
            "SELECT p.id AS post_id, NULL::uuid AS comment_id, p.user_id, p.slug, p.state, p.moderated_by,"
            " p.user_id AS post_author_id, p.state AS post_state, p.created_at AS posted_at FROM posts.posts p"
            " WHERE p.id = %s FOR NO KEY UPDATE"
        )
    else:
        query = (
            "SELECT c.post_id, c.id AS comment_id, c.user_id, p.slug, c.state, c.moderated_by,"
            " p.user_id AS post_author_id, p.state AS post_state, p.created_at AS posted_at"
            " FROM posts.comments c JOIN posts.posts p ON p.id = c.post_id"
            " WHERE c.id = %s FOR NO KEY UPDATE OF c"
        )
    return conn.cursor(row_factory=class_row(ItemRow)).execute(query, (item_id,)).fetchone()


def insert_report(conn: Connection, item: ItemRow, reporter: uuid.UUID, reason: str, details: str | None) -> None:
    """Raises UniqueViolation (reports_one_open_per_reporter) when the reporter's report of the item is open."""
    conn.execute(
        "INSERT INTO posts.reports (id, post_id, comment_id, reporter_id, reason, details)"
        " VALUES (%s, %s, %s, %s, %s, %s)",
        (uuid.uuid4(), item.post_id, item.comment_id, reporter, reason, details),
    )


def open_reasons(conn: Connection, item_id: uuid.UUID) -> dict[str, int]:
    """How many distinct members reported the undecided item, by reason (most given first)."""
    rows = conn.execute(
        "SELECT reason, count(DISTINCT reporter_id) AS reporters FROM posts.reports"
        " WHERE item_id = %s AND decided_at IS NULL GROUP BY reason ORDER BY reporters DESC, reason",
        (item_id,),
    ).fetchall()
    return {row["reason"]: int(row["reporters"]) for row in rows}


def open_reporters(conn: Connection, item_id: uuid.UUID, joined_before: datetime) -> int:
    """The distinct members with an open report of the item whose accounts were created before `joined_before`."""
    row = conn.execute(
        "SELECT count(DISTINCT r.reporter_id) AS reporters FROM posts.reports r"
        " JOIN posts.authors a ON a.user_id = r.reporter_id"
        " WHERE r.item_id = %s AND r.decided_at IS NULL AND a.created_at <= %s",
        (item_id, joined_before),
    ).fetchone()
    return int(row["reporters"]) if row else 0


def set_state(
    conn: Connection, target: Target, item_id: uuid.UUID, state: str, reason: str | None, by: uuid.UUID | None
) -> None:
    query = sql.SQL(
        "UPDATE {table} SET state = %s, moderation_reason = %s, moderated_by = %s, moderated_at = now() WHERE id = %s"
    ).format(table=target.table)
    conn.execute(query, (state, reason, by, item_id))


def add_to_comment_count(conn: Connection, post_id: uuid.UUID, delta: int) -> None:
    conn.execute("UPDATE posts.posts SET comment_count = comment_count + %s WHERE id = %s", (delta, post_id))


def close_reports(conn: Connection, item_id: uuid.UUID) -> int:
    return conn.execute(
        "UPDATE posts.reports SET decided_at = now() WHERE item_id = %s AND decided_at IS NULL", (item_id,)
    ).rowcount


def item_texts(conn: Connection, target: Target, item_id: uuid.UUID) -> tuple[str, str, list[str]]:
    """What the item says (its @mentions, its links): a post's title, preview and content; a comment's text, as
    content."""
    columns = sql.SQL(
        "title, preview, content" if target is Target.POST else "'' AS title, '' AS preview, ARRAY[payload] AS content"
    )
    query = sql.SQL("SELECT {columns} FROM {table} WHERE id = %s").format(columns=columns, table=target.table)
    row = conn.execute(query, (item_id,)).fetchone()
    return (row["title"], row["preview"], list(row["content"])) if row else ("", "", [])


# The items of each queue: (post_id, comment_id, reports, last_at), with `open` the open reports grouped by item.
_QUEUED = {
    # Items with open reports, and the held items (a held item may have reports from before it was held).
    "open": sql.SQL(
        "SELECT post_id, comment_id, reports, last_at FROM open"
        " UNION ALL SELECT p.id, NULL::uuid, 0, p.updated_at FROM posts.posts p WHERE p.state = 'held'"
        " AND NOT EXISTS (SELECT 1 FROM open o WHERE o.post_id = p.id AND o.comment_id IS NULL)"
        " UNION ALL SELECT c.post_id, c.id, 0, c.created_at FROM posts.comments c WHERE c.state = 'held'"
        " AND NOT EXISTS (SELECT 1 FROM open o WHERE o.comment_id = c.id)"
    ),
    # The items hidden now, with their open reports if any.
    "hidden": sql.SQL(
        "SELECT p.id AS post_id, NULL::uuid AS comment_id, coalesce(o.reports, 0) AS reports,"
        " greatest(coalesce(p.moderated_at, p.updated_at), o.last_at) AS last_at FROM posts.posts p"
        " LEFT JOIN open o ON o.post_id = p.id AND o.comment_id IS NULL WHERE p.state = 'hidden'"
        " UNION ALL SELECT c.post_id, c.id, coalesce(o.reports, 0),"
        " greatest(coalesce(c.moderated_at, c.created_at), o.last_at) FROM posts.comments c"
        " LEFT JOIN open o ON o.comment_id = c.id WHERE c.state = 'hidden'"
    ),
}


def moderation_queue(
    conn: Connection, state: Literal["open", "hidden"], most_reported: bool, limit: int, offset: int
) -> tuple[list[QueueRow], int]:
    """`open`: what waits for a decision, items with open reports (grouped by item) and held items; `hidden`: the
    items hidden now. With the total."""
    query = sql.SQL(
        "WITH open AS (SELECT post_id, comment_id, count(*) AS reports, max(created_at) AS last_at"
        " FROM posts.reports WHERE decided_at IS NULL GROUP BY post_id, comment_id),"
        " items AS ({items})"
        " SELECT CASE WHEN i.comment_id IS NULL THEN 'post' ELSE 'comment' END AS item_type,"
        " coalesce(i.comment_id, i.post_id) AS item_id, i.post_id, p.slug, p.title,"
        " CASE WHEN i.comment_id IS NULL THEN p.preview ELSE c.payload END AS excerpt,"
        " CASE WHEN i.comment_id IS NULL THEN p.user_id ELSE c.user_id END AS author_id,"
        " (SELECT username FROM posts.authors WHERE user_id = CASE WHEN i.comment_id IS NULL THEN p.user_id"
        " ELSE c.user_id END) AS username,"
        " CASE WHEN i.comment_id IS NULL THEN p.state ELSE c.state END AS state,"
        " CASE WHEN i.comment_id IS NULL THEN p.moderation_reason ELSE c.moderation_reason END AS moderation_reason,"
        " i.reports AS report_count, i.last_at AS last_activity_at,"
        " (SELECT coalesce(json_agg(json_build_object('reporter_id', r.reporter_id, 'username', ra.username,"
        " 'reason', r.reason, 'text', r.details, 'created_at', r.created_at) ORDER BY r.created_at), '[]'::json)"
        " FROM posts.reports r JOIN posts.authors ra ON ra.user_id = r.reporter_id"
        " WHERE r.item_id = coalesce(i.comment_id, i.post_id) AND r.decided_at IS NULL) AS reports,"
        " count(*) OVER () AS total"
        " FROM items i JOIN posts.posts p ON p.id = i.post_id LEFT JOIN posts.comments c ON c.id = i.comment_id"
        " ORDER BY {most} i.last_at DESC, item_id LIMIT %s OFFSET %s"
    ).format(items=_QUEUED[state], most=sql.SQL("i.reports DESC,") if most_reported else sql.SQL(""))
    rows = conn.cursor(row_factory=_json_row(QueueRow)).execute(query, (limit, offset)).fetchall()
    return rows, rows[0].total if rows else 0
