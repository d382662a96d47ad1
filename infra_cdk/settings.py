"""What to deploy where, read from the CDK context: `-c stage=dev|prod`, `-c bus=eventbridge|kafka`,
`-c target=aws|localstack`, plus optional values (`domainName` with `certificateArn`, `webOrigin`, `alarmEmail`,
`publicBaseUrl`, `secretsVersion`, and the third parties' plain settings `twilioAccountSid`, `twilioFrom`,
`mailFrom`), and on LocalStack where it and what it runs are (`LocalStackSettings`)."""

from __future__ import annotations

import platform
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs


class Bus(StrEnum):
    EVENTBRIDGE = "eventbridge"
    KAFKA = "kafka"


class Target(StrEnum):
    AWS = "aws"
    LOCALSTACK = "localstack"  # community edition: no RDS, RDS Proxy, MSK or VPC endpoints


@dataclass(frozen=True)
class StageProfile:
    """The sizes and safety nets that differ between a throwaway stage and production."""

    removal_policy: RemovalPolicy
    log_retention: logs.RetentionDays
    database_min_capacity: float  # Aurora capacity units (no pausing at 0: RDS Proxy keeps the cluster awake)
    database_max_capacity: float
    database_readers: int
    database_backup_days: int
    deletion_protection: bool
    nat_gateways: int
    throttle_rate: int  # requests per second across the API stage
    throttle_burst: int
    api_memory_mb: int
    web_application_firewall: bool
    site_price_class: cloudfront.PriceClass  # where CloudFront serves the site from


STAGES = {
    "dev": StageProfile(
        removal_policy=RemovalPolicy.DESTROY,
        log_retention=logs.RetentionDays.ONE_WEEK,
        database_min_capacity=0.5,
        database_max_capacity=2,
        database_readers=0,
        database_backup_days=1,
        deletion_protection=False,
        nat_gateways=1,
        throttle_rate=50,
        throttle_burst=100,
        api_memory_mb=512,
        web_application_firewall=False,
        site_price_class=cloudfront.PriceClass.PRICE_CLASS_100,
    ),
    "prod": StageProfile(
        removal_policy=RemovalPolicy.RETAIN,
        log_retention=logs.RetentionDays.THREE_MONTHS,
        database_min_capacity=0.5,
        database_max_capacity=16,
        database_readers=1,
        database_backup_days=14,
        deletion_protection=True,
        nat_gateways=2,
        throttle_rate=500,
        throttle_burst=1000,
        api_memory_mb=1024,
        web_application_firewall=True,
        site_price_class=cloudfront.PriceClass.PRICE_CLASS_ALL,
    ),
}

# Function timeouts: an API function must answer before API Gateway's 29 s limit.
API_TIMEOUT = Duration.seconds(15)
# On LocalStack 1.4 in host mode every call is a cold start in a fork of LocalStack's busy process: up to API
# Gateway's own limit there.
LOCALSTACK_API_TIMEOUT = Duration.seconds(29)
CONSUMER_TIMEOUT = Duration.seconds(60)
JOB_TIMEOUT = Duration.minutes(5)
MAX_RECEIVE_COUNT = 3  # deliveries before an event goes to the dead-letter queue
AUTHORIZER_CACHE = Duration.seconds(30)  # a signed-out token is refused at most this long after logout
# Settings of the third parties that are not secret, from the CDK context when given (`-c twilioFrom=+1…`).
PLAIN_SETTINGS = {"TWILIO_ACCOUNT_SID": "twilioAccountSid", "TWILIO_FROM": "twilioFrom", "MAIL_FROM": "mailFrom"}
# A context's own numeric settings, from the CDK context when given (`-c moderationAutoHideReporters=5`), for that
# context's functions (layers/cryptotalks/posts/settings.py reads the moderation ones).
CONTEXT_SETTINGS = {
    "posts": {
        "MODERATION_AUTO_HIDE_REPORTERS": "moderationAutoHideReporters",
        "MODERATION_REPORTER_MIN_HOURS": "moderationReporterMinHours",
        "NEW_ACCOUNT_HOURS": "newAccountHours",
        "NEW_ACCOUNT_LINK_REPUTATION": "newAccountLinkReputation",
        "NEW_ACCOUNT_WRITES_PER_HOUR": "newAccountWritesPerHour",
    }
}
# CloudFront is global, but keeps its certificates (ACM), web ACLs (WAF) and metrics in this region.
CLOUDFRONT_REGION = "us-east-1"
DATABASE_NAME = "cryptotalks"
DATABASE_USER = "cryptotalks_admin"
# Python 3.12 runs on Amazon Linux 2023 (glibc 2.34); 3.11 runs on Amazon Linux 2 (glibc 2.26), where
# confluent-kafka's wheels (manylinux_2_28 only) would not load.
PYTHON_VERSION = "3.12"


