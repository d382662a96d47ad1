"""Business rules of the posts context: write, read, search, edit, delete, comment and rate.

Each request is one transaction and its events leave after the commit. The author is the signed-in caller and
their name comes from this context's own `authors` projection (fed by user_created), never from the request.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar, cast

from psycopg import errors as pg_errors

from cryptotalks import db, errors
from cryptotalks.db import Connection
from cryptotalks.errors import ApiError
from cryptotalks.events import publish
from cryptotalks.events.catalogue import ActionStatus
from cryptotalks.posts import data, moderation
from cryptotalks.posts.data import Direction, LockedPostRow, PostFilter, SavedPostRow, Target, Viewer, VoteJson
from cryptotalks.posts.events import (
    CoinMentionsChanged,
    DeletePost,
    LeaveComment,
    LogPostAction,
    PostCreated,
    RateValue,
    UpdatePost,
    UpdatePostInfo,
    VoteMilestoneReached,
)
from cryptotalks.posts.mentions import cashtags, mentioned, mentioned_in
from cryptotalks.posts.models import (
    DELETED_USERNAME,
    MAX_COIN_MENTIONS,
    Comment,
    CreatePostRequest,
    Order,
    OrderBy,
    Post,
    PostInfo,
    PostList,
    PostSaved,
    PostSummary,
    Rate,
    UpdatePostRequest,
)
from cryptotalks.posts.rules import clean_tags, crossed_milestone, next_vote, slugify, tag_filter

if TYPE_CHECKING:  # the consumers' events: the API functions built on this module never load them
    from cryptotalks.crypto.events import CoinCatalogue
    from cryptotalks.events.catalogue import UserCreated
    from cryptotalks.users.events import UpdateUserAccount

CONTEXT = "posts"
MAX_COIN_CANDIDATES = 50  # the names no coin has yet that a post keeps for coins synced later
# The posts a catalogue part gives coins to at most, newest first: a coin named as a common tag (`ai`) could name
# hundreds of thousands; the rest get theirs from the next syncs, which look for every coin again.
MAX_LATE_MENTIONS_PER_PART = 2000
_SLUG_ATTEMPTS = 5

Written = TypeVar("Written")


def _with_free_slug(conn: Connection, title: str, write: Callable[[str], Written]) -> Written:
    """Runs `write` with the title's slug, or with a short random suffix when another post has that slug."""
    base = slugify(title)
    for attempt in range(_SLUG_ATTEMPTS):
        slug = base if attempt == 0 else f"{base}-{secrets.token_hex(3)}"
        try:
            with conn.transaction():  # a savepoint: a taken slug undoes this attempt only
                return write(slug)
        except pg_errors.UniqueViolation as taken:
            if taken.diag.constraint_name != "posts_slug_key":
                raise
    raise RuntimeError(f"no free slug for {base!r} after {_SLUG_ATTEMPTS} attempts")


# Checks shared by the writes


def _author(conn: Connection, user_id: uuid.UUID) -> str:
    """The caller's username. Only confirmed accounts can sign in, so a signed-in caller is confirmed."""
    username = data.find_username(conn, user_id)
    if username is None:  # user_created not consumed yet, or the account is closed
        raise ApiError(errors.USER_NOT_FOUND)
    return username


def _own_post(conn: Connection, post_id: uuid.UUID, user_id: uuid.UUID) -> LockedPostRow:
    post = data.lock_post(conn, post_id)
    if post is None:
        raise ApiError(errors.POST_NOT_FOUND)
    if post.user_id != user_id:
        raise ApiError(errors.WRONG_USER)
    return post


def _rate(value: str) -> RateValue:
    if value not in ("+", "-"):
        raise ApiError(errors.WRONG_RATE)
    return cast(RateValue, value)


def _log(event: str, user_id: uuid.UUID, message: str) -> None:
    publish(LogPostAction(event=event, status=ActionStatus.SUCCESS, userId=user_id, message=message), CONTEXT)


# Authors


