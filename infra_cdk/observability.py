"""The CloudWatch dashboard and alarms of a stage. Everything is addressed by physical name (functions, queues,
API, cluster), so this construct lives in the parent stack without references into the nested ones."""

from __future__ import annotations

from collections.abc import Iterable

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct

from cryptotalks.crypto.sync import SYNC_FAILED_METRIC
from cryptotalks.events.consumer import EVENTS_CONSUMED_METRIC
from cryptotalks.http.endpoint import UNHANDLED_ERRORS_METRIC
from functions.jobs import outbox_relay
from infra_cdk import nag
from infra_cdk.api import api_name
from infra_cdk.eventbridge import Subscribed
from infra_cdk.inventory import SYNC_JOB, FunctionSpec, Kind
from infra_cdk.settings import CLOUDFRONT_REGION, DeploySettings

NAMESPACE = "Cryptotalks"  # the functions' Powertools metrics
COIN_SYNC_FAILED = SYNC_FAILED_METRIC
API_5XX_RATE = 0.01  # share of requests
UNHANDLED_ERRORS = 1  # in five minutes: each is a bug, answered 500
OUTBOX_AGE_SECONDS = 300  # an event unsent this long after the relay's run: the bus refuses (commit-time sends
# fail too, or the relay would find nothing that old)
FIVE_MINUTES = Duration.minutes(5)
_WIDGET_METRICS = 50  # metrics per graph, so a graph stays readable as the functions grow
_WIDTH = 24


