"""Where the action log is kept: MongoDB through pymongo when `MONGODB_URI` (or `MONGODB_URI_SECRET_ARN`) is set
(DocumentDB or Atlas on AWS), else the PostgreSQL table `audit.action_log`. Both keep one record per event id,
so a redelivered event writes nothing twice, and both answer the newest records first."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import UTC, datetime
from functools import cache
from typing import Any, Protocol

from cryptotalks import db
from cryptotalks.audit import data
from cryptotalks.audit.models import ActionRecord
from cryptotalks.config import secret

MONGODB_DATABASE = "cryptotalks"  # unless the URI names one
MONGODB_COLLECTION = "action_log"


class ActionLogStore(Protocol):
    def record(self, entry: ActionRecord) -> None: ...

    def latest(self, limit: int) -> list[ActionRecord]: ...


class PostgresActionLog:
    """Written in the consumer's transaction, with its inbox record."""

    def record(self, entry: ActionRecord) -> None:
        with db.transaction() as tx:
            data.insert_action(
                tx.conn,
                entry.event_id,
                entry.source,
                entry.event,
                entry.status,
                entry.message,
                entry.timestamp,
                entry.payload,
            )

    def latest(self, limit: int) -> list[ActionRecord]:
        with db.transaction() as tx:
            return data.latest(tx.conn, limit)


class MongoActionLog:
    """One document per event, `_id` the event id: written before the consumer's transaction commits, and written
    once however often the event comes (a retry after a failed commit finds it there)."""

    def __init__(self, collection: Any) -> None:
        self.collection = collection
        collection.create_index([("timestamp", -1)], name="by_time")
        collection.create_index([("event", 1), ("timestamp", -1)], name="by_event_and_time")

    @classmethod
    def connect(cls, uri: str) -> MongoActionLog:
        from pymongo import MongoClient

        client: Any = MongoClient(uri, tz_aware=True, serverSelectionTimeoutMS=5000)
        return cls(client.get_default_database(MONGODB_DATABASE)[MONGODB_COLLECTION])

    def record(self, entry: ActionRecord) -> None:
        document = asdict(entry)
        document["_id"] = str(document.pop("event_id"))
        self.collection.update_one({"_id": document["_id"]}, {"$setOnInsert": document}, upsert=True)

    def latest(self, limit: int) -> list[ActionRecord]:
        documents = self.collection.find().sort([("timestamp", -1), ("_id", -1)]).limit(limit)
        return [
            ActionRecord(
                uuid.UUID(d["_id"]),
                d["source"],
                d["event"],
                d["status"],
                d["message"],
                _utc(d["timestamp"]),
                d["payload"],
            )
            for d in documents
        ]


def _utc(moment: datetime) -> datetime:
    """BSON dates come back naive from some drivers' settings (and mongomock); they are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@cache
def store() -> ActionLogStore:
    uri = secret("MONGODB_URI")
    return MongoActionLog.connect(uri) if uri else PostgresActionLog()
