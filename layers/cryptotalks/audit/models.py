"""The action log's record, as both stores keep it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class ActionRecord:
    event_id: uuid.UUID
    source: str  # the context that logged the action
    event: str  # SIGN_UP, SIGN_IN, CONFIRMATION, …
    status: str
    message: str
    timestamp: datetime
    payload: dict[str, Any]
