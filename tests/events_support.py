"""Helpers of the event backbone's tests: sample events of any type, counting consumers, secrets to look for."""

from __future__ import annotations

import json
import re
import uuid
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import pytest

from cryptotalks import db
from cryptotalks.events.envelope import DomainEvent, Envelope
from functions import registry


def _sample_value(schema: dict[str, Any], definitions: dict[str, Any]) -> Any:
    if "$ref" in schema:
        return _sample_value(definitions[schema["$ref"].rsplit("/", 1)[-1]], definitions)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    if "anyOf" in schema:
        return _sample_value(next(s for s in schema["anyOf"] if s.get("type") != "null"), definitions)
    kind, form = str(schema.get("type")), str(schema.get("format"))
    if kind == "array":  # as few items as it may have
        return [_sample_value(schema["items"], definitions) for _ in range(schema.get("minItems", 0))]
    if kind == "object":
        return _sample_object(schema, definitions)
    if kind == "string":
        return {"uuid": str(uuid.uuid4()), "date-time": datetime.now(UTC).isoformat()}.get(form, "sample")
    return {"integer": 1, "number": 1.0, "boolean": False}[kind]


def _sample_object(schema: dict[str, Any], definitions: dict[str, Any]) -> dict[str, Any]:
    """Its required properties, each with a sample value."""
    return {name: _sample_value(schema["properties"][name], definitions) for name in schema.get("required", [])}


def sample_event(model: type[DomainEvent]) -> DomainEvent:
    """An instance with every required field set to a plain valid value (fresh ids)."""
    schema = model.model_json_schema()
    definitions = schema.get("$defs", {})
    return model.model_validate(_sample_object(schema, definitions))


class CountingConsumers:
    """Stands in for every consumer's own function: counts the runs per (consumer, event id), touching nothing."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.runs: Counter[tuple[str, uuid.UUID]] = Counter()
        for declared in registry.subscriptions():
            monkeypatch.setattr(declared.declaration, "function", self._counter(declared.function_id))

    def _counter(self, function_id: str) -> Any:
        def count(event: DomainEvent, envelope: Envelope) -> None:
            self.runs[(function_id, envelope.id)] += 1

        return count


# What must never reach the action log: JWTs, password hashes, 40-hex confirmation secrets, one-time codes.
SECRET_PATTERNS = {
    "a JWT": re.compile(r"eyJ[\w-]+\.[\w-]+\.[\w-]*"),
    "a password hash": re.compile(r"\$argon2|\$2[aby]\$"),
    "a hex secret": re.compile(r"\b[0-9a-f]{40,}\b"),
    "a one-time code": re.compile(r"(?<![\w-])\d{6}(?![\w-])"),
}


def secrets_in(record: dict[str, Any], known: list[str]) -> list[str]:
    """What in an action log record's written parts (event, message, payload) looks like a secret, or is one of
    the `known` secrets (passwords, tokens, links the test saw)."""
    text = json.dumps([record["event"], record["message"], record["payload"]])
    found = [name for name, pattern in SECRET_PATTERNS.items() if pattern.search(text)]
    return found + [f"the known secret {secret[:4]}…" for secret in known if secret and secret in text]


def published(database: db.Connection, event_type: str) -> list[dict[str, Any]]:
    """The payloads of the events of a type written to the outbox, oldest first."""
    rows = database.execute(
        "SELECT envelope->'payload' AS payload FROM messaging.outbox WHERE type = %s ORDER BY created_at", (event_type,)
    ).fetchall()
    return [row["payload"] for row in rows]
