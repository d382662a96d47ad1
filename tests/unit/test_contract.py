"""The declared API against the original's document, and the generated documents against the code."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from typing import Any

from cryptotalks import errors
from cryptotalks.http import Auth
from functions import registry
from tests.support import repo_root

# The original system's API document and error list (shared/reference), kept here so that a clone alone checks them.
ORIGINAL = repo_root() / "tests" / "contract" / "cryptotalks-original-openapi.json"
# Routes of ours that the original does not have, each with its reason.
DOCUMENTED_ADDITIONS = {
    ("DELETE", "/api/crypto/favorites/{id}"): "the original README's spelling of the singular route it serves",
    ("POST", "/api/posts/report"): "moderation (issue 17): report a post or a comment",
    ("GET", "/api/moderation/queue/{page}/{pageSize}"): "moderation (issue 17): the moderators' queue",
    ("POST", "/api/moderation/decide"): "moderation (issue 17): dismiss, hide or restore",
    ("POST", "/api/user/role"): "moderation (issue 17): an admin grants or revokes roles",
    ("POST", "/api/crypto/alerts"): "price alerts (issue 16): set one",
    ("GET", "/api/crypto/alerts"): "price alerts (issue 16): one's alerts",
    ("DELETE", "/api/crypto/alerts/{id}"): "price alerts (issue 16): remove one",
    ("GET", "/api/notifications/{page}/{pageSize}"): "notifications (issue 16): newest first, with the unread count",
    ("POST", "/api/notifications/read"): "notifications (issue 16): mark all or some read",
    ("GET", "/api/notifications/preferences"): "notifications (issue 16): email and SMS preferences per kind",
    ("PATCH", "/api/notifications/preferences"): "notifications (issue 16): change them",
    ("GET", "/api/notifications/unsubscribe"): "notifications (issue 16): old unsubscribe links, to the web page",
    ("POST", "/api/notifications/unsubscribe"): "notifications (issue 16): unsubscribe signed out, or in one click",
    (
        "GET",
        "/api/posts/coin/{uuid}/{page}/{pageSize}",
    ): "issue 17: a coin's latest discussions (docs/coin-discussions.md)",
}
FOUNDATION_ROUTES = {
    ("POST", "/api/user/sign-up"),
    ("GET", "/api/user/account-confirmation/{confirmationHash}"),
    ("POST", "/api/user/sign-in"),
    ("GET", "/api/auth/refresh"),
    ("GET", "/api/user/logout"),
}


def _original_operations() -> set[tuple[str, str]]:
    document = json.loads(ORIGINAL.read_text())
    return {(method.upper(), path) for path, ops in document["paths"].items() for method in ops}


def _declared_routes() -> set[tuple[str, str]]:
    return {(d.declaration.method, path) for d in registry.endpoints() for path in d.declaration.paths}


def test_the_original_has_32_operations() -> None:
    assert len(_original_operations()) == 32


def test_every_declared_route_is_an_original_operation_or_a_documented_addition() -> None:
    unknown = _declared_routes() - _original_operations() - set(DOCUMENTED_ADDITIONS)
    assert not unknown, f"routes that are neither the original's nor documented additions: {sorted(unknown)}"


def test_the_account_slice_is_declared() -> None:
    assert _declared_routes() >= FOUNDATION_ROUTES


# Routes of ours that answer a redirect, each with its reason.
REDIRECTS = {
    ("GET", "/api/notifications/unsubscribe"): "the links of emails sent before lead to the web client's page",
}


def test_original_status_codes_are_kept() -> None:
    """POST answers 201 and the others 200, as in the original (or 303, a documented redirect)."""
    for declared in registry.endpoints():
        endpoint = declared.declaration
        expected = 303 if (endpoint.method, endpoint.path) in REDIRECTS else 201 if endpoint.method == "POST" else 200
        assert endpoint.status == expected, declared.module


def test_error_codes_are_the_contracts() -> None:
    original = {e["message"]: e for e in json.loads((ORIGINAL.parent / "cryptotalks-original-errors.json").read_text())}
    for code in vars(errors).values():
        if isinstance(code, errors.ErrorCode) and code.message in original:
            assert (code.status, code.error) == (original[code.message]["statusCode"], original[code.message]["error"])


def test_the_logout_route_needs_a_signed_in_user() -> None:
    auth = {(d.declaration.method, d.declaration.path): d.declaration.auth for d in registry.endpoints()}
    assert auth[("GET", "/api/user/logout")] is Auth.SIGNED_IN
    assert auth[("GET", "/api/auth/refresh")] is Auth.PUBLIC  # the cookie alone is the credential


def test_openapi_document_is_up_to_date() -> None:
    checked = subprocess.run(
        [sys.executable, "-m", "cryptotalks_dev.cli", "openapi", "--check"],
        capture_output=True,
        text=True,
        cwd=repo_root(),
    )
    assert checked.returncode == 0, checked.stderr


def test_both_spellings_of_the_favourite_removal_are_one_function_documented_twice() -> None:
    """The original serves DELETE /api/crypto/favorite/{id}; its README (and the web client) says `favorites`."""
    [declared] = [d for d in registry.endpoints() if "/api/crypto/favorite/{id}" in d.declaration.paths]
    assert declared.declaration.paths == ("/api/crypto/favorites/{id}", "/api/crypto/favorite/{id}")
    paths = json.loads((repo_root() / "schemas" / "openapi.json").read_text())["paths"]
    operations = [paths[path]["delete"]["operationId"] for path in declared.declaration.paths]
    assert operations == ["removeCryptoFromFavorites", "removeCryptoFromFavoritesAlias"]


def test_every_reference_in_the_openapi_document_resolves() -> None:
    """A dangling `$ref` breaks every generator reading the document (the web client's types among them)."""
    document = json.loads((repo_root() / "schemas" / "openapi.json").read_text())
    text = json.dumps(document)
    prefix = "#/components/schemas/"
    referenced = {ref.removeprefix(prefix) for ref in re.findall(r'"\$ref": "([^"]+)"', text)}
    assert referenced <= set(document["components"]["schemas"])


def test_every_function_module_declares_itself() -> None:
    """A module under functions/api or functions/consumers that declares nothing would never be deployed."""
    everything: list[registry.Declared[Any]] = [*registry.endpoints(), *registry.subscriptions(), *registry.jobs()]
    declared = {d.module for d in everything}
    declared.add(registry.AUTHORIZER_MODULE)
    root = repo_root() / "functions"
    for kind in ("api", "consumers", "jobs"):
        for path in (root / kind).rglob("*.py"):
            if path.name != "__init__.py":
                module = ".".join(path.relative_to(repo_root()).with_suffix("").parts)
                assert module in declared, f"{module} declares no endpoint, subscription or job"
