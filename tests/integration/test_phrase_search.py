"""Phrase search through the index of adjacent word pairs (posts migration 005): the pairs it reads first are a
necessary condition of the phrase, so every search answers what the word index alone answered, on documents made
to catch a pair read wrong."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from psycopg import sql

from cryptotalks import db
from cryptotalks.posts import data

LONG = "x" * 150  # a lexeme longer than the 100 characters a pair keeps of each
# title, tags, content
DOCUMENTS = [
    ("Cold storage basics", [], ["Keep keys offline."]),
    ("Storage cold", [], ["Reversed words."]),
    ("Cold cold storage", [], ["Repeated words."]),
    ("Cold storage cold storage", [], []),
    ("Cold the storage", [], ["A stop word between."]),
    ("Cold and the storage", [], ["Two stop words between."]),
    ("Cold-storage wallet", [], ["Hyphenated."]),
    ("Ends cold", ["storage"], ["Phrase across the title and a tag."]),
    ("Ends with cold", [], ["Storage starts the content: a phrase across title and content."]),
    ("Cold storage wallet", [], ["Three words."]),
    ("Cold wallet storage", [], ["Three words, another order."]),
    ("Hot wallet", [], ["Cold storage is safer."]),
    ("Hot wallet hot wallet", [], ["Nothing cold here."]),
    (f"{LONG}a storage", [], ["A long word first."]),
    (f"{LONG}b storage", [], ["Another long word with the same first 100 characters."]),
    ("Past the last position", [], ["filler " * 16_400 + "cold storage"]),
    ("Café crème brûlée", [], ["Unicode words."]),
]
SEARCHES = [
    '"cold storage"',
    "cold storage",
    '"storage cold"',
    '"cold cold"',
    '"cold cold storage"',
    '"cold storage wallet"',
    '"cold wallet storage"',
    '"cold the storage"',
    '"cold and the storage"',
    "cold-storage",
    "cold-storage wallet",
    '"ends cold storage"',
    '"cold storage" -wallet',
    '"cold storage" -"storage wallet"',
    '-"cold storage" cold',
    '-"hot wallet" "cold storage"',
    '"cold storage" -cold-storage',
    '"cold storage" or "hot wallet"',
    '"hot wallet" "cold storage"',
    '"hot wallet hot"',
    f'"{LONG}a storage"',
    f'"{LONG}c storage"',
    '"crème brûlée"',
    '"the and"',
]


@pytest.fixture
def documents(database: db.Connection) -> db.Connection:
    author = uuid.uuid4()
    data.insert_author(database, author, "phrasewriter", datetime.now(UTC))
    for n, (title, tags, content) in enumerate(DOCUMENTS):
        fields = {"title": title, "preview": title, "content": content, "searchTags": tags}
        data.insert_post(database, uuid.uuid4(), author, f"post-{n}", fields)
    database.commit()
    return database


@pytest.mark.parametrize("search", SEARCHES)
def test_a_document_with_the_phrase_has_its_pairs(documents: db.Connection, search: str) -> None:
    """Wherever `document @@ query` holds, so does the pair condition: the pairs never drop a match."""
    dropped = documents.execute(
        "SELECT count(*) AS n FROM posts.search_documents d, websearch_to_tsquery('english', %s) query"
        " WHERE d.document @@ query AND NOT coalesce(posts.word_pairs(d.document) @> posts.phrase_pairs(query), true)",
        (search,),
    ).fetchone()
    assert dropped == {"n": 0}


def test_the_pairs_are_read_only_where_they_are_necessary(documents: db.Connection) -> None:
    def pairs(search: str) -> list[str] | None:
        row = documents.execute(
            "SELECT posts.phrase_pairs(websearch_to_tsquery('english', %s)) AS pairs", (search,)
        ).fetchone()
        assert row is not None
        return row["pairs"]

    assert pairs('"cold storage wallet"') == ["cold storag", "storag wallet"]
    assert pairs('"hot wallet" "cold storage" bitcoin') == ["hot wallet", "cold storag"]
    assert pairs("cold-storage") == ["cold-storag cold", "cold storag"]
    assert pairs('-"hot wallet" "cold storage" -wallet') == ["cold storag"]  # not those of a negated phrase
    for search in ("cold storage", '"cold the storage"', '"cold storage" or "hot wallet"', '-"cold storage"'):
        assert pairs(search) is None, search


@contextmanager
def _without_the_pairs(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Searches as before migration 005. Statements are composed once per shape of filter: again on each side."""
    monkeypatch.setattr(data, "_PHRASE_MATCH", sql.SQL("d.document @@ query"))
    _compose_again()
    try:
        yield
    finally:
        monkeypatch.undo()
        _compose_again()