class Operations(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        settings: DeploySettings,
        functions: dict[str, list[FunctionSpec]],
        subscribed: list[Subscribed],
        database_cluster: str | None,
        distribution_id: str | None,
    ) -> None:
        super().__init__(scope, construct_id)
        self.settings = settings
        self.topic = sns.Topic(self, "Alarms", topic_name=f"{settings.prefix}-alarms", enforce_ssl=True)
        if settings.alarm_email:
            self.topic.add_subscription(subscriptions.EmailSubscription(settings.alarm_email))
        nag.acknowledge(
            self.topic,
            "AwsSolutions-SNS2",
            "Alarm notifications name an alarm and a state, nothing secret; and CloudWatch cannot publish to a"
            " topic encrypted with the AWS-managed key.",
        )
        everything = [spec for group in functions.values() for spec in group]
        sync_job = next((spec for spec in everything if spec.function_id == SYNC_JOB), None)
        relay_job = next((spec for spec in everything if spec.declaration is outbox_relay.job), None)
        self.api_contexts = sorted({spec.context for spec in everything if spec.kind is Kind.API})
        self.consumer_contexts = sorted({spec.context for spec in everything if spec.kind is Kind.CONSUMER})
        self.alarms = [
            self._api_errors_alarm(),
            self._unhandled_errors_alarm(),
            *([self._outbox_age_alarm(relay_job)] if relay_job else []),
            self._throttles_alarm(),
            *(self._dead_letters_alarm(s) for s in subscribed),
            *([self._coin_sync_alarm(sync_job)] if sync_job else []),
        ]
        for alarm in self.alarms:
            alarm.add_alarm_action(actions.SnsAction(self.topic))
            alarm.add_ok_action(actions.SnsAction(self.topic))
        self.dashboard = cloudwatch.Dashboard(self, "Dashboard", dashboard_name=settings.prefix)
        self.dashboard.add_widgets(*self._api_widgets())
        self.dashboard.add_widgets(*self._application_widgets(relay_job))
        if distribution_id:
            self.dashboard.add_widgets(*self._site_widgets(distribution_id))
        for title, group in functions.items():
            self.dashboard.add_widgets(*self._function_widgets(title, group))
        self.dashboard.add_widgets(*self._backbone_widgets(subscribed))
        if sync_job:
            self.dashboard.add_widgets(*self._coin_sync_widgets(sync_job))
        if database_cluster:
            self.dashboard.add_widgets(*self._database_widgets(database_cluster))
        self.dashboard.add_widgets(cloudwatch.AlarmStatusWidget(title="Alarms", alarms=self.alarms, width=_WIDTH))

    # Metrics

    def _api_metric(self, name: str, statistic: str, label: str | None = None) -> cloudwatch.Metric:
        return cloudwatch.Metric(
            namespace="AWS/ApiGateway",
            metric_name=name,
            dimensions_map={"ApiName": api_name(self.settings.prefix), "Stage": self.settings.stage},
            statistic=statistic,
            period=FIVE_MINUTES,
            label=label or f"{name} ({statistic})",
        )

    def _function_metric(self, spec: FunctionSpec, name: str, statistic: str, period: Duration) -> cloudwatch.Metric:
        return cloudwatch.Metric(
            namespace="AWS/Lambda",
            metric_name=name,
            dimensions_map={"FunctionName": spec.physical_name(self.settings.prefix)},
            statistic=statistic,
            period=period,
            label=spec.function_id,
        )

    @staticmethod
    def _app_metric(name: str, context: str, statistic: str, period: Duration, label: str) -> cloudwatch.Metric:
        """A metric the code emits through Powertools, which adds the `service` dimension (the function's
        context, POWERTOOLS_SERVICE_NAME)."""
        return cloudwatch.Metric(
            namespace=NAMESPACE,
            metric_name=name,
            dimensions_map={"service": context},
            statistic=statistic,
            period=period,
            label=label,
        )

    def _unhandled_errors(self) -> list[cloudwatch.Metric]:
        return [
            self._app_metric(UNHANDLED_ERRORS_METRIC, context, "Sum", FIVE_MINUTES, context)
            for context in self.api_contexts
        ]

    def _outbox_age(self, relay_job: FunctionSpec) -> cloudwatch.Metric:
        return self._app_metric(
            outbox_relay.AGE_METRIC, relay_job.context, "Maximum", Duration.minutes(1), "oldest unsent event (s)"
        )

    @staticmethod
    def _queue_metric(queue: str, name: str, label: str) -> cloudwatch.Metric:
        return cloudwatch.Metric(
            namespace="AWS/SQS",
            metric_name=name,
            dimensions_map={"QueueName": queue},
            statistic="Maximum",
            period=Duration.minutes(1),
            label=label,
        )

    # Alarms

    def _alarm(self, construct_id: str, description: str, **props: object) -> cloudwatch.Alarm:
        return cloudwatch.Alarm(
            self,
            construct_id,
            alarm_name=f"{self.settings.prefix}-{construct_id}",
            alarm_description=description,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            **props,  # type: ignore[arg-type]
        )

    def _api_errors_alarm(self) -> cloudwatch.Alarm:
        return self._alarm(
            "api-5xx-rate",
            f"More than {API_5XX_RATE:.0%} of API requests answered 5xx in 2 of the last 3 five-minute periods.",
            metric=self._api_metric("5XXError", "Average"),
            threshold=API_5XX_RATE,
            evaluation_periods=3,
            datapoints_to_alarm=2,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        )

    def _unhandled_errors_alarm(self) -> cloudwatch.Alarm:
        """Any context's: an alarm takes at most 10 metrics, far more than the contexts."""
        metrics = {f"m{i}": metric for i, metric in enumerate(self._unhandled_errors())}
        return self._alarm(
            "unhandled-errors",
            f"An endpoint met an error no handler expected ({UNHANDLED_ERRORS_METRIC}, answered 500) in the last five"
            " minutes: its log line 'unhandled error' has the stack trace.",
            metric=cloudwatch.MathExpression(
                expression=" + ".join(f"FILL({name}, 0)" for name in metrics),
                using_metrics=metrics,
                period=FIVE_MINUTES,
                label="unhandled errors",
            ),
            threshold=UNHANDLED_ERRORS,
            evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        )

    def _outbox_age_alarm(self, relay_job: FunctionSpec) -> cloudwatch.Alarm:
        return self._alarm(
            "outbox-age",
            f"An event has waited more than {OUTBOX_AGE_SECONDS} s in the outbox after the relay's last three runs"
            f" ({outbox_relay.AGE_METRIC}): the bus refuses events; they are kept and sent once it takes them.",
            metric=self._outbox_age(relay_job),
            threshold=OUTBOX_AGE_SECONDS,
            evaluation_periods=3,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        )

    def _throttles_alarm(self) -> cloudwatch.Alarm:
        return self._alarm(
            "lambda-throttles",
            "Lambda throttled invocations in this account and region (the stage's functions share its concurrency).",
            metric=cloudwatch.Metric(
                namespace="AWS/Lambda", metric_name="Throttles", statistic="Sum", period=FIVE_MINUTES
            ),
            threshold=1,
            evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        )

    def _dead_letters_alarm(self, subscribed: Subscribed) -> cloudwatch.Alarm:
        return self._alarm(
            f"{subscribed.spec.function_id}-dead-letters",
            f"Events {subscribed.spec.function_id} failed to process 3 times wait in {subscribed.dead_letter_queue}"
            " (see infra_cdk/README.md: replaying dead letters).",
            metric=self._queue_metric(subscribed.dead_letter_queue, "ApproximateNumberOfMessagesVisible", "dead"),
            threshold=0,
            evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        )

    def _coin_sync_alarm(self, sync_job: FunctionSpec) -> cloudwatch.Alarm:
        return self._alarm(
            "coin-sync-failed",
            "The hourly coin sync failed (its CoinSyncFailures metric, or the function itself); coin data is stale.",
            metric=cloudwatch.MathExpression(
                expression="FILL(failed, 0) + FILL(crashed, 0)",
                using_metrics={
                    "failed": self._coin_sync_failed(sync_job),
                    "crashed": self._function_metric(sync_job, "Errors", "Sum", Duration.hours(1)),
                },
                period=Duration.hours(1),
                label="failed syncs",
            ),
            threshold=1,
            evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        )

    @staticmethod
    def _coin_sync_failed(sync_job: FunctionSpec) -> cloudwatch.Metric:
        # Powertools adds the `service` dimension (POWERTOOLS_SERVICE_NAME, the job's context).
        return cloudwatch.Metric(
            namespace=NAMESPACE,
            metric_name=COIN_SYNC_FAILED,
            dimensions_map={"service": sync_job.context},
            statistic="Sum",
            period=Duration.hours(1),
            label=COIN_SYNC_FAILED,
        )

    # Widgets

    def _api_widgets(self) -> list[cloudwatch.IWidget]:
        return [
            cloudwatch.TextWidget(markdown=f"# Cryptotalks {self.settings.stage}", width=_WIDTH, height=1),
            cloudwatch.GraphWidget(title="API requests", left=[self._api_metric("Count", "Sum", "requests")], width=8),
            cloudwatch.GraphWidget(
                title="API latency (ms)",
                left=[self._api_metric("Latency", p) for p in ("p50", "p90", "p99")]
                + [self._api_metric("IntegrationLatency", "p90")],
                width=8,
            ),
            cloudwatch.GraphWidget(
                title="API errors",
                left=[self._api_metric("4XXError", "Sum"), self._api_metric("5XXError", "Sum")],
                right=[self._api_metric("5XXError", "Average", "5xx rate")],
                width=8,
            ),
        ]

    def _application_widgets(self, relay_job: FunctionSpec | None) -> list[cloudwatch.IWidget]:
        """What the code itself counts (namespace Cryptotalks), by context."""
        consumed = [
            self._app_metric(EVENTS_CONSUMED_METRIC, context, "Sum", FIVE_MINUTES, context)
            for context in self.consumer_contexts
        ]
        widgets: list[cloudwatch.IWidget] = [
            cloudwatch.GraphWidget(
                title=f"API: unhandled errors ({UNHANDLED_ERRORS_METRIC})",
                left=self._unhandled_errors(),
                stacked=True,
                width=8 if relay_job else 12,
            ),
            cloudwatch.GraphWidget(
                title=f"Events consumed ({EVENTS_CONSUMED_METRIC})",
                left=consumed,
                stacked=True,
                width=8 if relay_job else 12,
            ),
        ]
        if relay_job:
            relayed = self._app_metric(
                outbox_relay.RELAYED_METRIC, relay_job.context, "Sum", FIVE_MINUTES, "relayed events"
            )
            widgets.append(
                cloudwatch.GraphWidget(
                    title=f"Outbox: relayed events ({outbox_relay.RELAYED_METRIC}), oldest unsent (s)",
                    left=[relayed],
                    right=[self._outbox_age(relay_job)],
                    width=8,
                )
            )
        return widgets

    @staticmethod
    def _site_widgets(distribution_id: str) -> list[cloudwatch.IWidget]:
        def metric(name: str, statistic: str) -> cloudwatch.Metric:
            # CloudFront publishes its metrics in us-east-1, with the region `Global`.
            return cloudwatch.Metric(
                namespace="AWS/CloudFront",
                metric_name=name,
                dimensions_map={"DistributionId": distribution_id, "Region": "Global"},
                statistic=statistic,
                period=FIVE_MINUTES,
                region=CLOUDFRONT_REGION,
            )

        return [
            cloudwatch.GraphWidget(title="Site requests", left=[metric("Requests", "Sum")], width=12),
            cloudwatch.GraphWidget(
                title="Site error rates (%)",
                left=[metric("4xxErrorRate", "Average"), metric("5xxErrorRate", "Average")],
                width=12,
            ),
        ]

    def _function_widgets(self, title: str, specs: list[FunctionSpec]) -> list[cloudwatch.IWidget]:
        widgets: list[cloudwatch.IWidget] = []
        for part, group in enumerate(_chunks(specs, _WIDGET_METRICS), start=1):
            suffix = f" ({part})" if len(specs) > _WIDGET_METRICS else ""
            widgets += [
                cloudwatch.GraphWidget(
                    title=f"{title}: errors{suffix}",
                    left=[self._function_metric(s, "Errors", "Sum", FIVE_MINUTES) for s in group],
                    stacked=True,
                    width=12,
                ),
                cloudwatch.GraphWidget(
                    title=f"{title}: duration p90 (ms){suffix}",
                    left=[self._function_metric(s, "Duration", "p90", FIVE_MINUTES) for s in group],
                    width=12,
                ),
            ]
        return widgets

    def _backbone_widgets(self, subscribed: list[Subscribed]) -> list[cloudwatch.IWidget]:
        waiting = [
            self._queue_metric(s.queue, "ApproximateAgeOfOldestMessage", s.spec.function_id)
            if s.queue
            else self._function_metric(s.spec, "OffsetLag", "Maximum", Duration.minutes(1))
            for s in subscribed
        ]
        dead = [
            self._queue_metric(s.dead_letter_queue, "ApproximateNumberOfMessagesVisible", s.spec.function_id)
            for s in subscribed
        ]
        on_kafka = any(s.queue is None for s in subscribed)
        return [
            cloudwatch.GraphWidget(
                title="Consumers: Kafka offset lag (records)" if on_kafka else "Consumers: oldest event waiting (s)",
                left=waiting,
                width=12,
            ),
            cloudwatch.GraphWidget(title="Dead letters waiting", left=dead, stacked=True, width=12),
        ]

    def _coin_sync_widgets(self, sync_job: FunctionSpec) -> list[cloudwatch.IWidget]:
        return [
            cloudwatch.GraphWidget(
                title="Coin sync outcome (per hour)",
                left=[
                    self._function_metric(sync_job, "Invocations", "Sum", Duration.hours(1)),
                    self._function_metric(sync_job, "Errors", "Sum", Duration.hours(1)),
                    self._coin_sync_failed(sync_job),
                ],
                width=12,
            ),
            cloudwatch.GraphWidget(
                title="Coin sync duration (ms)",
                left=[self._function_metric(sync_job, "Duration", "Maximum", Duration.hours(1))],
                width=12,
            ),
        ]

    def _database_widgets(self, cluster: str) -> list[cloudwatch.IWidget]:
        def metric(name: str) -> cloudwatch.Metric:
            return cloudwatch.Metric(
                namespace="AWS/RDS",
                metric_name=name,
                dimensions_map={"DBClusterIdentifier": cluster},
                statistic="Maximum",
                period=FIVE_MINUTES,
            )

        return [
            cloudwatch.GraphWidget(
                title="Database capacity (ACU)", left=[metric("ServerlessDatabaseCapacity")], width=12
            ),
            cloudwatch.GraphWidget(title="Database connections", left=[metric("DatabaseConnections")], width=12),
        ]


def _chunks(items: list[FunctionSpec], size: int) -> Iterable[list[FunctionSpec]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
