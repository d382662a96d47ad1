"""The local runtime's HTTP server: the API (through the gateway), Swagger UI, the dev mailbox and the web client."""

from __future__ import annotations

import json
import mimetypes
import socket
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from cryptotalks.notifications.dev_box import DevBox
from cryptotalks_dev import web_hosting
from cryptotalks_dev.access_log import access_line, redacted
from cryptotalks_dev.gateway import Gateway, HttpResponse
from cryptotalks_dev.openapi import render

SWAGGER_PAGE = b"""<!doctype html>
<html><head><title>Cryptotalks API</title><link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div><script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/swagger-initializer.js"></script></body></html>
"""
# A file rather than an inline script, so that the page's policy allows no inline script.
SWAGGER_INITIALIZER = b"""SwaggerUIBundle({url: "/docs/openapi.json", dom_id: "#swagger-ui"});
"""
# Swagger UI sets inline styles and draws its icons as data: images; it calls the API on this origin.
DOCS_SECURITY_HEADERS = [
    (
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    ),
    ("X-Content-Type-Options", web_hosting.NOSNIFF),
    ("X-Frame-Options", web_hosting.FRAME_OPTIONS),
    ("Referrer-Policy", web_hosting.REFERRER_POLICY),
]
# Connections waiting to be accepted: socketserver's 5 reset some of 50 requests arriving at once.
LISTEN_BACKLOG = 1024


WEB_DIST = Path(__file__).resolve().parent.parent / "web" / "dist"
WEB_NOT_BUILT_PAGE = b"""<!doctype html><html><head><title>Cryptotalks</title></head><body>
<h1>The web client is not built</h1><p>Run <code>make web</code> (Node 20.19 or newer), then reload.
The API is at <a href="/docs">/docs</a>.</p></body></html>"""


def _json(status: int, value: Any) -> HttpResponse:
    return HttpResponse(status, [("Content-Type", "application/json")], json.dumps(value).encode())


def _wants_html(headers: list[tuple[str, str]]) -> bool:
    return any(name.lower() == "accept" and "text/html" in value for name, value in headers)


def _web_file(web_dist: Path, path: str, page_wanted: bool, security: list[tuple[str, str]]) -> HttpResponse:
    """A built file of the web client, else (for a browser asking for a page) its index.html: the client routes
    /posts/..., /user/... itself. Read at each request, so a rebuild shows without restarting."""
    root = web_dist.resolve()
    index = root / web_hosting.INDEX.lstrip("/")
    html = [("Content-Type", "text/html; charset=utf-8"), *security]
    if not index.is_file():
        return HttpResponse(404, html, WEB_NOT_BUILT_PAGE)
    asset = (root / path.lstrip("/")).resolve()
    if asset.is_relative_to(root) and asset != index and asset.is_file():
        content_type = mimetypes.guess_type(asset.name)[0] or "application/octet-stream"
        headers = [("Content-Type", content_type), ("Cache-Control", web_hosting.cache_control(path)), *security]
        return HttpResponse(200, headers, asset.read_bytes())
    if path != "/" and not page_wanted:
        # Not a page (an old build's script, a file someone guessed): a 404, not index.html.
        return _json(404, {"statusCode": 404, "message": "not-found", "error": "Not found"})
    return HttpResponse(200, [*html, ("Cache-Control", web_hosting.REVALIDATED)], index.read_bytes())


def listening_socket(host: str, port: int) -> socket.socket:
    """Bound and listening, for one server or for the worker processes sharing it (cryptotalks_dev.http_workers)."""
    return socket.create_server((host, port), backlog=LISTEN_BACKLOG)


class LocalServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self,
        listening: socket.socket,
        gateway: Gateway,
        dev_boxes: dict[str, DevBox[Any]],
        web_dist: Path = WEB_DIST,
        image_origins: tuple[str, ...] = (),
    ) -> None:
        """`dev_boxes`: what is served where, e.g. {"/dev/mailbox": DevMailbox(...)}; `web_dist`: the built client;
        `image_origins`: where else the client's pages may load images from (the local S3 of the avatars)."""
        super().__init__(listening.getsockname(), RequestHandler, bind_and_activate=False)
        self.socket.close()
        self.socket = listening
        # Shared by worker processes, a connection wakes them all: those that lose the race to accept it must
        # go back to waiting rather than block in accept().
        listening.setblocking(False)
        self.gateway, self.dev_boxes, self.web_dist = gateway, dev_boxes, web_dist
        self.web_security_headers = web_hosting.security_headers(image_origins)
        self.openapi = render().encode()
        from swagger_ui_bundle import swagger_ui_path  # the Swagger UI files, served offline

        self.swagger_dir = Path(swagger_ui_path)

    def get_request(self) -> tuple[socket.socket, Any]:
        # A worker running a function leaves new connections to idle workers, as API Gateway hands a request to a
        # free execution environment: taken here, they would wait for this invocation to end.
        with self.gateway.idle():
            return self.socket.accept()

    def respond(
        self, method: str, raw_path: str, headers: list[tuple[str, str]], body: bytes, source_ip: str
    ) -> HttpResponse:
        path = raw_path.partition("?")[0]
        if path.startswith("/api/"):
            return self.gateway.handle(method, raw_path, headers, body, source_ip)
        if method == "GET" and (path == "/docs" or path.startswith("/docs/")):
            docs = self._docs(path.removeprefix("/docs").removeprefix("/"))
            return HttpResponse(docs.status, [*docs.headers, *DOCS_SECURITY_HEADERS], docs.body)
        if method == "GET" and path in self.dev_boxes:
            return _json(200, self.dev_boxes[path].messages())
        if method in ("GET", "HEAD") and web_hosting.is_client_path(path):
            return _web_file(self.web_dist, path, _wants_html(headers), self.web_security_headers)
        return _json(404, {"statusCode": 404, "message": "not-found", "error": "Not found"})

    def _docs(self, name: str) -> HttpResponse:
        if name == "":
            return HttpResponse(200, [("Content-Type", "text/html; charset=utf-8")], SWAGGER_PAGE)
        if name == "openapi.json":
            return HttpResponse(200, [("Content-Type", "application/json")], self.openapi)
        if name == "swagger-initializer.js":
            return HttpResponse(200, [("Content-Type", "text/javascript")], SWAGGER_INITIALIZER)
        return self._swagger_asset(name)

    def _swagger_asset(self, name: str) -> HttpResponse:
        asset = (self.swagger_dir / name).resolve()
        if asset.parent != self.swagger_dir.resolve() or not asset.is_file():
            return _json(404, {"statusCode": 404, "message": "not-found", "error": "Not found"})
        content_type = mimetypes.guess_type(asset.name)[0] or "application/octet-stream"
        return HttpResponse(200, [("Content-Type", content_type)], asset.read_bytes())


class RequestHandler(BaseHTTPRequestHandler):
    server: LocalServer
    protocol_version = "HTTP/1.1"
    # The headers and the body go out in two writes; on a kept-alive connection Nagle's algorithm held the body
    # back until the client's delayed ACK, some 40 ms later, on every answer.
    disable_nagle_algorithm = True

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        try:
            response = self.server.respond(
                self.command, self.path, list(self.headers.items()), body, source_ip=self.client_address[0]
            )
        except Exception:
            self.log_error("unhandled error serving %s %s", self.command, redacted(self.path))
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
        print(access_line(self.client_address[0], self.command, self.path, code), flush=True)
