"""The job functions: scheduled ones on an EventBridge schedule rule (their declared rate), and the migrations,
run on every deploy that changes them, before the deploy goes on."""

from __future__ import annotations

from aws_cdk import Duration, Stack, triggers
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from infra_cdk import nag
from infra_cdk.functions import Platform, deploy_function
from infra_cdk.inventory import FunctionSpec
from infra_cdk.settings import JOB_TIMEOUT

JOB_MEMORY_MB = 1024
MIGRATIONS = "jobs-migrate"
_TRIGGER_PROVIDER = "AWSCDK.TriggerCustomResourceProvider"  # CDK's singleton that invokes triggers


class Jobs(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        platform: Platform,
        specs: list[FunctionSpec],
    ) -> None:
        super().__init__(scope, construct_id)
        settings = platform.settings
        for spec in specs:
            function = deploy_function(self, spec, platform, memory_mb=JOB_MEMORY_MB, timeout=JOB_TIMEOUT)
            if spec.job.schedule is not None:
                events.Rule(
                    self,
                    f"{spec.function_id}-schedule",
                    rule_name=spec.physical_name(settings.prefix),
                    description=spec.summary[:512],
                    schedule=events.Schedule.expression(spec.job.schedule),
                    targets=[targets.LambdaFunction(function, retry_attempts=2, max_event_age=Duration.hours(1))],
                )
            elif spec.function_id == MIGRATIONS:
                self._migrate_on_deploy(function)

    def _migrate_on_deploy(self, function: lambda_.Function) -> None:
        # Runs again whenever the function's version changes, which includes a new layer (where the SQL files
        # are); a failure fails the deploy. The database is ready first: this construct's stack depends on it.
        triggers.Trigger(
            self,
            "RunMigrations",
            handler=function,
            execute_on_handler_change=True,
            timeout=JOB_TIMEOUT,
        )
        stack = Stack.of(self)
        for provider in (c for c in stack.node.children if c.node.id.startswith(_TRIGGER_PROVIDER)):
            nag.acknowledge(
                provider,
                "AwsSolutions-IAM4",
                "CDK's trigger provider (it invokes the migrations function during the deploy) writes its logs"
                " with AWS's basic execution policy.",
                nag.LAMBDA_BASIC_ROLE,
            )
