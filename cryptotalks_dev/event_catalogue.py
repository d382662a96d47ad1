"""The event catalogue, generated from the code (`cryptotalks schemas`; a test fails when the files drift):

- `schemas/events/<type>.schema.json`: the JSON Schema of each event type's payload, from its model;
- `schemas/asyncapi.json`: an AsyncAPI 3.0 document. A channel per context topic (`cryptotalks.<context>`), the
  messages each carries (the envelope, with the payload's schema), a `send` operation per publishing context and
  a `receive` operation per consumer and topic.

Who publishes an event is read from the code: the `publish(EventModel(...), CONTEXT)` calls in each context's
package (`layers/cryptotalks/<context>/`). Who consumes it is read from the subscriptions (`functions.registry`).
The same reading tells which topics a consumer reads on Kafka (`topics_carrying`): the CDK stack's event source
mappings and the local runtime's pollers.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from cryptotalks.events.discovery import PACKAGE_ROOT, every_event_type
from cryptotalks.events.envelope import DomainEvent, Envelope
from cryptotalks.events.kafka import TYPE_HEADER, topic_of
from functions import registry

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
EVENT_SCHEMAS = SCHEMAS / "events"
ASYNCAPI = SCHEMAS / "asyncapi.json"
SHARED_PACKAGES = {"events", "http", "credentials", "notifications", "messaging"}  # no context publishes from these


@dataclass(frozen=True)
class PublishCall:
    context: str
    event_type: str | None  # None: the call does not name its event model, so the catalogue cannot tell
    where: str  # path:line


def _publish_calls(path: Path) -> Iterator[tuple[ast.expr, int]]:
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        named = isinstance(node.func, ast.Name) and node.func.id == "publish"
        # `outbox.publish(...)`, `events.publish(...)`: through a module, not a method of some object
        through_module = (
            isinstance(node.func, ast.Attribute)
            and node.func.attr == "publish"
            and isinstance(node.func.value, ast.Name)
        )
        if named or through_module:
            yield node.args[0], node.lineno


def _resolve(module: Any, expression: ast.expr) -> Any:
    """The object an expression like `UserCreated` or `events.UserCreated` names in a module, or None."""
    if isinstance(expression, ast.Name):
        return getattr(module, expression.id, None)
    if isinstance(expression, ast.Attribute):
        owner = _resolve(module, expression.value)
        return getattr(owner, expression.attr, None) if owner is not None else None
    return None


def publish_calls() -> list[PublishCall]:
    """Every `publish(...)` in the contexts' packages, with the event type it publishes."""
    return list(_read_publish_calls())


@cache  # the sources do not change while a process runs; reading them imports every publishing module
def _read_publish_calls() -> tuple[PublishCall, ...]:
    found = []
    for path in sorted(PACKAGE_ROOT.glob("*/**/*.py")):
        context = path.relative_to(PACKAGE_ROOT).parts[0]
        if context in SHARED_PACKAGES:
            continue
        module_name = ".".join(("cryptotalks", *path.relative_to(PACKAGE_ROOT).with_suffix("").parts))
        calls = list(_publish_calls(path))
        module = importlib.import_module(module_name) if calls else None
        for argument, line in calls:
            model = _resolve(module, argument.func) if isinstance(argument, ast.Call) else None
            event_type = model.event_type if isinstance(model, type) and issubclass(model, DomainEvent) else None
            found.append(PublishCall(context, event_type, f"{path.relative_to(PACKAGE_ROOT.parent)}:{line}"))
    return tuple(found)


def publishers() -> dict[str, list[str]]:
    """Event type → the contexts that publish it."""
    contexts: dict[str, set[str]] = {}
    for call in publish_calls():
        if call.event_type:
            contexts.setdefault(call.event_type, set()).add(call.context)
    return {event_type: sorted(found) for event_type, found in sorted(contexts.items())}


def publishing_contexts() -> list[str]:
    return sorted({context for found in publishers().values() for context in found})


def topics_carrying(event_types: Iterable[str]) -> list[str]:
    """The Kafka topics the events of these types go to: their publishers' (an event goes to its publisher's)."""
    published = publishers()
    return sorted({topic_of(context) for event_type in event_types for context in published.get(event_type, [])})


def consumers() -> dict[str, list[registry.Declared[Any]]]:
    """Event type → the subscriptions that take it."""
    found: dict[str, list[registry.Declared[Any]]] = {}
    for declared in registry.subscriptions():
        for event_type in declared.declaration.event_types:
            found.setdefault(event_type, []).append(declared)
    return found


def event_schema(model: type[DomainEvent]) -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{model.event_type}.schema.json",
        **model.model_json_schema(),
    }


