"""Settings read from the environment (and Secrets Manager on AWS), once per process."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from typing import Any


def aws_client(service: str) -> Any:
    """A boto3 client, on `AWS_ENDPOINT_URL` when it is set (LocalStack, moto). botocore reads that variable by
    itself only since 1.31; LocalStack 1.4 runs handlers with its own older one, so it is passed explicitly."""
    return _client(service, os.environ.get("AWS_ENDPOINT_URL") or None, os.environ.get("AWS_DEFAULT_REGION"))


@cache
def _client(service: str, endpoint_url: str | None, region: str | None) -> Any:
    """One client per service, endpoint and region for the process (clients are thread-safe; making one reads its
    service's model, ~60 ms)."""
    import boto3  # heavy: imported by the functions that call AWS only

    make_client: Any = boto3.client  # any service by name (the stubs type each name apart)
    return make_client(service, endpoint_url=endpoint_url, region_name=region)


@cache
def _secrets_provider() -> Any:
    from aws_lambda_powertools.utilities.parameters import SecretsProvider

    return SecretsProvider(boto3_client=aws_client("secretsmanager"))


def secret(name: str, default: str | None = None) -> str | None:
    """A secret given directly (`NAME`) or as a Secrets Manager id (`NAME_SECRET_ARN`), cached."""
    value = os.environ.get(name)
    if value:
        return value
    arn = os.environ.get(f"{name}_SECRET_ARN")
    if arn:
        return str(_secrets_provider().get(arn, max_age=300))
    return default


@dataclass(frozen=True)
class Settings:
    database_url: str | None
    # On AWS: a password-less URL of an RDS Proxy with IAM auth; each connection adds a fresh token (cryptotalks.db).
    database_iam_url: str | None
    event_bus_name: str
    jwt_secret: str
    access_token_ttl_seconds: int
    refresh_token_ttl_seconds: int
    public_base_url: str
    secure_cookies: bool
    sendgrid_api_key: str | None
    sendgrid_host: str | None
    mail_from: str
    dev_outbox_dir: str | None


@cache
def settings() -> Settings:
    jwt_secret = secret("JWT_SECRET")
    if not jwt_secret:
        raise RuntimeError("JWT_SECRET (or JWT_SECRET_SECRET_ARN) is not set")
    public_base_url = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:3000").rstrip("/")
    return Settings(
        database_url=secret("DATABASE_URL"),
        database_iam_url=os.environ.get("DATABASE_IAM_URL"),
        event_bus_name=os.environ.get("EVENT_BUS_NAME", "cryptotalks"),
        jwt_secret=jwt_secret,
        access_token_ttl_seconds=int(os.environ.get("ACCESS_TOKEN_TTL_SECONDS", 15 * 60)),
        refresh_token_ttl_seconds=int(os.environ.get("REFRESH_TOKEN_TTL_SECONDS", 7 * 24 * 3600)),
        public_base_url=public_base_url,
        secure_cookies=public_base_url.startswith("https://"),
        sendgrid_api_key=secret("SENDGRID_API_KEY"),
        sendgrid_host=os.environ.get("SENDGRID_HOST"),
        mail_from=os.environ.get("MAIL_FROM", "no-reply@cryptotalks.dev"),
        dev_outbox_dir=os.environ.get("CRYPTOTALKS_DEV_OUTBOX_DIR"),
    )