def add_author(event: UserCreated, created_at: datetime) -> None:
    """`created_at`: when the account was created (the event's time), which tells new accounts apart."""
    with db.transaction() as tx:
        data.insert_author(tx.conn, event.userId, event.username, created_at)


def rename_author(event: UpdateUserAccount) -> None:
    with db.transaction() as tx:
        data.rename_author(tx.conn, event.userId, event.username)


def close_account(user_id: uuid.UUID) -> None:
    """Deletes the account's posts with their comments and votes; its comments and votes elsewhere stay and
    show as from a deleted user."""
    with db.transaction() as tx:
        deleted = data.delete_posts_of(tx.conn, user_id)
        data.close_author(tx.conn, user_id)
        for post_id in deleted:
            publish(DeletePost(postId=post_id, userId=user_id), CONTEXT)
        _log("CLOSE_ACC", user_id, f"The {len(deleted)} posts of closed account {user_id} were deleted.")


# Coins and mentions


def record_coins(event: CoinCatalogue) -> None:
    """Keeps the catalogue's coins; the posts that name them without mentioning them (written before a coin was
    synced) mention them now. Every coin of the catalogue is looked for, not only new ones: a write that raced the
    catalogue, or a coin whose symbol changed, is made good by the next sync."""
    with db.transaction() as tx:
        data.record_coins(tx.conn, event.syncedAt, [coin.model_dump() for coin in event.coins])
        naming = data.lock_posts_naming(tx.conn, [coin.uuid for coin in event.coins], MAX_LATE_MENTIONS_PER_PART)
        for post in data.resolve_candidates(tx.conn, naming, MAX_COIN_MENTIONS) if naming else []:
            _publish_coins(post.id, post.created_at, post.revision, post.coins if post.state == "public" else [])


def _publish_coins(post_id: uuid.UUID, posted_at: datetime, revision: int, coins: list[str]) -> None:
    publish(CoinMentionsChanged(postId=post_id, postedAt=posted_at, revision=revision, coinIds=coins), CONTEXT)


def _mention(conn: Connection, post: SavedPostRow, post_id: uuid.UUID, public: bool) -> None:
    """Resolves the post's mentions from its cashtags and tags, cashtags first, each coin once (a symbol shared by
    several coins is the best-ranked one's); keeps the names no coin has yet (record_coins resolves them later) and,
    when the mentions changed, keeps them and tells crypto (coin_mentions_changed) — as none while the post is
    hidden or held: the coins' discussions are the posts everyone can read."""
    named = [f"${symbol}" for symbol in cashtags(post.title, post.preview, post.content)] + post.search_tags
    found = data.resolve_coins(conn, named) if named else {}
    data.replace_candidates(conn, post_id, [name for name in named if name not in found][:MAX_COIN_CANDIDATES])
    coins = list(dict.fromkeys(found[name] for name in named if name in found))[:MAX_COIN_MENTIONS]
    if coins == data.mentioned_coins(conn, post_id):
        return
    revision = data.replace_mentions(conn, post_id, coins)
    _publish_coins(post_id, post.created_at, revision, coins if public else [])


# Posts


def create_post(user_id: uuid.UUID, request: CreatePostRequest) -> PostSaved:
    """A new account's post with links waits for a moderator (`held`): only its author and moderators see it."""
    tags = clean_tags(request.searchTags)
    post_id = uuid.uuid4()
    fields = {"title": request.title, "preview": request.preview, "content": request.content, "searchTags": tags}
    state = "public"
    with db.transaction() as tx:
        username = _author(tx.conn, user_id)
        new_account = moderation.check_new_account(tx.conn, user_id)
        texts = [request.title, request.preview, *request.content]
        if moderation.hold_for_links(tx.conn, user_id, new_account, texts):
            state = "held"
            fields.update(state=state, reason=moderation.HELD_REASON)
        saved = _with_free_slug(
            tx.conn, request.title, lambda slug: data.insert_post(tx.conn, post_id, user_id, slug, fields)
        )
        _mention(tx.conn, saved, post_id, public=state == "public")
        publish(
            PostCreated(
                postId=post_id,
                userId=user_id,
                username=username,
                title=request.title,
                slug=saved.slug,
                preview=request.preview,
                searchTags=tags,
                # a held post's, once approved
                mentions=mentioned_in(request.title, request.preview, request.content) if state == "public" else [],
            ),
            CONTEXT,
        )
        _log("CREATE_POST", user_id, f"User {user_id} has created post {post_id}.")
    held = moderation.mark(state, moderation.HELD_REASON)
    return PostSaved(message="success", id=post_id, slug=saved.slug, moderation=held)


