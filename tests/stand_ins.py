"""Local HTTP servers standing in for third-party APIs (SendGrid, Twilio, Coinranking, CoinGecko): one server,
each stand-in gives it how to answer and records what the real clients send."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

import pytest

from cryptotalks.config import settings


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # with its query
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any = None  # JSON, or text sent as it is, or nothing
    headers: dict[str, str] = field(default_factory=dict)


@contextmanager
def http_stand_in(answer: Callable[[Request], Answer]) -> Iterator[str]:
    """Serves `answer` on a free port of 127.0.0.1 until the block ends; yields the base URL."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _answer(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            given = answer(Request(self.command, self.path, dict(self.headers), body))
            raw = (
                b""
                if given.body is None
                else (given.body if isinstance(given.body, str) else json.dumps(given.body)).encode()
            )
            self.send_response(given.status)
            self.send_header("Content-Type", "application/json")
            for name, value in given.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        do_GET = do_POST = _answer

        def log_message(self, *args: Any) -> None:
            pass

    with ThreadingHTTPServer(("127.0.0.1", 0), Handler) as server:
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield f"http://127.0.0.1:{server.server_port}"
        finally:
            server.shutdown()


@dataclass
class RecordingServer:
    url: str
    received: list[dict[str, Any]] = field(default_factory=list)
    status: int = 202
    answer: dict[str, Any] | None = None  # a JSON body to answer with
    on_receive: Callable[[dict[str, Any]], None] | None = None  # called with each request before it is answered

    def record(self, request: Request) -> Answer:
        raw = request.body.decode()
        form = "form-urlencoded" in (request.headers.get("Content-Type") or "")
        received = {
            "path": request.path,
            "headers": request.headers,
            "body": dict(parse_qsl(raw)) if form else json.loads(raw),
        }
        self.received.append(received)
        if self.on_receive is not None:
            self.on_receive(received)
        return Answer(self.status, self.answer)


@contextmanager
def recording_server() -> Iterator[RecordingServer]:
    """Answers every POST with `status` (settable while running) and `answer`, recording the requests (SendGrid,
    Twilio)."""
    recorder = RecordingServer(url="")
    with http_stand_in(recorder.record) as url:
        recorder.url = url
        yield recorder


@contextmanager
def senders_in_use() -> Iterator[tuple[RecordingServer, RecordingServer]]:
    """SendGrid and Twilio stand-ins, in use by this process's functions until the block ends (then the dev
    mailbox and SMS box again)."""
    with recording_server() as sendgrid, recording_server() as twilio, pytest.MonkeyPatch.context() as patch:
        twilio.status = 201
        twilio.answer = {"sid": "SM" + "1" * 32, "status": "queued"}
        patch.setenv("SENDGRID_API_KEY", "SG.test-key")
        patch.setenv("SENDGRID_HOST", sendgrid.url)
        patch.setenv("TWILIO_ACCOUNT_SID", "AC" + "0" * 32)
        patch.setenv("TWILIO_AUTH_TOKEN", "auth-token")
        patch.setenv("TWILIO_API_URL", twilio.url)
        settings.cache_clear()
        try:
            yield sendgrid, twilio
        finally:
            patch.undo()
            settings.cache_clear()
