"""The local server's access log keeps the one-time secrets of URLs out."""

from __future__ import annotations

import pytest

from cryptotalks_dev.access_log import REDACTED, access_line, secret_segments
from functions import registry

HASH = "0123456789abcdef0123456789abcdef01234567"


def test_every_declared_secret_path_parameter_is_hidden() -> None:
    secret_paths = [d.declaration.path for d in registry.endpoints() if "{confirmationHash}" in d.declaration.path]
    assert sorted(secret_paths) == [
        "/api/user/account-confirmation/{confirmationHash}",
        "/api/user/email-change-confirmation/{confirmationHash}",
    ]
    assert secret_segments() == {"account-confirmation", "email-change-confirmation"}


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        (f"/api/user/account-confirmation/{HASH}", f"/api/user/account-confirmation/{REDACTED}"),
        (f"/api/user/email-change-confirmation/{HASH}", f"/api/user/email-change-confirmation/{REDACTED}"),
        (f"/account-confirmation/{HASH}", f"/account-confirmation/{REDACTED}"),  # the web client's page
        (f"/api/user/account%2Dconfirmation/{HASH}", f"/api/user/account%2Dconfirmation/{REDACTED}"),
        (
            f"/forgot-password?email=a%40b.example&verificationString={HASH}",
            f"/forgot-password?email=a%40b.example&verificationString={REDACTED}",
        ),
        (
            "/api/posts/delete/9?twoFaCode=123456&code=654321",
            f"/api/posts/delete/9?twoFaCode={REDACTED}&code={REDACTED}",
        ),
        ("/api/posts/delete/9?two%46aCode=123456", f"/api/posts/delete/9?two%46aCode={REDACTED}"),
        (f"/unsubscribe?token={HASH}", f"/unsubscribe?token={REDACTED}"),
        (f"/api/notifications/unsubscribe?token={HASH}", f"/api/notifications/unsubscribe?token={REDACTED}"),
        ("/api/posts/list?searchQuery=btc&tags=a,b", "/api/posts/list?searchQuery=btc&tags=a,b"),
        ("/api/user/get/alice", "/api/user/get/alice"),
    ],
)
def test_secrets_are_redacted_and_the_rest_is_kept(path: str, logged: str) -> None:
    assert access_line("127.0.0.2", "GET", path, 200) == f"127.0.0.2 GET {logged} 200"
