"""One stage of Cryptotalks. The parent stack holds what everything shares (network, database, secrets, buckets,
backbone, layer), the site (CloudFront in front of the web client and the API) and the operations (dashboard,
alarms); the functions live in three nested stacks (API, consumers, jobs), because one function costs about five
CloudFormation resources and a stack holds 500. In prod the site's web ACL is in a stack of its own in us-east-1
(infra_cdk/firewall.py), whose ARN comes in as `edge_web_acl_arn`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_cdk import CfnOutput, NestedStack, Stack
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from infra_cdk import inventory
from infra_cdk.api import Api
from infra_cdk.bundling import function_code, layer_code, self_contained_code, web_client_files
from infra_cdk.consumers import Consumers
from infra_cdk.database import AuroraDatabase, DatabaseAccess, UrlDatabase
from infra_cdk.eventbridge import EventBridgeBackbone
from infra_cdk.firewall import OriginSecret
from infra_cdk.functions import Platform
from infra_cdk.jobs import Jobs
from infra_cdk.kafka import KafkaBackbone
from infra_cdk.network import Network
from infra_cdk.observability import Operations
from infra_cdk.secrets import AppSecrets
from infra_cdk.settings import Bus, DeploySettings
from infra_cdk.storage import Storage
from infra_cdk.web import WebSite

# What the LocalStack asset leaves out of the project's dependencies: the Kafka client (EventBridge is the only
# bus there) and pymongo (no DocumentDB there: the action log stays in PostgreSQL).
LOCALSTACK_LEAVES_OUT = ("confluent-kafka", "aws-msk-iam-sasl-signer-python", "pymongo")


class CryptotalksStack(Stack):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        settings: DeploySettings,
        edge_web_acl_arn: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            scope,
            construct_id,
            description=f"Cryptotalks ({settings.stage})",
            cross_region_references=edge_web_acl_arn is not None,
            **kwargs,
        )
        self.settings = settings
        network = None if settings.on_localstack else Network(self, "Network", settings)
        database: DatabaseAccess
        if network is None:
            database = UrlDatabase(self, "Database", settings, settings.localstack.database_url)
        else:
            database = AuroraDatabase(self, "Database", settings, network)
        backbone: EventBridgeBackbone | KafkaBackbone
        if settings.bus is Bus.KAFKA:
            assert network is not None  # settings refuse Kafka on LocalStack
            backbone = KafkaBackbone(self, "Kafka", settings, network, inventory.contexts())
        else:
            backbone = EventBridgeBackbone(self, "EventBridge", settings)
        layers, new_code = self._code(settings)
        storage = Storage(self, "Storage", settings)
        platform = Platform(
            settings=settings,
            layers=layers,
            new_code=new_code,
            database=database,
            secrets=AppSecrets(self, "Secrets", settings),
            storage=storage,
            events=backbone,
            network=network,
        )

        endpoints, authorizer = inventory.endpoints(), inventory.authorizer()
        origin_secret = OriginSecret(self, "EdgeOrigin", settings).value if edge_web_acl_arn else None
        api = Api(
            NestedStack(self, "Api"),
            "Api",
            platform,
            endpoints,
            authorizer,
            origin_secret=origin_secret,
        )
        site = (
            WebSite(
                self,
                "Site",
                settings,
                api.rest_api,
                storage,
                web_client_files(),
                origin_secret=origin_secret,
                web_acl_arn=edge_web_acl_arn,
            )
            if settings.serves_site
            else None
        )
        # The emails' links go to the site's pages (made by consumers, which may depend on the site).
        platform = platform.with_public_base_url(site.url if site else api.base_url)
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
            site.distribution.distribution_id if site else None,
        )
        if site:
            CfnOutput(self, "SiteUrl", value=site.url, description="The site, with the API under /api")
            CfnOutput(
                self,
                "SiteDomain",
                value=site.distribution.distribution_domain_name,
                description="CloudFront's name for the site: the target of -c domainName's DNS record",
            )
        CfnOutput(self, "ApiUrl", value=api.base_url, description="API Gateway's own URL (paths start with /api)")
        CfnOutput(self, "Dashboard", value=settings.prefix, description="CloudWatch dashboard")
        CfnOutput(self, "AlarmTopic", value=operations.topic.topic_arn, description="Subscribe to get alarms")
        for setting, secret in platform.secrets.by_setting.items():
            CfnOutput(self, f"Secret{secret.node.id}", value=secret.secret_name, description=f"Secret of {setting}")

    def _code(self, settings: DeploySettings) -> tuple[list[lambda_.ILayerVersion], Callable[[], lambda_.Code]]:
        """The shared layer and the functions' own code; on LocalStack (no layers there) code holding both."""
        architecture = settings.architecture
        if settings.on_localstack:
            return [], lambda: self_contained_code(architecture, settings.python_version, LOCALSTACK_LEAVES_OUT)
        layer = lambda_.LayerVersion(
            self,
            "Layer",
            layer_version_name=f"{settings.prefix}-shared",
            description="The cryptotalks package and its dependencies",
            code=layer_code(architecture),
            compatible_runtimes=[settings.runtime],
            compatible_architectures=[architecture],
        )
        return [layer], function_code

    def _nested(self, construct_id: str, database: DatabaseAccess) -> NestedStack:
        """A nested stack whose functions reach the database as soon as they exist (the migrations run there)."""
        nested = NestedStack(self, construct_id)
        nested.node.add_dependency(database.ready)
        return nested