def update_post(user_id: uuid.UUID, post_id: uuid.UUID, request: UpdatePostRequest) -> PostSaved:
    """A new title gives a new slug (as in the original), unless it makes the same slug as before. An edit that adds
    links to a new account's public post holds it, as a new post with links is (an edit is not a write the new
    accounts' limit counts)."""
    changes = request.model_dump(exclude_none=True)
    if "searchTags" in changes:
        changes["searchTags"] = clean_tags(changes["searchTags"])
    with db.transaction() as tx:
        post = _own_post(tx.conn, post_id, user_id)
        new_account = post.state == "public" and moderation.is_new_account(tx.conn, user_id)
        before: list[str] = []
        if new_account:
            title, preview, content = data.item_texts(tx.conn, Target.POST, post_id)
            before = [title, preview, *content]
        new_title = changes.get("title", post.title)
        if slugify(new_title) == slugify(post.title):
            saved = data.update_post(tx.conn, post_id, post.slug, changes)
        else:
            saved = _with_free_slug(tx.conn, new_title, lambda slug: data.update_post(tx.conn, post_id, slug, changes))
        state, reason = post.state, post.moderation_reason
        after = [saved.title, saved.preview, *saved.content]
        if moderation.hold_for_links(tx.conn, user_id, new_account, after, before):
            moderation.hold_post(tx.conn, post_id)
            state, reason = "held", moderation.HELD_REASON
        _mention(tx.conn, saved, post_id, public=state == "public")
        mentions = mentioned_in(saved.title, saved.preview, saved.content) if state == "public" else []
        publish(
            UpdatePost(
                postId=post_id,
                userId=user_id,
                changed=sorted(changes),
                title=saved.title,
                slug=saved.slug,
                preview=saved.preview,
                searchTags=saved.search_tags,
                mentions=mentions,
            ),
            CONTEXT,
        )
        _log("UPDATE_POST", user_id, f"User {user_id} has updated post {post_id}.")
    marked = moderation.mark(state, reason)
    return PostSaved(message="success", id=post_id, slug=saved.slug, moderation=marked)


def check_author(user_id: uuid.UUID, post_id: uuid.UUID) -> None:
    """`post-not-found` or `wrong-user` unless the post is the user's; the post stays locked in the open transaction."""
    with db.transaction() as tx:
        _own_post(tx.conn, post_id, user_id)


def delete_post(user_id: uuid.UUID, post_id: uuid.UUID) -> None:
    with db.transaction() as tx:
        _own_post(tx.conn, post_id, user_id)
        data.delete_post(tx.conn, post_id)
        publish(DeletePost(postId=post_id, userId=user_id), CONTEXT)
        _log("DELETE_POST", user_id, f"User {user_id} has deleted post {post_id}.")


def _rates(votes: list[VoteJson], reader: str | None) -> list[Rate]:
    """`reader`: the reader's id as the votes' JSON writes ids, None when anonymous."""
    return [
        Rate(
            userId=vote["user_id"] if vote["username"] is not None else None,
            username=vote["username"] or DELETED_USERNAME,
            rate=vote["rate"],
            rated=vote["user_id"] == reader,
        )
        for vote in votes
    ]


