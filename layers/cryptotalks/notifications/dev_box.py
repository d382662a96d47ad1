"""Messages kept by the local runtime instead of being sent: a JSON-lines file per kind, newest last."""

from __future__ import annotations

import fcntl
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any, ClassVar, Generic, TypeVar

Message = TypeVar("Message")


class DevBox(Generic[Message]):
    file_name: ClassVar[str]

    def __init__(self, folder: str) -> None:
        self.path = Path(folder) / self.file_name

    def send(self, message: Message) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a") as box:
            fcntl.flock(box, fcntl.LOCK_EX)  # consumers run in several threads
            box.write(json.dumps(asdict(message)) + "\n")  # type: ignore[call-overload]

    def messages(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text().splitlines() if line]
