"""The EventBridge backbone: one bus; per subscription a rule → SQS queue (with its dead-letter queue) → the
consumer function, which reports partial batch failures so one bad event does not redeliver its batch."""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import Duration
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra_cdk.inventory import FunctionSpec
from infra_cdk.settings import MAX_RECEIVE_COUNT, DeploySettings

BATCH_SIZE = 10
MAX_CONCURRENCY = 5  # per consumer: keeps a burst of events from taking every database connection
DEAD_LETTER_RETENTION = Duration.days(14)


@dataclass(frozen=True)
class Subscribed:
    """What operations watch for one consumer."""

    spec: FunctionSpec
    function_name: str
    dead_letter_queue: str
    queue: str | None  # None on Kafka: records wait in the topic, not in a queue


def dead_letter_queue(scope: Construct, spec: FunctionSpec, settings: DeploySettings) -> sqs.Queue:
    return sqs.Queue(
        scope,
        f"{spec.function_id}-dead-letters",
        queue_name=dead_letter_queue_name(spec, settings),
        retention_period=DEAD_LETTER_RETENTION,
        encryption=sqs.QueueEncryption.SQS_MANAGED,
        enforce_ssl=True,
    )


def dead_letter_queue_name(spec: FunctionSpec, settings: DeploySettings) -> str:
    return f"{spec.physical_name(settings.prefix)}-dlq"


class EventBridgeBackbone(Construct):
    def __init__(self, scope: Construct, construct_id: str, settings: DeploySettings) -> None:
        super().__init__(scope, construct_id)
        self.settings = settings
        self.bus = events.EventBus(self, "Bus", event_bus_name=settings.prefix)

    def grant_publish(self, role: iam.IRole) -> dict[str, str]:
        self.bus.grant_put_events_to(role)
        return {"EVENT_BUS": "eventbridge", "EVENT_BUS_NAME": self.bus.event_bus_name}

    def subscribe(
        self, scope: Construct, spec: FunctionSpec, function: lambda_.Function, timeout: Duration
    ) -> Subscribed:
        name = spec.physical_name(self.settings.prefix)
        dead_letters = dead_letter_queue(scope, spec, self.settings)
        queue = sqs.Queue(
            scope,
            f"{spec.function_id}-queue",
            queue_name=name,
            # AWS's advice for a queue that feeds a function: six times the function's timeout.
            visibility_timeout=Duration.seconds(6 * timeout.to_seconds()),
            dead_letter_queue=sqs.DeadLetterQueue(max_receive_count=MAX_RECEIVE_COUNT, queue=dead_letters),
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
        )
        events.Rule(
            scope,
            f"{spec.function_id}-rule",
            rule_name=name,
            description=spec.summary[:512],
            event_bus=self.bus,
            event_pattern=events.EventPattern(detail_type=spec.subscription.event_types),
            targets=[targets.SqsQueue(queue)],
        )
        function.add_event_source(
            sources.SqsEventSource(
                queue,
                batch_size=BATCH_SIZE,
                report_batch_item_failures=True,
                max_concurrency=MAX_CONCURRENCY,
            )
        )
        # Plain names, not tokens: the dashboard and alarms live in the parent stack.
        return Subscribed(spec, name, dead_letter_queue_name(spec, self.settings), name)
