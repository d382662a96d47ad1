"""Every event type of the system: the foundation's catalogue and each context's `events` module.

A function only imports the events it touches; what handles events of any type (the outbox relay, the
catalogue's generator) loads them all here first."""

from __future__ import annotations

import importlib
from functools import cache
from pathlib import Path

from cryptotalks.events.envelope import DomainEvent

PACKAGE_ROOT = Path(__file__).resolve().parent.parent


@cache
def _import_event_modules() -> None:
    importlib.import_module("cryptotalks.events.catalogue")
    for module in sorted(PACKAGE_ROOT.glob("*/events.py")):
        importlib.import_module(f"cryptotalks.{module.parent.name}.events")


def every_event_type() -> dict[str, type[DomainEvent]]:
    """Event type → payload model, sorted by type."""
    _import_event_modules()
    return dict(sorted(DomainEvent.catalogue.items()))
