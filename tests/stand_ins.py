"""Local HTTP servers standing in for third-party APIs; they record the requests the real clients send."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl


@dataclass
class RecordingServer:
    url: str
    received: list[dict[str, Any]] = field(default_factory=list)
    status: int = 202
    answer: dict[str, Any] | None = None  # a JSON body to answer with
    on_receive: Callable[[dict[str, Any]], None] | None = None  # called with each request before it is answered


@contextmanager
def recording_server() -> Iterator[RecordingServer]:
    """Answers every POST with `status` (settable while running) and an empty body."""
    recorder = RecordingServer(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
            form = "form-urlencoded" in (self.headers.get("Content-Type") or "")
            body = dict(parse_qsl(raw)) if form else json.loads(raw)
            request = {"path": self.path, "headers": dict(self.headers), "body": body}
            recorder.received.append(request)
            if recorder.on_receive is not None:
                recorder.on_receive(request)
            answer = json.dumps(recorder.answer).encode() if recorder.answer is not None else b""
            self.send_response(recorder.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    recorder.url = f"http://127.0.0.1:{server.server_port}"
    try:
        yield recorder
    finally:
        server.shutdown()
        server.server_close()
