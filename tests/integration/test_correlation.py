"""One correlation id follows a request: API Gateway's request id is in every event the request causes, in the
events its consumers publish in turn, and in every log line the consumers write about them (on either bus)."""

from __future__ import annotations

import io
import json
import logging
import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from cryptotalks import db
from cryptotalks.events import publish
from cryptotalks.events.catalogue import CryptoForUserCreated
from cryptotalks.events.envelope import Envelope
from cryptotalks.observability import logger
from cryptotalks_dev.gateway import REQUEST_ID_HEADER
from tests.posts_support import created
from tests.support import STRONG_PASSWORD, Answer, Api

LogLines = Callable[[], list[dict[str, Any]]]


@pytest.fixture
def log_lines() -> Iterator[LogLines]:
    """The JSON lines the functions have logged at INFO and above since the test began, as CloudWatch gets them."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logger.registered_formatter)
    underlying = logging.getLogger(logger.name)
    level, disabled = logger.log_level, underlying.disabled
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    underlying.disabled = False  # an earlier test's logging.config (import-linter's) disables existing loggers
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        underlying.disabled = disabled


def _request_id(answer: Answer) -> str:
    return next(value for name, value in answer.headers if name == REQUEST_ID_HEADER)


def _outbox(database: db.Connection) -> list[Envelope]:
    rows = database.execute("SELECT envelope FROM messaging.outbox ORDER BY created_at").fetchall()
    return [Envelope.model_validate(row["envelope"]) for row in rows]


def _consumed(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [line for line in lines if line["message"] == "event consumed"]


def test_a_requests_events_and_their_consumers_log_lines_carry_its_id(
    bus_api: Api, database: db.Connection, log_lines: LogLines
) -> None:
    answer = bus_api.sign_up("cora@example.com", "cora")
    request_id = _request_id(answer)
    envelopes = _outbox(database)
    assert {e.type for e in envelopes} == {"user_created", "crypto_for_user_created", "log_auth_action"}
    assert {e.correlationId for e in envelopes} == {request_id}

    bus_api.pipeline.drain()

    consumed = _consumed(log_lines())
    # user_created has four consumers (users, posts, crypto, notices), the other two one each.
    assert len(consumed) == 6
    assert {line["correlation_id"] for line in consumed} == {request_id}
    assert {line["event_id"] for line in consumed} == {str(e.id) for e in envelopes}


def test_consumers_pass_the_id_on_to_the_events_they_publish(
    bus_api: Api, database: db.Connection, log_lines: LogLines
) -> None:
    leaving = bus_api.signed_in_token("dora@example.com", "dora")
    created(bus_api, leaving, title="Leaving soon")
    bus_api.pipeline.drain()
    database.execute("DELETE FROM messaging.outbox")

    closed = bus_api.call("POST", "/api/user/close-account", {"password": STRONG_PASSWORD}, token=leaving)
    assert closed.body == {"message": "success"}
    bus_api.pipeline.drain()

    # The posts consumer of close_account_delete_posts published delete_post and its action log entry.
    envelopes = _outbox(database)
    assert {"close_account_delete_posts", "delete_post", "log_post_action"} <= {e.type for e in envelopes}
    assert {e.correlationId for e in envelopes} == {_request_id(closed)}
    story = [line for line in _consumed(log_lines()) if line["correlation_id"] == _request_id(closed)]
    # ... and the audit consumer of that entry (no consumer takes delete_post) logged under the same id.
    assert "log_post_action" in {line["event_type"] for line in story}


def test_an_event_without_an_id_starts_its_own_story(
    bus_api: Api, database: db.Connection, log_lines: LogLines
) -> None:
    """Published outside a request (a job, or a publisher older than the correlation id): its consumer logs the
    event's own id as the correlation id."""
    logger.set_correlation_id(None)  # as in a job's process: this thread served the earlier tests' requests
    with db.transaction():
        envelope = publish(CryptoForUserCreated(userId=uuid.uuid4()), "users")
    assert envelope.correlationId is None
    bus_api.pipeline.drain()
    [consumed] = _consumed(log_lines())
    assert consumed["correlation_id"] == consumed["event_id"] == str(envelope.id)


def test_an_envelope_without_the_field_still_parses() -> None:
    old = {
        "id": str(uuid.uuid4()),
        "type": "crypto_for_user_created",
        "source": "users",
        "occurredAt": "2026-01-01T00:00:00Z",
        "payload": {"userId": str(uuid.uuid4())},
    }
    assert Envelope.model_validate(old).correlationId is None


def test_threads_keep_their_own_id() -> None:
    seen: dict[str, str | None] = {}

    def consumer(name: str) -> None:
        logger.set_correlation_id(name)
        barrier.wait()
        seen[name] = logger.get_correlation_id()

    barrier = threading.Barrier(2)
    threads = [threading.Thread(target=consumer, args=(name,)) for name in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == {"first": "first", "second": "second"}
