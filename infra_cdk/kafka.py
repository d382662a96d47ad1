"""The Kafka backbone (`-c bus=kafka`): MSK Serverless with IAM authentication, one topic per context
(`cryptotalks.<context>`, events go to their publisher's topic), and per consumer an event source mapping on
each topic that carries its event types (their publishers', read from the code: `topics_carrying`), filtered to
those types. Records that still fail go to the consumer's SQS dead-letter queue."""

from __future__ import annotations

from pathlib import Path

from aws_cdk import CustomResource, Duration
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_logs as logs
from aws_cdk import aws_msk as msk
from constructs import Construct

from cryptotalks.events.kafka import TOPIC_PREFIX, topic_of
from cryptotalks_dev.event_catalogue import topics_carrying
from infra_cdk import nag
from infra_cdk.bundling import RUNTIME, LocalPipBundling
from infra_cdk.eventbridge import Subscribed, dead_letter_queue, dead_letter_queue_name
from infra_cdk.inventory import FunctionSpec
from infra_cdk.network import Network
from infra_cdk.settings import MAX_RECEIVE_COUNT, DeploySettings

IAM_PORT = 9098  # brokers' SASL/IAM listener
PARTITIONS = 6
BATCH_SIZE = 100
MAX_POLLERS = 10
MAPPINGS_PER_POLLER_GROUP = 100  # Lambda's limit
# The topics' custom resource: kafka-python speaks MSK's IAM auth through the runtime's botocore.
KAFKA_PYTHON = "kafka-python>=2.1,<3"
TOPICS_HANDLER = Path(__file__).parent / "kafka_topics" / "handler.py"
TOPICS_REASON = "Topic ARNs end in the topic name: `cryptotalks.*` is the project's topics on this cluster."


