"""Helpers of the posts tests: signed-in authors, posts made through the API, consumers fed by hand."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, datetime
from typing import Any

from cryptotalks.events.catalogue import UserCreated
from cryptotalks.events.envelope import DomainEvent, Envelope
from cryptotalks.posts import logic as posts
from cryptotalks.users import roles
from cryptotalks.users.rules import Role
from cryptotalks_dev.lambda_context import ACCOUNT_ID, REGION, LocalLambdaContext
from cryptotalks_dev.pollers import sqs_event
from functions import registry
from tests.support import Answer, Api

POST = {
    "title": "Why I hold Bitcoin",
    "content": ["Scarcity is the point.", "Twenty-one million coins, no more."],
    "preview": "A short case for holding",
    "searchTags": ["bitcoin", "hodl"],
}


def signed_in(api: Api, username: str) -> str:
    """A confirmed account signed in through the API; answers its access token."""
    return api.signed_in_token(f"{username.lower()}@example.com", username)


def quick_author(username: str, created_at: datetime | None = None) -> uuid.UUID:
    """An account known to the posts context, made by its user_created consumer's logic without the (slow,
    hashed) sign-up: for tests that need many voters. `created_at`: when the account was made (now by default)."""
    user_id = uuid.uuid4()
    event = UserCreated(userId=user_id, email=f"{username}@example.com", username=username)
    posts.add_author(event, created_at or datetime.now(UTC))
    return user_id


def create(api: Api, token: str, **changes: Any) -> Answer:
    return api.call("POST", "/api/posts/create", {**POST, **changes}, token=token)


def created(api: Api, token: str, **changes: Any) -> dict[str, Any]:
    answer = create(api, token, **changes)
    assert answer.status == 201, answer.body
    return dict(answer.body)


def read(api: Api, slug: str, token: str | None = None, query: str = "") -> Answer:
    return api.call("GET", f"/api/posts/get/{slug}{query}", token=token)


def listed(api: Api, path: str = "0/10/DESC/createdAt", query: str = "", token: str | None = None) -> Answer:
    return api.call("GET", f"/api/posts/list/{path}{query}", token=token)


def rate_post(api: Api, token: str, post_id: str, rate: Any) -> Answer:
    return api.call("PATCH", f"/api/posts/rate/post/{post_id}", {"rate": rate}, token=token)


def rate_comment(api: Api, token: str, post_id: str, comment_id: str, rate: Any) -> Answer:
    return api.call("PATCH", f"/api/posts/rate/comment/{post_id}/{comment_id}", {"rate": rate}, token=token)


def comment(api: Api, token: str, post_id: str, text: str) -> Answer:
    return api.call("PATCH", f"/api/posts/comment/{post_id}", {"comment": text}, token=token)


def published(database: Any, event_type: str) -> list[dict[str, Any]]:
    """The payloads of the events of a type written to the outbox, oldest first."""
    rows = database.execute(
        "SELECT envelope FROM messaging.outbox WHERE type = %s ORDER BY created_at", (event_type,)
    ).fetchall()
    return [row["envelope"]["payload"] for row in rows]


def refused(answer: Answer, status: int, message: str) -> None:
    """The answer is the error `message` with `status`, in the contract's shape."""
    assert (answer.status, answer.body["message"]) == (status, message), answer.body
    assert answer.body["statusCode"] == status and answer.body["error"]


def counted_as_stored(database: Any) -> bool:
    """Whether the kept post counters (posts.post_counts) agree with the public posts themselves."""
    stored = database.execute(
        "SELECT tag, count(*) AS posts FROM posts.posts, unnest(search_tags || ''::text) tag"
        " WHERE state = 'public' GROUP BY tag"
    ).fetchall()
    kept = database.execute("SELECT tag, posts FROM posts.post_counts WHERE posts <> 0").fetchall()
    return {r["tag"]: r["posts"] for r in stored} == {r["tag"]: r["posts"] for r in kept}


def deliver_twice(function_id: str, event: DomainEvent, source: str) -> list[Any]:
    """One envelope handed twice to a consumer's Lambda handler, as an at-least-once queue may do;
    answers both batch responses."""
    declared = next(d for d in registry.subscriptions() if d.function_id == function_id)
    envelope = Envelope.wrap(event, source)
    body = json.dumps(
        {"detail-type": envelope.type, "source": f"cryptotalks.{source}", "detail": envelope.model_dump(mode="json")}
    )
    message = {
        "MessageId": str(uuid.uuid4()),
        "ReceiptHandle": "receipt",
        "Body": body,
        "MD5OfBody": hashlib.md5(body.encode()).hexdigest(),
    }
    queue_arn = f"arn:aws:sqs:{REGION}:{ACCOUNT_ID}:{function_id}"
    return [declared.handler(sqs_event([message], queue_arn), LocalLambdaContext(function_id)) for _ in range(2)]


def moderator_token(api: Api, name: str) -> str:
    """A moderator's access token (signed in after the grant, so the token carries the hint too)."""
    signed_in(api, name)
    roles.change_role(name, Role.MODERATOR, grant=True, by=None)
    return str(api.sign_in(f"{name}@example.com").body["_at"])
