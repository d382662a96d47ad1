"""Consumers: real EventBridge (moto) → SQS → consumer; every event delivered twice has one effect."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from cryptotalks import db
from cryptotalks_dev.lambda_context import LocalLambdaContext
from cryptotalks_dev.pollers import sqs_event
from tests.stand_ins import recording_server
from tests.support import Api, Pipeline, mailbox


def _receive_all(pipeline: Pipeline, function_id: str) -> list[Any]:
    poller = pipeline.poller_of(function_id)
    return poller.sqs.receive_message(
        QueueUrl=poller.queue.queue_url, MaxNumberOfMessages=10, AttributeNames=["All"]
    ).get("Messages", [])


def _deliver_twice(pipeline: Pipeline, function_id: str) -> list[Any]:
    poller = pipeline.poller_of(function_id)
    messages = _receive_all(pipeline, function_id)
    assert messages, f"nothing queued for {function_id}"
    answers = [poller.handler(sqs_event(messages, poller.queue_arn), LocalLambdaContext(function_id)) for _ in range(2)]
    assert all(answer == {"batchItemFailures": []} for answer in answers)
    return messages


def test_every_sign_up_event_delivered_twice_has_one_effect(api: Api, database: db.Connection) -> None:
    api.sign_up("kim@example.com", "kim")
    for function_id in (
        "consumers-users-user-created",
        "consumers-crypto-crypto-for-user-created",
        "consumers-audit-action-log",
    ):
        _deliver_twice(api.pipeline, function_id)
    assert len(mailbox()) == 1
    assert database.execute("SELECT count(*) FROM users.settings").fetchone() == {"count": 1}
    assert database.execute("SELECT count(*) FROM users.confirmation_hashes").fetchone() == {"count": 1}
    assert database.execute("SELECT count(*) FROM crypto.favorite_lists").fetchone() == {"count": 1}
    assert database.execute("SELECT count(*) FROM audit.action_log").fetchone() == {"count": 1}
    assert database.execute("SELECT count(*) FROM messaging.inbox").fetchone() == {"count": 3}


def test_events_reach_only_their_subscribers(api: Api, database: db.Connection) -> None:
    api.sign_up("lea@example.com", "lea")
    [created] = _receive_all(api.pipeline, "consumers-users-user-created")
    detail = json.loads(created["Body"])
    assert detail["detail-type"] == "user_created" and detail["source"] == "cryptotalks.users"
    envelope = detail["detail"]
    assert set(envelope) == {"id", "type", "source", "occurredAt", "payload", "correlationId"}
    assert envelope["payload"]["email"] == "lea@example.com"
    assert "password" not in json.dumps(envelope).lower()


def test_a_failing_record_is_reported_and_the_rest_of_the_batch_goes_on(api: Api, database: db.Connection) -> None:
    api.sign_up("max@example.com", "max")
    api.sign_up("ned@example.com", "ned")
    poller = api.pipeline.poller_of("consumers-users-user-created")
    messages = _receive_all(api.pipeline, "consumers-users-user-created")
    assert len(messages) == 2
    broken = dict(messages[0], Body=json.dumps({"detail": {"not": "an envelope"}}))
    answer = poller.handler(sqs_event([broken, messages[1]], poller.queue_arn), LocalLambdaContext("consumer"))
    assert answer == {"batchItemFailures": [{"itemIdentifier": broken["MessageId"]}]}
    assert [m["to"] for m in mailbox()] == ["ned@example.com"]


def test_a_failed_effect_leaves_no_trace_and_is_retried(
    api: Api, database: db.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SendGrid refuses the mail: the inbox record does not stay, and the retry redoes all. (The link is committed
    before it is mailed, so a refused mail leaves an unsent link behind, which nobody knows.)"""
    from cryptotalks.config import settings

    api.sign_up("oli@example.com", "oli")
    poller = api.pipeline.poller_of("consumers-users-user-created")
    batch = sqs_event(_receive_all(api.pipeline, "consumers-users-user-created"), poller.queue_arn)
    with recording_server() as sendgrid:
        monkeypatch.setenv("SENDGRID_API_KEY", "SG.test-key")
        monkeypatch.setenv("SENDGRID_HOST", sendgrid.url)
        settings.cache_clear()
        sendgrid.status = 500
        with pytest.raises(BatchProcessingError):  # every record failed: Lambda retries the whole batch
            poller.handler(batch, LocalLambdaContext("consumer"))
        assert database.execute("SELECT count(*) FROM messaging.inbox").fetchone() == {"count": 0}

        sendgrid.status = 202
        assert poller.handler(batch, LocalLambdaContext("consumer")) == {"batchItemFailures": []}
        assert [r["body"]["personalizations"][0]["to"] for r in sendgrid.received] == [
            [{"email": "oli@example.com"}]
        ] * 2
    monkeypatch.delenv("SENDGRID_API_KEY")
    settings.cache_clear()
    assert database.execute("SELECT count(*) FROM users.settings").fetchone() == {"count": 1}