@dataclass(frozen=True)
class LocalStackSettings:
    """Where LocalStack and what the functions reach there, from the CDK context (`-c localstackUrl=…`). The
    defaults are the compose file's (localstack/docker-compose.yml); `make localstack-smoke` gives its own
    (LocalStack 1.4 in host mode, the machine's PostgreSQL, a local mail sink)."""

    # LocalStack's edge URL as the functions and the API's callers reach it.
    url: str = "http://localhost.localstack.cloud:4566"
    database_url: str = "postgresql://cryptotalks:cryptotalks@postgres:5432/cryptotalks"
    # The Python the functions run on: host mode runs them on LocalStack's own interpreter, whatever the runtime.
    python_version: str = PYTHON_VERSION
    # SendGrid's API base URL (a local sink), when email should not go to SendGrid.
    sendgrid_host: str | None = None

    @classmethod
    def from_context(cls, context: Any) -> LocalStackSettings:
        given = {
            "url": context("localstackUrl"),
            "database_url": context("localstackDatabaseUrl"),
            "python_version": context("localstackPythonVersion"),
            "sendgrid_host": context("localstackSendgridHost"),
        }
        return cls(**{name: value for name, value in given.items() if value})


@dataclass(frozen=True)
class DeploySettings:
    stage: str
    bus: Bus
    target: Target
    # The site's own name (CloudFront's `*.cloudfront.net` one when unset) and its ACM certificate in us-east-1.
    domain_name: str | None
    certificate_arn: str | None
    # Another origin whose pages may call the API (CORS), e.g. a client under development. The site needs none:
    # CloudFront serves it and the API on one origin.
    web_origin: str | None
    public_base_url: str | None  # where the emails' links point; the site's URL when unset
    alarm_email: str | None
    # Changing it replaces every function's execution environments, which then read the secrets afresh
    # (the functions keep them for their lifetime): how a new JWT key takes effect at once.
    secrets_version: str | None
    plain_settings: dict[str, str]  # environment name → value, those of PLAIN_SETTINGS that were given
    context_settings: dict[str, dict[str, str]]  # context → environment name → value, of CONTEXT_SETTINGS given
    localstack: LocalStackSettings = LocalStackSettings()

    @property
    def profile(self) -> StageProfile:
        return STAGES[self.stage]

    @property
    def prefix(self) -> str:
        """The start of every physical name, so two stages can share an account."""
        return f"cryptotalks-{self.stage}"

    @property
    def on_localstack(self) -> bool:
        return self.target is Target.LOCALSTACK

    @property
    def known_public_base_url(self) -> str | None:
        """Where the emails' links point, when it is known before the distribution exists."""
        return self.public_base_url or (f"https://{self.domain_name}" if self.domain_name else None)

    @property
    def serves_site(self) -> bool:
        """LocalStack's community edition has no CloudFront: there the site is `cryptotalks dev`'s."""
        return not self.on_localstack

    @property
    def python_version(self) -> str:
        return self.localstack.python_version if self.on_localstack else PYTHON_VERSION

    @property
    def runtime(self) -> lambda_.Runtime:
        return lambda_.Runtime(f"python{self.python_version}", lambda_.RuntimeFamily.PYTHON)

    @property
    def architecture(self) -> lambda_.Architecture:
        """Graviton on AWS (a fifth cheaper per GB-second); on LocalStack the machine's own, which Docker runs
        without emulation."""
        if self.on_localstack and platform.machine() not in {"arm64", "aarch64"}:
            return lambda_.Architecture.X86_64
        return lambda_.Architecture.ARM_64

    @classmethod
    def from_context(cls, context: Any) -> DeploySettings:
        """`context` is `node.try_get_context`-like: a callable from key to value or None."""
        stage = context("stage") or "dev"
        if stage not in STAGES:
            raise ValueError(f"unknown stage {stage!r}: use -c stage={'|'.join(STAGES)}")
        bus = Bus(context("bus") or Bus.EVENTBRIDGE)
        target = Target(context("target") or Target.AWS)
        if target is Target.LOCALSTACK and bus is Bus.KAFKA:
            raise ValueError(
                "MSK is not part of LocalStack's community edition: deploy with -c bus=eventbridge, and use"
                " `cryptotalks dev --bus kafka` against the compose file's broker for Kafka"
            )
        domain_name, certificate_arn = context("domainName"), context("certificateArn")
        if bool(domain_name) != bool(certificate_arn):
            raise ValueError("-c domainName and -c certificateArn go together (an ACM certificate in us-east-1)")
        if certificate_arn and not certificate_arn.startswith(f"arn:aws:acm:{CLOUDFRONT_REGION}:"):
            raise ValueError(f"CloudFront takes certificates from ACM in {CLOUDFRONT_REGION} only")
        return cls(
            stage=stage,
            bus=bus,
            target=target,
            domain_name=domain_name,
            certificate_arn=certificate_arn,
            web_origin=context("webOrigin"),
            public_base_url=context("publicBaseUrl"),
            alarm_email=context("alarmEmail"),
            secrets_version=context("secretsVersion"),
            plain_settings={name: context(key) for name, key in PLAIN_SETTINGS.items() if context(key)},
            context_settings={
                owner: {name: _number(key, context(key)) for name, key in names.items() if context(key) is not None}
                for owner, names in CONTEXT_SETTINGS.items()
            },
            localstack=LocalStackSettings.from_context(context),
        )


def _number(key: str, value: Any) -> str:
    """A numeric setting as the functions' environment takes it; refused at synth rather than at the first request."""
    try:
        float(value)
    except (TypeError, ValueError):
        raise ValueError(f"-c {key} takes a number, not {value!r}") from None
    return str(value)
