"""PostgreSQL for the functions.

On AWS: Aurora Serverless v2 in isolated subnets behind an RDS Proxy that requires TLS and IAM authentication.
A function holds no database password: its role may `rds-db:connect` as one user through the proxy, and it
signs a 15-minute token when it opens a connection (`DATABASE_IAM_URL`, see cryptotalks.db). The proxy reads
the cluster's generated secret, which Secrets Manager rotates.

On LocalStack (community edition, no RDS): a PostgreSQL the stack does not manage (`-c localstackDatabaseUrl`,
the compose file's by default), its URL kept in a secret.
"""

from __future__ import annotations

from typing import Protocol

from aws_cdk import Duration, SecretValue
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_rds as rds
from constructs import Construct, IDependable

from infra_cdk import nag
from infra_cdk.network import Network
from infra_cdk.secrets import stage_secret
from infra_cdk.settings import DATABASE_NAME, DATABASE_USER, DeploySettings

POSTGRES_PORT = 5432


class DatabaseAccess(Protocol):
    @property
    def ready(self) -> IDependable:
        """What must exist before a function can connect (migrations run after it)."""
        ...

    def grant_connect(self, role: iam.IRole) -> dict[str, str]:
        """Lets `role` connect; returns the environment that tells the function how."""
        ...


class AuroraDatabase(Construct):
    def __init__(self, scope: Construct, construct_id: str, settings: DeploySettings, network: Network) -> None:
        super().__init__(scope, construct_id)
        profile = settings.profile
        self.cluster_identifier = cluster_identifier = settings.prefix
        # Created here rather than by RDS, so that it has a retention (CDK's alternative is a custom resource).
        postgres_logs = logs.LogGroup(
            self,
            "PostgresLogs",
            log_group_name=f"/aws/rds/cluster/{cluster_identifier}/postgresql",
            retention=profile.log_retention,
            removal_policy=profile.removal_policy,
        )
        self.cluster = rds.DatabaseCluster(
            self,
            "Cluster",
            cluster_identifier=cluster_identifier,
            engine=rds.DatabaseClusterEngine.aurora_postgres(version=rds.AuroraPostgresEngineVersion.VER_16_9),
            credentials=rds.Credentials.from_generated_secret(
                DATABASE_USER, secret_name=f"{settings.prefix}/database-admin"
            ),
            default_database_name=DATABASE_NAME,
            writer=rds.ClusterInstance.serverless_v2("Writer", publicly_accessible=False),
            readers=[
                rds.ClusterInstance.serverless_v2(f"Reader{n}", scale_with_writer=True, publicly_accessible=False)
                for n in range(1, profile.database_readers + 1)
            ],
            serverless_v2_min_capacity=profile.database_min_capacity,
            serverless_v2_max_capacity=profile.database_max_capacity,
            vpc=network.vpc,
            vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED),
            storage_encrypted=True,
            iam_authentication=True,
            deletion_protection=profile.deletion_protection,
            backup=rds.BackupProps(retention=Duration.days(profile.database_backup_days)),
            cloudwatch_logs_exports=["postgresql"],
            removal_policy=profile.removal_policy,
        )
        self.cluster.node.add_dependency(postgres_logs)
        # The rotation function needs Secrets Manager's API: it runs in the subnets that have a way out.
        self.cluster.add_rotation_single_user(
            automatically_after=Duration.days(30), vpc_subnets=network.private_subnets
        )
        self.proxy = self.cluster.add_proxy(
            "Proxy",
            db_proxy_name=settings.prefix,
            secrets=[self.cluster.secret] if self.cluster.secret else [],
            vpc=network.vpc,
            vpc_subnets=network.private_subnets,
            iam_auth=True,
            require_tls=True,
            borrow_timeout=Duration.seconds(30),
        )
        self.proxy.connections.allow_from(network.functions, ec2.Port.tcp(POSTGRES_PORT), "Functions to the proxy")
        self._acknowledge(profile.deletion_protection)

    @property
    def ready(self) -> IDependable:
        return self

    def grant_connect(self, role: iam.IRole) -> dict[str, str]:
        self.proxy.grant_connect(role, DATABASE_USER)
        url = f"postgresql://{DATABASE_USER}@{self.proxy.endpoint}:{POSTGRES_PORT}/{DATABASE_NAME}"
        return {"DATABASE_IAM_URL": url}

    def _acknowledge(self, deletion_protection: bool) -> None:
        nag.acknowledge(
            self.cluster,
            "AwsSolutions-RDS11",
            "The default port is kept: the cluster is only reachable from the proxy's security group in isolated"
            " subnets, so a different port would hide nothing.",
        )
        if not deletion_protection:
            nag.acknowledge(
                self.cluster,
                "AwsSolutions-RDS10",
                "Development stage: the database is disposable and must go with the stack; prod enables it.",
            )


class UrlDatabase(Construct):
    """A PostgreSQL the stack does not manage (LocalStack's compose file), reached with a URL kept as a secret."""

    def __init__(self, scope: Construct, construct_id: str, settings: DeploySettings, url: str) -> None:
        super().__init__(scope, construct_id)
        self.secret = stage_secret(
            self,
            "Url",
            settings,
            "database-url",
            "URL of the PostgreSQL database the functions use",
            secret_string_value=SecretValue.unsafe_plain_text(url),
        )
        nag.acknowledge(
            self.secret,
            "AwsSolutions-SMG4",
            "LocalStack only: the URL points at the compose file's throwaway PostgreSQL and its fixed password.",
        )

    @property
    def ready(self) -> IDependable:
        return self

    def grant_connect(self, role: iam.IRole) -> dict[str, str]:
        self.secret.grant_read(role)
        return {"DATABASE_URL_SECRET_ARN": self.secret.secret_arn}
