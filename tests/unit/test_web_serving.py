"""`cryptotalks dev` serves the built web client at `/`, and its index.html for the client's own routes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest

from cryptotalks.notifications.dev_box import DevBox
from cryptotalks_dev import web_hosting
from cryptotalks_dev.gateway import Gateway, HttpResponse
from cryptotalks_dev.server import LocalServer, listening_socket
from tests.web_client_paths import BUILT_FILES, NAVIGATION_ACCEPT, PAGES

INDEX = b"<!doctype html><div id=root></div>"


class AnsweringGateway:
    """Stands in for the API: answers every call with where it came."""

    def handle(
        self, method: str, raw_path: str, headers: list[tuple[str, str]], body: bytes, source_ip: str
    ) -> HttpResponse:
        return HttpResponse(200, [("Content-Type", "application/json")], json.dumps({"api": raw_path}).encode())


class Mailbox:
    def messages(self) -> list[dict[str, Any]]:
        return [{"to": "a@example.com"}]


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_bytes(INDEX)
    (tmp_path / "assets" / "index-abc123.js").write_text("console.log(1)")
    (tmp_path / "favicon.svg").write_text("<svg/>")
    return tmp_path


@pytest.fixture
def server(dist: Path) -> Iterator[LocalServer]:
    boxes = {"/dev/mailbox": cast(DevBox[Any], Mailbox())}
    local = LocalServer(listening_socket("127.0.0.1", 0), cast(Gateway, AnsweringGateway()), boxes, dist, (LOCAL_S3,))
    yield local
    local.server_close()


BROWSER = [("Accept", NAVIGATION_ACCEPT)]
LOCAL_S3 = "http://127.0.0.1:5000"


def get(
    server: LocalServer, path: str, method: str = "GET", headers: list[tuple[str, str]] | None = None
) -> HttpResponse:
    return server.respond(method, path, headers or [], b"", source_ip="127.0.0.1")


def header(response: HttpResponse, name: str) -> str | None:
    return next((value for key, value in response.headers if key.lower() == name.lower()), None)


def test_built_files_are_served_with_their_type_and_hashed_assets_cached_for_good(server: LocalServer) -> None:
    script = get(server, "/assets/index-abc123.js")
    assert (script.status, script.body) == (200, b"console.log(1)")
    assert header(script, "Content-Type") in ("text/javascript", "application/javascript")
    assert header(script, "Cache-Control") == "public, max-age=31536000, immutable"
    icon = get(server, "/favicon.svg")
    assert (icon.status, header(icon, "Content-Type"), header(icon, "Cache-Control")) == (
        200,
        "image/svg+xml",
        "no-cache",
    )


@pytest.mark.parametrize("path", [*PAGES, "/coins?q=btc"])
def test_the_client_routes_get_index_html(server: LocalServer, path: str) -> None:
    page = get(server, path, headers=BROWSER)
    assert (page.status, page.body, header(page, "Cache-Control")) == (200, INDEX, "no-cache")
    assert header(page, "Content-Type") == "text/html; charset=utf-8"


@pytest.mark.parametrize("path", [PAGES[1], *BUILT_FILES])
def test_the_client_is_served_with_the_security_headers_cloudfront_adds(server: LocalServer, path: str) -> None:
    answer = get(server, path, headers=BROWSER)
    assert answer.status == 200
    policy = header(answer, "Content-Security-Policy") or ""
    assert "script-src 'self';" in policy and "frame-ancestors 'none'" in policy
    assert policy == web_hosting.content_security_policy([LOCAL_S3])  # avatars come from the local S3
    assert header(answer, "X-Content-Type-Options") == "nosniff"
    assert header(answer, "X-Frame-Options") == "DENY"
    assert header(answer, "Referrer-Policy") == "strict-origin-when-cross-origin"


def test_the_api_and_the_docs_keep_their_own_headers(server: LocalServer) -> None:
    assert (
        header(get(server, "/api/posts/list/0/10/desc/createdAt", headers=BROWSER), "Content-Security-Policy") is None
    )
    # Swagger UI sets inline styles, which the client's policy would refuse; scripts are the site's own in both.
    docs_policy = header(get(server, "/docs", headers=BROWSER), "Content-Security-Policy") or ""
    assert "script-src 'self';" in docs_policy and "style-src 'self' 'unsafe-inline'" in docs_policy


def test_api_docs_and_dev_boxes_keep_their_paths(server: LocalServer) -> None:
    assert json.loads(get(server, "/api/posts/list/0/10/desc/createdAt").body) == {
        "api": "/api/posts/list/0/10/desc/createdAt"
    }
    assert json.loads(get(server, "/dev/mailbox").body) == [{"to": "a@example.com"}]
    for path in ("/dev/unknown", "/api", "/docs/missing.css"):
        answer = get(server, path)
        assert (answer.status, json.loads(answer.body)["message"]) == (404, "not-found"), path


def test_what_is_not_a_page_is_a_404_not_index_html(server: LocalServer) -> None:
    for path in ("/assets/index-old.js", "/pyproject.toml", "/posts/x"):
        answer = get(server, path)  # a script, or a client that does not ask for HTML
        assert (answer.status, json.loads(answer.body)["message"]) == (404, "not-found"), path
    assert get(server, "/").body == INDEX


def test_nothing_outside_the_build_is_served(server: LocalServer, dist: Path) -> None:
    (dist.parent / "secret.txt").write_text("no")
    assert get(server, "/../secret.txt", headers=BROWSER).body == INDEX
    assert get(server, "/../secret.txt").status == 404


def test_only_reads_are_answered_by_the_client(server: LocalServer) -> None:
    assert get(server, "/posts/x", "POST", BROWSER).status == 404
    head = get(server, "/", "HEAD")
    assert head.status == 200


def test_says_how_to_build_when_there_is_no_build(tmp_path: Path) -> None:
    local = LocalServer(listening_socket("127.0.0.1", 0), cast(Gateway, AnsweringGateway()), {}, tmp_path / "dist")
    try:
        answer = get(local, "/")
        assert answer.status == 404 and b"make web" in answer.body
    finally:
        local.server_close()
