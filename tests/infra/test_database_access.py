"""The functions' side of the stack's database access: `DATABASE_IAM_URL` (an RDS Proxy with IAM auth) becomes
a connection string with a freshly signed token and TLS required."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from psycopg.conninfo import conninfo_to_dict

from cryptotalks import config, db

PROXY = "cryptotalks-dev.proxy-abc123.eu-west-1.rds.amazonaws.com"


@pytest.fixture
def iam_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("DATABASE_URL_SECRET_ARN", raising=False)
    monkeypatch.setenv("DATABASE_IAM_URL", f"postgresql://cryptotalks_admin@{PROXY}:5432/cryptotalks")
    monkeypatch.setenv("JWT_SECRET", "a-signing-key-for-this-test-only-0123456789")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEEXAMPLE00")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "example-secret-key-for-signing-only")
    config.settings.cache_clear()
    db._rds_client.cache_clear()
    yield
    config.settings.cache_clear()
    db._rds_client.cache_clear()


def test_each_connection_signs_its_own_token(iam_environment: None) -> None:
    first = conninfo_to_dict(db._database_url())
    assert first["host"] == PROXY
    assert first["port"] == "5432"
    assert first["user"] == "cryptotalks_admin"
    assert first["dbname"] == "cryptotalks"
    assert first["sslmode"] == "require"
    # A SigV4-presigned URL for rds-db:connect, without its scheme.
    token = str(first["password"])
    assert token.startswith(f"{PROXY}:5432/?Action=connect&DBUser=cryptotalks_admin")
    assert "X-Amz-Signature=" in token


def test_a_database_url_still_wins(iam_environment: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://local@127.0.0.1:5432/cryptotalks")
    config.settings.cache_clear()
    assert db._database_url() == "postgresql://local@127.0.0.1:5432/cryptotalks"