def _message(model: type[DomainEvent], published_by: list[str], consumed_by: list[registry.Declared[Any]]) -> Any:
    key = model.aggregate_id_field()
    envelope = Envelope.model_json_schema()
    envelope["properties"]["type"] = {"const": model.event_type}
    envelope["properties"]["payload"] = {"$ref": f"#/components/schemas/{model.event_type}"}
    description = [
        inspect.cleandoc(model.__doc__ or ""),
        f"Published by: {', '.join(published_by) or 'no context yet'}.",
        "Consumed by: "
        + (", ".join(f"{d.function_id} ({d.declaration.summary})" for d in consumed_by) or "none")
        + ".",
        f"Kafka key: the payload's `{key}`." if key else "Kafka key: none (spread over partitions).",
    ]
    return {
        "name": model.event_type,
        "title": model.__name__,
        "summary": f"`{model.event_type}` events",
        "description": "\n\n".join(part for part in description if part),
        "contentType": "application/json",
        "headers": {
            "type": "object",
            "properties": {TYPE_HEADER: {"type": "string", "const": model.event_type}},
        },
        "payload": envelope,
        "bindings": {"kafka": {"key": {"type": "string", "description": f"payload.{key}" if key else "none"}}},
    }


def asyncapi_document() -> dict[str, Any]:
    models = every_event_type()
    published = publishers()
    consumed = consumers()
    contexts = sorted({context for found in published.values() for context in found})
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for context in contexts:
        types = [t for t in models if context in published.get(t, [])]
        channels[context] = {
            "address": topic_of(context),
            "title": f"Events of the {context} context",
            "description": f"Kafka topic `{topic_of(context)}`; on EventBridge, the events of source"
            f" `cryptotalks.{context}`.",
            "messages": {t: {"$ref": f"#/components/messages/{t}"} for t in types},
        }
        operations[f"{context}.publish"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{context}"},
            "summary": f"The {context} context publishes, from its outbox, after its transaction commits",
            "messages": [{"$ref": f"#/channels/{context}/messages/{t}"} for t in types],
        }
    for declared in registry.subscriptions():
        for context in contexts:
            types = [t for t in declared.declaration.event_types if context in published.get(t, [])]
            if types:
                operations[f"{declared.function_id}.{context}"] = {
                    "action": "receive",
                    "channel": {"$ref": f"#/channels/{context}"},
                    "summary": declared.declaration.summary,
                    "description": f"Function `{declared.function_id}` ({declared.module})",
                    "messages": [{"$ref": f"#/channels/{context}/messages/{t}"} for t in types],
                }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Cryptotalks events",
            "version": "1.0.0",
            "description": (
                "Domain events between the bounded contexts. Every event travels in the same envelope "
                "`{id, type, source, occurredAt, payload}`: on Kafka as the record's value (key: the aggregate id, "
                f"header `{TYPE_HEADER}`: the event type), on EventBridge as the `detail` (`detail-type`: the event "
                "type, `source`: `cryptotalks.<context>`). Delivery is at least once; consumers are idempotent "
                "by event id. Generated by `cryptotalks schemas`."
            ),
        },
        "defaultContentType": "application/json",
        "servers": {
            "msk": {
                "host": "${KAFKA_BOOTSTRAP_SERVERS}",
                "protocol": "kafka",
                "description": "Amazon MSK (IAM auth) with `-c bus=kafka`; `cryptotalks dev --bus kafka` locally",
            }
        },
        "channels": channels,
        "operations": operations,
        "components": {
            "messages": {t: _message(m, published.get(t, []), consumed.get(t, [])) for t, m in models.items()},
            "schemas": {t: {"$ref": f"events/{t}.schema.json"} for t in models},
        },
    }


def _render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2) + "\n"


def rendered() -> dict[Path, str]:
    """Every file of the catalogue, as it should read."""
    files = {EVENT_SCHEMAS / f"{t}.schema.json": _render(event_schema(m)) for t, m in every_event_type().items()}
    files[ASYNCAPI] = _render(asyncapi_document())
    return files


def stale() -> list[Path]:
    """Files that differ from the code, are missing, or describe an event type that no longer exists."""
    expected = rendered()
    differing = [path for path, text in expected.items() if not path.exists() or path.read_text() != text]
    leftover = [path for path in EVENT_SCHEMAS.glob("*.schema.json") if path not in expected]
    return sorted(differing + leftover)


def write() -> list[Path]:
    """Writes what changed and removes the schemas of event types that are gone; returns the files touched."""
    EVENT_SCHEMAS.mkdir(parents=True, exist_ok=True)
    touched = stale()
    expected = rendered()
    for path in touched:
        if path in expected:
            path.write_text(expected[path])
        else:
            path.unlink()
    return touched