def get_post(slug: str, reader: uuid.UUID | None, to_edit: bool, moderator: bool = False) -> Post:
    """Anyone may read; only the author may open the post for editing. A hidden or held post (or comment) is
    there for its author and moderators only, marked."""
    with db.reading() as conn:
        row = data.find_post(conn, slug, Viewer(reader, moderator))
    if row is None or not (row.state == "public" or moderator or row.user_id == reader):
        raise ApiError(errors.POST_NOT_FOUND)
    if to_edit and row.user_id != reader:
        raise ApiError(errors.WRONG_USER)
    voter = str(reader) if reader else None
    comments = [
        Comment(
            id=c["id"],
            userId=c["user_id"] if c["username"] is not None else None,
            username=c["username"] or DELETED_USERNAME,
            payload=c["payload"],
            createdAt=c["created_at"],
            commentRates=_rates(c["rates"], voter),
            rating=c["rating"],
            moderation=moderation.mark(c["state"], c["moderation_reason"]),
        )
        for c in row.comments
    ]
    info = PostInfo(
        rates=_rates(row.rates, voter), comments=comments, rating=row.rating, commentCount=row.comment_count
    )
    return Post(
        id=row.id,
        userId=row.user_id,
        username=row.username,
        title=row.title,
        slug=row.slug,
        content=row.content,
        preview=row.preview,
        searchTags=row.search_tags,
        createdAt=row.created_at,
        updatedAt=row.updated_at,
        postInfo=info,
        moderation=moderation.mark(row.state, row.moderation_reason),
        coins=row.coins,
    )


def list_posts(
    page: int,
    page_size: int,
    order: Order,
    order_by: OrderBy,
    reader: uuid.UUID | None,
    search_query: str | None = None,
    username: str | None = None,
    tags: str | None = None,
    moderator: bool = False,
    coin: str | None = None,
) -> PostList:
    """Zero-based pages; everyone sees everyone's posts. Filters combine: a full-text search over title, tags
    and content, the author's username, any of the comma-separated tags, and a coin they mention. `count` is the
    number of posts matching the filters; a search keeps the newest MAX_SEARCH_RESULTS matches, best first. Hidden and
    held posts are listed for their author and moderators only, marked."""
    where = PostFilter(
        username=username or None,
        tags=tag_filter(tags),
        search=(search_query or "").strip() or None,
        viewer=Viewer(reader, moderator),
        coin=coin or None,
    )
    offset = page * page_size
    direction: Direction = "ASC" if order.upper() == "ASC" else "DESC"
    with db.reading() as conn:
        found = data.list_posts(conn, where, order_by, direction, page_size, offset, reader)
        rows = found.rows
        # A short page tells the total by itself; only a full or an empty page beyond the first needs counting.
        if found.total is not None:
            count = found.total
        elif len(rows) < page_size and (rows or offset == 0):
            count = offset + len(rows)
        else:
            count = data.count_posts(conn, where)
    voter = str(reader) if reader else None
    summaries = [
        PostSummary(
            id=row.id,
            userId=row.user_id,
            username=row.username,
            title=row.title,
            preview=row.preview,
            slug=row.slug,
            searchTags=row.search_tags,
            createdAt=row.created_at,
            rates=_rates(row.rates, voter),
            rating=row.rating,
            commentCount=row.comment_count,
            moderation=moderation.mark(row.state, row.moderation_reason),
        )
        for row in rows
    ]
    return PostList(rows=summaries, count=count)


def refresh_recent_search() -> int:
    """The hourly job: searches look among the newest posts first, and new posts keep coming."""
    with db.transaction() as tx:
        return data.refresh_recent_search(tx.conn)


# Comments and votes


