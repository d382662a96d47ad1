"""One Lambda function per declaration, each with its own role that holds only what its declaration says it
uses (`uses=`, cryptotalks.uses) besides the database, the event bus and the signing key."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Protocol

from aws_cdk import Duration, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from cryptotalks.uses import Uses
from infra_cdk import nag, secrets
from infra_cdk.database import DatabaseAccess
from infra_cdk.inventory import FunctionSpec
from infra_cdk.network import Network
from infra_cdk.secrets import AppSecrets
from infra_cdk.settings import DeploySettings
from infra_cdk.storage import Storage

# `cryptotalks.config.settings()` reads the signing key in every function, whatever it does.
SECRETS_OF_EVERY_FUNCTION = [secrets.JWT_SECRET]
# The secret each third party's declared use is granted (cryptotalks.uses); the avatars bucket is Storage's.
SECRET_OF_USE = {
    Uses.SENDGRID: secrets.SENDGRID_API_KEY,
    Uses.TWILIO: secrets.TWILIO_AUTH_TOKEN,
    Uses.COINRANKING: secrets.COINRANKING_API_KEY,
}
# The plain settings that go with a secret (settings.PLAIN_SETTINGS, given in the CDK context).
PLAIN_SETTINGS_OF_SECRET = {
    secrets.TWILIO_AUTH_TOKEN: ["TWILIO_ACCOUNT_SID", "TWILIO_FROM"],
    secrets.SENDGRID_API_KEY: ["MAIL_FROM"],
}
# Third parties LocalStack's functions do without: the coin sync loads its bundled snapshot (no network there).
OFFLINE_ON_LOCALSTACK = {secrets.COINRANKING_API_KEY}
_VPC_ACCESS_POLICY = "service-role/AWSLambdaVPCAccessExecutionRole"


class EventsAccess(Protocol):
    def grant_publish(self, role: iam.IRole) -> dict[str, str]:
        """Lets `role` publish events; returns the environment the publisher reads."""
        ...


@dataclass(frozen=True)
class Platform:
    """What the functions are wired to."""

    settings: DeploySettings
    layers: list[lambda_.ILayerVersion]
    new_code: Callable[[], lambda_.Code]  # CDK takes one Code per stack; the zip is uploaded once
    database: DatabaseAccess
    secrets: AppSecrets
    storage: Storage
    events: EventsAccess
    network: Network | None  # None on LocalStack: the functions run outside a VPC
    public_base_url: str = ""
    _code_by_stack: dict[str, lambda_.Code] = field(default_factory=dict)

    def code_for(self, scope: Construct) -> lambda_.Code:
        stack = Stack.of(scope).node.path
        if stack not in self._code_by_stack:
            self._code_by_stack[stack] = self.new_code()
        return self._code_by_stack[stack]

    def with_public_base_url(self, url: str) -> Platform:
        return replace(self, public_base_url=self.settings.known_public_base_url or url)


def deploy_function(
    scope: Construct, spec: FunctionSpec, platform: Platform, *, memory_mb: int, timeout: Duration
) -> lambda_.Function:
    settings = platform.settings
    name = spec.physical_name(settings.prefix)
    role = iam.Role(
        scope,
        f"{spec.function_id}-role",
        assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
        description=f"Runs {name}: {spec.summary}"[:1000],
    )
    log_group = logs.LogGroup(
        scope,
        f"{spec.function_id}-logs",
        log_group_name=f"/aws/lambda/{name}",
        retention=settings.profile.log_retention,
        removal_policy=settings.profile.removal_policy,
    )
    log_group.grant_write(role)
    used_secrets = [
        SECRET_OF_USE[use]
        for use in spec.uses
        if use in SECRET_OF_USE and not (settings.on_localstack and SECRET_OF_USE[use] in OFFLINE_ON_LOCALSTACK)
    ]
    environment = {
        "POWERTOOLS_SERVICE_NAME": spec.context,
        "POWERTOOLS_METRICS_NAMESPACE": "Cryptotalks",
        "POWERTOOLS_LOG_LEVEL": "INFO",
        # Responses carry access tokens (sign-in, refresh): keep them out of the traces.
        "POWERTOOLS_TRACER_CAPTURE_RESPONSE": "false",
        "PUBLIC_BASE_URL": platform.public_base_url,
        # CORS of the API's answers (cryptotalks.http.endpoint), for a client on another origin than the site.
        **({"WEB_ORIGIN": settings.web_origin} if settings.web_origin else {}),
        **platform.database.grant_connect(role),
        **platform.secrets.grant(SECRETS_OF_EVERY_FUNCTION + used_secrets, role),
        **{
            setting: settings.plain_settings[setting]
            for secret in used_secrets
            for setting in PLAIN_SETTINGS_OF_SECRET.get(secret, [])
            if setting in settings.plain_settings
        },
        **settings.context_settings.get(spec.context, {}),
        **platform.events.grant_publish(role),
    }
    if settings.secrets_version:
        environment["SECRETS_VERSION"] = settings.secrets_version
    if settings.on_localstack:
        environment.update(_localstack_environment(settings, sends_email=secrets.SENDGRID_API_KEY in used_secrets))
    if Uses.AVATARS_BUCKET in spec.uses:
        environment.update(platform.storage.grant_avatars(role))
    network = platform.network
    if network is not None:
        role.add_managed_policy(iam.ManagedPolicy.from_aws_managed_policy_name(_VPC_ACCESS_POLICY))
        nag.acknowledge(
            role,
            "AwsSolutions-IAM4",
            "AWS's policy for the network interfaces of a function in a VPC: its EC2 actions take no resource"
            " narrower than `*`, so a policy of ours could not be tighter.",
            nag.LAMBDA_VPC_ROLE,
        )
    function = lambda_.Function(
        scope,
        spec.function_id,
        function_name=name,
        description=spec.summary[:256],
        runtime=settings.runtime,
        architecture=settings.architecture,
        handler=spec.handler,
        code=platform.code_for(scope),
        layers=platform.layers,
        role=role,
        memory_size=memory_mb,
        timeout=timeout,
        environment=environment,
        tracing=lambda_.Tracing.ACTIVE,
        log_group=log_group,
        vpc=network.vpc if network else None,
        vpc_subnets=network.private_subnets if network else None,
        security_groups=[network.functions] if network else None,
    )
    nag.acknowledge(
        role,
        "AwsSolutions-IAM5",
        "X-Ray's PutTraceSegments and PutTelemetryRecords accept no resource but `*`.",
        "Resource::*",
    )
    nag.acknowledge(
        function,
        "AwsSolutions-L1",
        f"{settings.runtime.name} is the oldest runtime on Amazon Linux 2023, whose glibc the Kafka client's wheels"
        " need, and the closest to the 3.11 the tests run on; a newer one means building the layer and testing for it.",
    )
    return function


def _localstack_environment(settings: DeploySettings, *, sends_email: bool) -> dict[str, str]:
    """Where LocalStack is, for the functions' AWS clients (cryptotalks.config.aws_client: an older botocore,
    such as the one LocalStack 1.4 runs handlers with, ignores `AWS_ENDPOINT_URL` by itself), and the local
    stand-in for SendGrid when one is given."""
    localstack = settings.localstack
    environment = {"AWS_ENDPOINT_URL": localstack.url}
    if localstack.sendgrid_host and sends_email:
        environment["SENDGRID_HOST"] = localstack.sendgrid_host
    return environment