def _compose_again() -> None:
    data._matching.cache_clear()
    data._page_query.cache_clear()


@pytest.mark.parametrize("search", SEARCHES)
def test_a_phrase_search_answers_as_without_the_pairs(
    documents: db.Connection, monkeypatch: pytest.MonkeyPatch, search: str
) -> None:
    """The same rows in the same order, and the same count, as the word index alone finds (the query as before
    migration 005), for a reader and for a moderator."""

    def answer(where: data.PostFilter) -> tuple[list[tuple[str, int | None]], int]:
        page = data.list_posts(documents, where, "createdAt", "DESC", 50, 0, None)
        return [(row.title, row.total) for row in page.rows], data.count_posts(documents, where)

    for viewer in (data.Viewer(), data.Viewer(moderator=True)):
        where = data.PostFilter(search=search, viewer=viewer)
        with_pairs = answer(where)
        with _without_the_pairs(monkeypatch):
            assert answer(where) == with_pairs
    expected = documents.execute(
        "SELECT count(*) AS n FROM posts.search_documents WHERE document @@ websearch_to_tsquery('english', %s)",
        (search,),
    ).fetchone()
    assert expected is not None and with_pairs[1] == expected["n"]


def test_a_phrase_is_looked_up_through_its_pairs_and_a_query_without_pairs_as_before(
    documents: db.Connection,
) -> None:
    """The planner sees the pairs as a constant and serves them from the pair index, without the word index; without
    pairs, nothing of them is left in the plan. Sequential scans are off so that these few rows still use an index
    where one can serve."""

    def plan(search: str) -> str:
        where = data.PostFilter(search=search)
        matching, params = data._matching(data._Shape.of(where)).posts, data._parameters(documents, where)
        with documents.transaction():
            documents.execute("SET LOCAL enable_seqscan = off")
            rows = documents.execute(sql.SQL("EXPLAIN SELECT count(*) {}").format(matching), params).fetchall()
        return "\n".join(row["QUERY PLAN"] for row in rows)

    paired = plan('"cold storage" -wallet')
    assert "search_documents_word_pairs" in paired and "search_documents_words" not in paired
    unpaired = plan('"cold storage" or "hot wallet"')
    assert "word_pairs" not in unpaired and "search_documents_words" in unpaired


@pytest.mark.parametrize("direction", ["DESC", "ASC"])
def test_a_search_page_ranked_on_its_documents_is_the_page_ranked_on_its_posts(
    documents: db.Connection, direction: data.Direction
) -> None:
    """In time order, a search is ranked and paged on its matches' documents alone, and the posts are read for the
    page only: the same posts in the same order as when every match is joined to its post first. Twins (same rank,
    same time) are told apart by their ids."""
    author = documents.execute("SELECT user_id FROM posts.authors").fetchone()
    assert author is not None
    with documents.transaction():  # one time for all three
        for n in range(3):
            fields = {"title": "Cold storage twin", "preview": "", "content": ["Same words."], "searchTags": []}
            data.insert_post(documents, uuid.uuid4(), author["user_id"], f"twin-{n}", fields)
    for search in [*SEARCHES, "twin", "cold"]:
        where = data.PostFilter(search=search)
        for limit, offset in ((50, 0), (3, 1)):
            joined = sql.SQL(
                "SELECT p.id, ts_rank(d.document, query) AS rank {matching}"
                " ORDER BY rank DESC, p.created_at {direction}, p.id {direction} LIMIT {limit} OFFSET {offset}"
            ).format(
                matching=data._matching(data._Shape.of(where)).posts,
                direction=sql.SQL(direction),
                limit=limit,
                offset=offset,
            )
            expected = [row["id"] for row in documents.execute(joined, data._parameters(documents, where))]
            page = data.list_posts(documents, where, "createdAt", direction, limit, offset, None)
            assert [row.id for row in page.rows] == expected, (search, limit, offset)