class KafkaBackbone(Construct):
    def __init__(
        self, scope: Construct, construct_id: str, settings: DeploySettings, network: Network, contexts: list[str]
    ) -> None:
        super().__init__(scope, construct_id)
        self.settings = settings
        self.network = network
        self.topics = [topic_of(context) for context in contexts]
        self.brokers = ec2.SecurityGroup(
            self, "Brokers", vpc=network.vpc, description="MSK Serverless brokers (IAM listener)"
        )
        # Lambda's Kafka pollers connect from network interfaces in the cluster's own security group.
        self.brokers.add_ingress_rule(self.brokers, ec2.Port.tcp(IAM_PORT), "Lambda event pollers")
        self.brokers.connections.allow_from(network.functions, ec2.Port.tcp(IAM_PORT), "Functions produce")
        self.cluster = msk.CfnServerlessCluster(
            self,
            "Cluster",
            cluster_name=settings.prefix,
            client_authentication=msk.CfnServerlessCluster.ClientAuthenticationProperty(
                sasl=msk.CfnServerlessCluster.SaslProperty(iam=msk.CfnServerlessCluster.IamProperty(enabled=True))
            ),
            vpc_configs=[
                msk.CfnServerlessCluster.VpcConfigProperty(
                    subnet_ids=network.vpc.select_subnets(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS).subnet_ids,
                    security_groups=[self.brokers.security_group_id],
                )
            ],
        )
        self.cluster_arn = self.cluster.attr_arn
        self._mappings = 0
        # Lambda sends a Kafka mapping's failures to SQS from the cluster's network, through an endpoint there.
        sqs_endpoint = network.vpc.add_interface_endpoint(
            "Sqs",
            service=ec2.InterfaceVpcEndpointAwsService.SQS,
            subnets=network.private_subnets,
            private_dns_enabled=True,
            open=False,
        )
        sqs_endpoint.connections.allow_default_port_from(self.brokers, "Lambda's Kafka pollers dead-letter")
        self.bootstrap_servers = self._topics_resource().get_att_string("BootstrapServers")

    def _arn(self, kind: str, name: str) -> tuple[str, str]:
        """The ARN of this cluster's topics or consumer groups called `name` (a pattern), and how cdk-nag spells
        it. The cluster's uuid is a wildcard: its name is unique in the account and region."""
        return nag.arn(f"arn:{{partition}}:kafka:{{region}}:{{account}}:{kind}/{self.settings.prefix}/*/{name}")

    def _allow(self, role: iam.IRole, kind: str, name: str, actions: list[str], reason: str) -> None:
        """`actions` on the topics or groups matching `name`, with the acknowledgement of their wildcard."""
        resource, spelled = self._arn(kind, name)
        role.add_to_principal_policy(iam.PolicyStatement(actions=actions, resources=[resource]))
        nag.acknowledge(role, "AwsSolutions-IAM5", reason, f"Resource::{spelled}")

    def _topics_resource(self) -> CustomResource:
        name = f"{self.settings.prefix}-kafka-topics"
        role = iam.Role(self, "TopicsRole", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
        log_group = logs.LogGroup(
            self,
            "TopicsLogs",
            log_group_name=f"/aws/lambda/{name}",
            retention=self.settings.profile.log_retention,
            removal_policy=self.settings.profile.removal_policy,
        )
        log_group.grant_write(role)
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["kafka:GetBootstrapBrokers", "kafka-cluster:Connect"], resources=[self.cluster_arn]
            )
        )
        self._allow(
            role,
            "topic",
            f"{TOPIC_PREFIX}*",
            ["kafka-cluster:CreateTopic", "kafka-cluster:DescribeTopic"],
            TOPICS_REASON,
        )
        self._allow_network_interfaces(role)
        handler = lambda_.Function(
            self,
            "Topics",
            function_name=name,
            description="Creates the Kafka topics and answers the bootstrap servers",
            runtime=RUNTIME,
            architecture=self.settings.architecture,
            handler="handler.handler",
            code=LocalPipBundling(
                [KAFKA_PYTHON], ".", TOPICS_HANDLER.parent, {"handler.py": "handler.py"}, self.settings.architecture
            ).code(exclude=[]),
            role=role,
            timeout=Duration.minutes(5),
            log_group=log_group,
            vpc=self.network.vpc,
            vpc_subnets=self.network.private_subnets,
            security_groups=[self.network.functions],
        )
        nag.acknowledge(
            handler,
            "AwsSolutions-L1",
            f"{RUNTIME.name}, as every function of the project (see the functions' acknowledgement).",
        )
        return CustomResource(
            self,
            "TopicsResource",
            service_token=handler.function_arn,
            resource_type="Custom::KafkaTopics",
            properties={"ClusterArn": self.cluster_arn, "Topics": self.topics, "Partitions": str(PARTITIONS)},
        )

    def _allow_network_interfaces(self, role: iam.Role) -> None:
        role.add_managed_policy(
            iam.ManagedPolicy.from_aws_managed_policy_name("service-role/AWSLambdaVPCAccessExecutionRole")
        )
        nag.acknowledge(
            role,
            "AwsSolutions-IAM4",
            "AWS's policy for the network interfaces of a function in a VPC: its EC2 actions take no resource"
            " narrower than `*`.",
            nag.LAMBDA_VPC_ROLE,
        )

    def _poller_group(self) -> str:
        """Mappings share provisioned pollers (and their cost) by group, at most 100 mappings to a group."""
        group = f"{self.settings.prefix}-{self._mappings // MAPPINGS_PER_POLLER_GROUP + 1}"
        self._mappings += 1
        return group

    def grant_publish(self, role: iam.IRole) -> dict[str, str]:
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["kafka-cluster:Connect", "kafka-cluster:WriteDataIdempotently"],
                resources=[self.cluster_arn],
            )
        )
        self._allow(
            role, "topic", f"{TOPIC_PREFIX}*", ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"], TOPICS_REASON
        )
        # cryptotalks.events.kafka: IAM tokens signed with the function's role, over SASL/OAUTHBEARER.
        return {"EVENT_BUS": "kafka", "KAFKA_BOOTSTRAP_SERVERS": self.bootstrap_servers, "KAFKA_AUTH": "iam"}

    def subscribe(
        self, scope: Construct, spec: FunctionSpec, function: lambda_.Function, timeout: Duration
    ) -> Subscribed:
        name = spec.physical_name(self.settings.prefix)
        dead_letters = dead_letter_queue(scope, spec, self.settings)
        role = function.role
        assert role is not None
        # The event source mapping's own needs, written out: CDK's Kafka event source would attach AWS's
        # AWSLambdaMSKExecutionRole, which grants logs and Kafka actions on every resource.
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=[
                    "kafka:DescribeClusterV2",
                    "kafka:GetBootstrapBrokers",
                    "kafka-cluster:Connect",
                    "kafka-cluster:DescribeClusterDynamicConfiguration",
                ],
                resources=[self.cluster_arn],
            )
        )
        self._allow(
            role, "topic", f"{TOPIC_PREFIX}*", ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"], TOPICS_REASON
        )
        self._allow(
            role,
            "group",
            f"{name}.*",
            ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"],
            "The consumer groups of this function's event source mappings, one per topic: `<function>.<topic>`.",
        )
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["ec2:DescribeVpcs", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups"], resources=["*"]
            )
        )
        nag.acknowledge(
            role,
            "AwsSolutions-IAM5",
            "The event source mapping reads the cluster's network (VPC, subnets, security groups) before it creates"
            " its pollers; EC2's Describe actions take no resource but `*`.",
            "Resource::*",
        )
        nag.acknowledge(
            dead_letters,
            "AwsSolutions-SQS3",
            "This queue is the dead-letter queue: the on-failure destination of the consumer's Kafka event source"
            " mappings.",
        )
        # Each provisioned mapping costs its pollers whether or not an event comes: only the topics it needs.
        for topic in topics_carrying(spec.subscription.event_types):
            function.add_event_source_mapping(
                topic,
                event_source_arn=self.cluster_arn,
                kafka_topic=topic,
                kafka_consumer_group_id=f"{name}.{topic}",
                starting_position=lambda_.StartingPosition.TRIM_HORIZON,
                batch_size=BATCH_SIZE,
                filters=[
                    lambda_.FilterCriteria.filter(
                        {"value": {"type": lambda_.FilterRule.or_(*spec.subscription.event_types)}}
                    )
                ],
                # As on SQS: the consumer reports the records that failed, each is tried 3 times in all, then
                # dead-lettered. Kafka mappings take these settings in provisioned mode only.
                report_batch_item_failures=True,
                retry_attempts=MAX_RECEIVE_COUNT - 1,
                on_failure=sources.SqsDlq(dead_letters),
                provisioned_poller_config=lambda_.ProvisionedPollerConfig(
                    minimum_pollers=1, maximum_pollers=MAX_POLLERS, poller_group_name=self._poller_group()
                ),
            )
        return Subscribed(spec, name, dead_letter_queue_name(spec, self.settings), None)
