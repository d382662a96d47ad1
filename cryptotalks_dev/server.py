"""The local runtime's HTTP server: the API (through the gateway), Swagger UI and the dev mailbox."""

from __future__ import annotations

import json
import mimetypes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from cryptotalks.notifications.dev_box import DevBox

from cryptotalks_dev.gateway import Gateway, HttpResponse
from cryptotalks_dev.openapi import render

SWAGGER_PAGE = """<!doctype html>
<html><head><title>Cryptotalks API</title><link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div><script src="/docs/swagger-ui-bundle.js"></script>
<script>SwaggerUIBundle({url: "/docs/openapi.json", dom_id: "#swagger-ui"});</script></body></html>
"""


def _json(status: int, value: Any) -> HttpResponse:
    return HttpResponse(status, [("Content-Type", "application/json")], json.dumps(value).encode())


class LocalServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], gateway: Gateway, dev_boxes: dict[str, DevBox[Any]]) -> None:
        """`dev_boxes`: what is served where, e.g. {"/dev/mailbox": DevMailbox(...)}."""
        super().__init__(address, RequestHandler)
        self.gateway, self.dev_boxes = gateway, dev_boxes
        self.openapi = render().encode()
        from swagger_ui_bundle import swagger_ui_path  # the Swagger UI files, served offline

        self.swagger_dir = Path(swagger_ui_path)

    def respond(self, method: str, raw_path: str, headers: list[tuple[str, str]], body: bytes) -> HttpResponse:
        path = raw_path.partition("?")[0]
        if path.startswith("/api/"):
            return self.gateway.handle(method, raw_path, headers, body)
        if method == "GET" and path in ("/docs", "/docs/"):
            return HttpResponse(200, [("Content-Type", "text/html")], SWAGGER_PAGE.encode())
        if method == "GET" and path == "/docs/openapi.json":
            return HttpResponse(200, [("Content-Type", "application/json")], self.openapi)
        if method == "GET" and path.startswith("/docs/"):
            return self._swagger_asset(path.removeprefix("/docs/"))
        if method == "GET" and path in self.dev_boxes:
            return _json(200, self.dev_boxes[path].messages())
        return _json(404, {"statusCode": 404, "message": "not-found", "error": "Not found"})

    def _swagger_asset(self, name: str) -> HttpResponse:
        asset = (self.swagger_dir / name).resolve()
        if asset.parent != self.swagger_dir.resolve() or not asset.is_file():
            return _json(404, {"statusCode": 404, "message": "not-found", "error": "Not found"})
        content_type = mimetypes.guess_type(asset.name)[0] or "application/octet-stream"
        return HttpResponse(200, [("Content-Type", content_type)], asset.read_bytes())


class RequestHandler(BaseHTTPRequestHandler):
    server: LocalServer
    protocol_version = "HTTP/1.1"

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        try:
            response = self.server.respond(self.command, self.path, list(self.headers.items()), body)
        except Exception:
            self.log_error("unhandled error serving %s %s", self.command, self.path)
            response = _json(500, {"statusCode": 500, "message": "internal-error", "error": "Internal server error"})
        self.send_response(response.status)
        for name, value in response.headers:
            if name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def __getattr__(self, name: str) -> Any:
        # Every method reaches the gateway (which answers 404 for what is not declared), not only the usual ones.
        if name.startswith("do_"):
            return self._serve
        raise AttributeError(name)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        # One short line per request; the functions log their own details as JSON.
        print(f"{self.command} {self.path} {code}", flush=True)
