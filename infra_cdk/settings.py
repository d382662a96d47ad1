"""What to deploy where, read from the CDK context: `-c stage=dev|prod`, `-c bus=eventbridge|kafka`,
`-c target=aws|localstack`, plus optional values (`webOrigin`, `alarmEmail`, `publicBaseUrl`, `secretsVersion`,
and the third parties' plain settings `twilioAccountSid`, `twilioFrom`, `mailFrom`)."""

from __future__ import annotations

import platform
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from aws_cdk import Duration, RemovalPolicy
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
    ),
}

# Function timeouts: an API function must answer before API Gateway's 29 s limit.
API_TIMEOUT = Duration.seconds(15)
CONSUMER_TIMEOUT = Duration.seconds(60)
JOB_TIMEOUT = Duration.minutes(5)
MAX_RECEIVE_COUNT = 3  # deliveries before an event goes to the dead-letter queue
AUTHORIZER_CACHE = Duration.seconds(30)  # a signed-out token is refused at most this long after logout
# Settings of the third parties that are not secret, from the CDK context when given (`-c twilioFrom=+1…`).
PLAIN_SETTINGS = {"TWILIO_ACCOUNT_SID": "twilioAccountSid", "TWILIO_FROM": "twilioFrom", "MAIL_FROM": "mailFrom"}
DATABASE_NAME = "cryptotalks"
DATABASE_USER = "cryptotalks_admin"


@dataclass(frozen=True)
class DeploySettings:
    stage: str
    bus: Bus
    target: Target
    web_origin: str
    public_base_url: str | None  # where the confirmation links point; the API's own URL when unset
    alarm_email: str | None
    # Changing it replaces every function's execution environments, which then read the secrets afresh
    # (the functions keep them for their lifetime): how a new JWT key takes effect at once.
    secrets_version: str | None
    plain_settings: dict[str, str]  # environment name → value, those of PLAIN_SETTINGS that were given

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
        return cls(
            stage=stage,
            bus=bus,
            target=target,
            web_origin=context("webOrigin") or "http://localhost:5173",
            public_base_url=context("publicBaseUrl"),
            alarm_email=context("alarmEmail"),
            secrets_version=context("secretsVersion"),
            plain_settings={name: context(key) for name, key in PLAIN_SETTINGS.items() if context(key)},
        )
