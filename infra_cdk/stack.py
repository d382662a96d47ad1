"""One stage of Cryptotalks. The parent stack holds what everything shares (network, database, secrets, bucket,
backbone, layer) and the operations (dashboard, alarms); the functions live in three nested stacks (API,
consumers, jobs), because one function costs about five CloudFormation resources and a stack holds 500."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_cdk import CfnOutput, NestedStack, Stack
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from infra_cdk import inventory
from infra_cdk.api import Api
from infra_cdk.bundling import RUNTIME, function_code, layer_code, self_contained_code
from infra_cdk.consumers import Consumers
from infra_cdk.database import LOCALSTACK_DATABASE_URL, AuroraDatabase, DatabaseAccess, UrlDatabase
from infra_cdk.eventbridge import EventBridgeBackbone
from infra_cdk.functions import Platform
from infra_cdk.jobs import Jobs
from infra_cdk.kafka import KafkaBackbone
from infra_cdk.network import Network
from infra_cdk.observability import Operations
from infra_cdk.secrets import AppSecrets
from infra_cdk.settings import Bus, DeploySettings
from infra_cdk.storage import Storage


class CryptotalksStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, settings: DeploySettings, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, description=f"Cryptotalks ({settings.stage})", **kwargs)
        self.settings = settings
        network = None if settings.on_localstack else Network(self, "Network", settings)
        database: DatabaseAccess
        if network is None:
            database = UrlDatabase(self, "Database", settings, LOCALSTACK_DATABASE_URL)
        else:
            database = AuroraDatabase(self, "Database", settings, network)
        backbone: EventBridgeBackbone | KafkaBackbone
        if settings.bus is Bus.KAFKA:
            assert network is not None  # settings refuse Kafka on LocalStack
            backbone = KafkaBackbone(self, "Kafka", settings, network, inventory.contexts())
        else:
            backbone = EventBridgeBackbone(self, "EventBridge", settings)
        layers, new_code = self._code(settings)
        platform = Platform(
            settings=settings,
            layers=layers,
            new_code=new_code,
            database=database,
            secrets=AppSecrets(self, "Secrets", settings),
            storage=Storage(self, "Storage", settings),
            events=backbone,
            network=network,
        )

        endpoints, authorizer = inventory.endpoints(), inventory.authorizer()
        api = Api(NestedStack(self, "Api"), "Api", platform, endpoints, authorizer)
        platform = platform.with_public_base_url(api.base_url)
        consumers = Consumers(
            self._nested("Consumers", database), "Consumers", platform, backbone, inventory.consumers()
        )
        jobs = inventory.jobs()
        Jobs(self._nested("Jobs", database), "Jobs", platform, jobs)

        operations = Operations(
            self,
            "Operations",
            settings,
            {"API functions": [*endpoints, authorizer], "Consumers": inventory.consumers(), "Jobs": jobs},
            consumers.subscribed,
            database.cluster_identifier if isinstance(database, AuroraDatabase) else None,
        )
        CfnOutput(self, "ApiUrl", value=api.base_url, description="Base URL of the API (paths start with /api)")
        CfnOutput(self, "Dashboard", value=settings.prefix, description="CloudWatch dashboard")
        CfnOutput(self, "AlarmTopic", value=operations.topic.topic_arn, description="Subscribe to get alarms")
        for setting, secret in platform.secrets.by_setting.items():
            CfnOutput(self, f"Secret{secret.node.id}", value=secret.secret_name, description=f"Secret of {setting}")

    def _code(self, settings: DeploySettings) -> tuple[list[lambda_.ILayerVersion], Callable[[], lambda_.Code]]:
        """The shared layer and the functions' own code; on LocalStack (no layers there) code holding both."""
        architecture = settings.architecture
        if settings.on_localstack:
            return [], lambda: self_contained_code(architecture)
        layer = lambda_.LayerVersion(
            self,
            "Layer",
            layer_version_name=f"{settings.prefix}-shared",
            description="The cryptotalks package and its dependencies",
            code=layer_code(architecture),
            compatible_runtimes=[RUNTIME],
            compatible_architectures=[architecture],
        )
        return [layer], function_code

    def _nested(self, construct_id: str, database: DatabaseAccess) -> NestedStack:
        """A nested stack whose functions reach the database as soon as they exist (the migrations run there)."""
        nested = NestedStack(self, construct_id)
        nested.node.add_dependency(database.ready)
        return nested
