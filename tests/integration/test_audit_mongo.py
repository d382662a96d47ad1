"""The action log in MongoDB through pymongo. No MongoDB server runs here: pymongo's client is replaced by
mongomock's, which keeps the collection in memory and answers the same calls."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import mongomock
import pytest

from cryptotalks import db
from cryptotalks.audit.models import ActionRecord
from cryptotalks.audit.store import MongoActionLog, store
from cryptotalks_dev import cli
from tests.events_support import secrets_in
from tests.support import STRONG_PASSWORD, Api, confirmation_link


@pytest.fixture
def mongo(monkeypatch: pytest.MonkeyPatch) -> Iterator[MongoActionLog]:
    """`MONGODB_URI` set, with pymongo's client replaced by mongomock's."""
    monkeypatch.setattr("pymongo.MongoClient", mongomock.MongoClient)
    monkeypatch.setenv("MONGODB_URI", "mongodb://audit.example.com:27017/cryptotalks")
    store.cache_clear()
    chosen = store()
    assert isinstance(chosen, MongoActionLog)
    yield chosen
    store.cache_clear()


def _record(event: str, at: datetime) -> ActionRecord:
    return ActionRecord(
        uuid.uuid4(), "users", event, "SUCCESS", f"{event} by someone", at, {"userId": str(uuid.uuid4())}
    )


def test_one_document_per_event_newest_first_with_indexes_on_time_and_event(mongo: MongoActionLog) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    older, newer = _record("SIGN_UP", now - timedelta(minutes=1)), _record("SIGN_IN", now)
    for entry in (older, newer, older):  # the older one delivered twice
        mongo.record(entry)
    assert mongo.collection.count_documents({}) == 2
    assert mongo.latest(10) == [newer, older]
    document = mongo.collection.find_one({"_id": str(older.event_id)})
    assert set(document) == {"_id", "source", "event", "status", "message", "timestamp", "payload"}
    indexes = {i["name"]: i["key"] for i in mongo.collection.list_indexes()}
    assert indexes["by_time"] == {"timestamp": -1}
    assert indexes["by_event_and_time"] == {"event": 1, "timestamp": -1}


def test_the_audit_consumer_writes_to_mongodb_and_logs_no_secret(
    mongo: MongoActionLog, api: Api, database: db.Connection, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert api.sign_up("ida@example.com", "ida").status == 201
    link = api.confirmation_link_of("ida@example.com")
    assert api.call("GET", link).status == 200
    token = api.sign_in("ida@example.com").body["_at"]
    api.pipeline.drain()

    entries = mongo.latest(10)
    assert [e.event for e in reversed(entries)][:2] == ["SIGN_UP", "CONFIRMATION"]
    assert database.execute("SELECT count(*) FROM audit.action_log").fetchone() == {"count": 0}
    secret = link.rsplit("/", 1)[-1]
    for document in mongo.collection.find():
        assert secrets_in(document, [STRONG_PASSWORD, token, secret]) == [], document
    leaked = {"event": "SIGN_IN", "message": f"signed in with {token}", "payload": {"code": "123456"}}
    assert secrets_in(leaked, []) == ["a JWT", "a one-time code"]  # the check sees what it looks for
    assert confirmation_link("ida@example.com").endswith(secret)

    assert cli.main(["audit", "tail", "-n", "2", "--data-dir", str(tmp_path)]) == 0  # no `cryptotalks dev` runs:
    # the store of MONGODB_URI. (Other lines may be Powertools' metrics, which it prints every 100 values.)
    lines = [line for line in capsys.readouterr().out.splitlines() if re.match(r"\d{4}-\d\d-\d\dT", line)]
    assert len(lines) == 2
    assert lines[-1].split()[2] == entries[0].event
