"""A local stand-in for SendGrid's mail API, for a deployed stage without network (`make localstack-smoke`).

The functions send through the real SendGrid client, with `SENDGRID_HOST` pointing here (`-c
localstackSendgridHost=…`); `POST /v3/mail/send` keeps the message and answers 202 as SendGrid does, and
`GET /mailbox` lists what was kept in the shape of `cryptotalks dev`'s `GET /dev/mailbox` (JSON, newest last),
which the end-to-end tests read (`CRYPTOTALKS_E2E_MAILBOX_URL`).

    python localstack/mail_sink.py --port 4599
"""

from __future__ import annotations

import argparse
import json
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SEND_PATH = "/v3/mail/send"
MAILBOX_PATH = "/mailbox"


def as_dev_mail(payload: dict[str, Any]) -> list[dict[str, str]]:
    """SendGrid's v3 request → one dev-mailbox message per recipient."""
    contents = {part["type"]: part["value"] for part in payload.get("content", [])}
    sent_at = datetime.now(UTC).isoformat()
    return [
        {
            "to": recipient["email"],
            "subject": personalization.get("subject", payload.get("subject", "")),
            "text": contents.get("text/plain", ""),
            "html": contents.get("text/html", ""),
            "sentAt": sent_at,
        }
        for personalization in payload.get("personalizations", [])
        for recipient in personalization.get("to", [])
    ]


class MailSink(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host: str, port: int) -> None:
        super().__init__((host, port), _Handler)
        self.messages: list[dict[str, str]] = []
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


class _Handler(BaseHTTPRequestHandler):
    server: MailSink

    def do_POST(self) -> None:
        if self.path != SEND_PATH:
            self._answer(404, {"errors": [{"message": "not found"}]})
            return
        try:
            payload = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
            messages = as_dev_mail(payload)
        except (ValueError, KeyError, TypeError, AttributeError):
            self._answer(400, {"errors": [{"message": "bad request"}]})
            return
        if not self.headers.get("Authorization", "").startswith("Bearer "):
            self._answer(401, {"errors": [{"message": "authorization required"}]})
            return
        with self.server.lock:
            self.server.messages.extend(messages)
        self._answer(202, None)

    def do_GET(self) -> None:
        if self.path != MAILBOX_PATH:
            self._answer(404, {"errors": [{"message": "not found"}]})
            return
        with self.server.lock:
            messages = list(self.server.messages)
        self._answer(200, messages)

    def _answer(self, status: int, body: Any) -> None:
        raw = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    arguments = parser.parse_args()
    sink = MailSink(arguments.host, arguments.port)
    print(f"mail sink on {sink.url}", flush=True)
    sink.serve_forever()


if __name__ == "__main__":
    main()
