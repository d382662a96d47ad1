"""The event catalogue (`schemas/events/*.schema.json`, `schemas/asyncapi.json`) is generated from the code and
must not drift from it. Adding or changing an event or a consumer is followed by `cryptotalks schemas`."""

from __future__ import annotations

import json
from typing import Any

from cryptotalks.events.discovery import every_event_type
from cryptotalks_dev import event_catalogue
from functions import registry

REGENERATE = "the event catalogue is stale: run `.venv/bin/cryptotalks schemas` and commit schemas/"


def test_the_committed_catalogue_matches_the_code() -> None:
    stale = event_catalogue.stale()
    assert not stale, f"{REGENERATE}\n  " + "\n  ".join(str(p) for p in stale)


def test_every_publish_names_its_event_model() -> None:
    """The catalogue learns who publishes what from `publish(EventModel(...), CONTEXT)` calls."""
    unreadable = [call.where for call in event_catalogue.publish_calls() if call.event_type is None]
    assert not unreadable, "write these as publish(EventModel(...), CONTEXT) so the catalogue sees them: " + ", ".join(
        unreadable
    )


def test_a_contexts_events_are_published_by_it_and_every_consumed_one_by_some_context() -> None:
    """Kafka consumers read only their events' publishers' topics: an event no context is seen to publish would
    reach no consumer. An event defined in `<context>/events.py` is that context's to publish."""
    published = event_catalogue.publishers()
    for event_type, model in every_event_type().items():
        owner = model.__module__.removeprefix("cryptotalks.").removesuffix(".events")
        if model.__module__ == f"cryptotalks.{owner}.events":
            assert published.get(event_type, [owner]) == [owner], event_type
    taken = {t for d in registry.subscriptions() for t in d.declaration.event_types}
    assert not taken - set(published), "consumed but published by no context"


def _references(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [node["$ref"]] if "$ref" in node else [r for value in node.values() for r in _references(value)]
    if isinstance(node, list):
        return [r for value in node for r in _references(value)]
    return []


def _resolve(document: dict[str, Any], pointer: str) -> Any:
    node: Any = document
    for part in pointer.removeprefix("#/").split("/"):
        node = node[part]
    return node


def test_the_asyncapi_document_is_whole() -> None:
    document = event_catalogue.asyncapi_document()
    assert document["asyncapi"].startswith("3.")
    for reference in _references(document):
        if reference.startswith("#/"):
            _resolve(document, reference)
        else:
            assert (event_catalogue.SCHEMAS / reference).exists(), reference
    messages = document["components"]["messages"]
    assert set(messages) == set(every_event_type())
    received = {
        m["$ref"].rsplit("/", 1)[-1]
        for op in document["operations"].values()
        if op["action"] == "receive"
        for m in op["messages"]
    }
    published = {t for t, contexts in event_catalogue.publishers().items() if contexts}
    taken = {t for d in registry.subscriptions() for t in d.declaration.event_types}
    assert received == taken & published  # every consumer of a published event appears as its receiver
    user_created = messages["user_created"]
    assert "Published by: users." in user_created["description"]
    assert "consumers-users-user-created" in user_created["description"]


def test_each_schema_describes_its_payload() -> None:
    for event_type, model in every_event_type().items():
        schema = json.loads((event_catalogue.EVENT_SCHEMAS / f"{event_type}.schema.json").read_text())
        assert schema["$id"] == f"{event_type}.schema.json"
        assert set(schema["properties"]) == set(model.model_fields)