def leave_comment(
    user_id: uuid.UUID,
    post_id: uuid.UUID,
    comment: str,
    is_moderator: moderation.AsksModerator = moderation.not_moderator,
) -> uuid.UUID:
    """Only on a public post. A new account's comment with links waits for a moderator (`held`), as its posts do;
    until then it is not counted on the post and its @mentions are not told."""
    comment_id = uuid.uuid4()
    with db.transaction() as tx:
        username = _author(tx.conn, user_id)
        post = data.lock_post(tx.conn, post_id)
        if post is None:
            raise ApiError(errors.POST_NOT_FOUND)
        moderation.check_public(post.state, post.user_id, user_id, is_moderator, errors.POST_NOT_FOUND)
        new_account = moderation.check_new_account(tx.conn, user_id)
        held = moderation.hold_for_links(tx.conn, user_id, new_account, [comment])
        state, reason = ("held", moderation.HELD_REASON) if held else ("public", None)
        data.insert_comment(tx.conn, comment_id, post_id, user_id, comment, state, reason)
        if not held:
            data.add_to_comment_count(tx.conn, post_id, 1)
        publish(
            LeaveComment(
                postId=post_id,
                commentId=comment_id,
                userId=user_id,
                username=username,
                comment=comment,
                postAuthorId=post.user_id,
                slug=post.slug,
                mentions=[] if held else mentioned([comment]),
                held=held,
            ),
            CONTEXT,
        )
    return comment_id


def _toggle_vote(
    conn: Connection, post_id: uuid.UUID, target: Target, target_id: uuid.UUID, user_id: uuid.UUID, rate: RateValue
) -> RateValue | None:
    """The same vote again withdraws it, the other vote replaces it. The caller holds the target's row lock,
    so the user's votes on one target are applied one after the other and the counter stays exact. A rating
    that reaches a milestone is told (vote_milestone_reached)."""
    vote, delta = next_vote(data.find_vote(conn, target, target_id, user_id), rate)
    data.save_vote(conn, target, target_id, user_id, vote)
    rated = data.add_to_rating(conn, target, target_id, delta)
    milestone = crossed_milestone(rated.rating - delta, rated.rating)
    if milestone is not None:
        publish(
            VoteMilestoneReached(
                postId=post_id,
                commentId=target_id if target is Target.COMMENT else None,
                authorId=rated.user_id,
                slug=data.post_slug(conn, post_id),
                milestone=milestone,
                rating=rated.rating,
            ),
            CONTEXT,
        )
    return vote


def rate_post(
    user_id: uuid.UUID, post_id: uuid.UUID, rate: str, is_moderator: moderation.AsksModerator = moderation.not_moderator
) -> None:
    """Only public posts are voted on (votes on hidden ones would still make reputation)."""
    value = _rate(rate)
    with db.transaction() as tx:
        username = _author(tx.conn, user_id)
        post = data.lock_post(tx.conn, post_id)
        if post is None:
            raise ApiError(errors.POST_NOT_FOUND)
        moderation.check_public(post.state, post.user_id, user_id, is_moderator, errors.POST_NOT_FOUND)
        vote = _toggle_vote(tx.conn, post_id, Target.POST, post_id, user_id, value)
        publish(UpdatePostInfo(postId=post_id, userId=user_id, username=username, rate=value, vote=vote), CONTEXT)


def rate_comment(
    user_id: uuid.UUID,
    post_id: uuid.UUID,
    comment_id: uuid.UUID,
    rate: str,
    is_moderator: moderation.AsksModerator = moderation.not_moderator,
) -> None:
    """Only public comments of public posts are voted on."""
    value = _rate(rate)
    with db.transaction() as tx:
        username = _author(tx.conn, user_id)
        post = data.find_post_state(tx.conn, post_id)
        if post is None:
            raise ApiError(errors.POST_NOT_FOUND)
        moderation.check_public(post.state, post.user_id, user_id, is_moderator, errors.POST_NOT_FOUND)
        comment = data.lock_comment(tx.conn, post_id, comment_id)
        if comment is None:
            raise ApiError(errors.COMMENT_DOESNT_EXIST)
        moderation.check_public(comment.state, comment.user_id, user_id, is_moderator, errors.COMMENT_DOESNT_EXIST)
        vote = _toggle_vote(tx.conn, post_id, Target.COMMENT, comment_id, user_id, value)
        publish(
            UpdatePostInfo(
                postId=post_id, commentId=comment_id, userId=user_id, username=username, rate=value, vote=vote
            ),
            CONTEXT,
        )
