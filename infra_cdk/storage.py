"""The avatars bucket: private, encrypted, TLS only, its access logged to a second bucket (which takes the site's
logs too). Avatars are uploaded through the API and shown through presigned URLs in `<img>` elements, which need
neither CORS nor anything public."""

from __future__ import annotations

from typing import Any

from aws_cdk import Aws, Duration, RemovalPolicy
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from constructs import Construct

from infra_cdk import nag
from infra_cdk.settings import DeploySettings

AVATARS_PREFIX = "avatars/"


class Storage(Construct):
    def __init__(self, scope: Construct, construct_id: str, settings: DeploySettings) -> None:
        super().__init__(scope, construct_id)
        self.removal = removal = settings.profile.removal_policy
        self.access_logs = access_logs = _private_bucket(
            self,
            "AccessLogs",
            removal,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
            lifecycle_rules=[s3.LifecycleRule(expiration=Duration.days(90))],
        )
        nag.acknowledge(
            access_logs,
            "AwsSolutions-S1",
            "This bucket receives the other buckets' and CloudFront's access logs; logging it too would only log"
            " the logging.",
        )
        # A known name, so the functions' policies can name the objects without a reference to this stack.
        self.avatars_bucket_name = f"{settings.prefix}-avatars-{{account}}-{{region}}"
        self.avatars = self.private_bucket(
            self,
            "Avatars",
            bucket_name=self.avatars_bucket_name.format(account=Aws.ACCOUNT_ID, region=Aws.REGION),
            versioned=removal is not RemovalPolicy.DESTROY,
            server_access_logs_prefix="avatars/",
        )

    def private_bucket(self, scope: Construct, construct_id: str, **props: Any) -> s3.Bucket:
        """Another bucket as private as the avatars', its access logged to the same bucket."""
        return _private_bucket(scope, construct_id, self.removal, server_access_logs_bucket=self.access_logs, **props)

    def grant_avatars(self, role: iam.IRole) -> dict[str, str]:
        """Read, write and delete avatars (presigned URLs carry these rights of the signing role)."""
        objects, spelled = nag.arn(f"arn:{{partition}}:s3:::{self.avatars_bucket_name}/{AVATARS_PREFIX}*")
        role.add_to_principal_policy(
            iam.PolicyStatement(actions=["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], resources=[objects])
        )
        nag.acknowledge(
            role,
            "AwsSolutions-IAM5",
            "Avatars are objects under one prefix of the avatars bucket; the wildcard is the object key.",
            f"Resource::{spelled}",
        )
        return {"AVATARS_BUCKET": self.avatars.bucket_name, "AVATARS_PREFIX": AVATARS_PREFIX}


def _private_bucket(scope: Construct, construct_id: str, removal: RemovalPolicy, **props: Any) -> s3.Bucket:
    """Encrypted, closed to the public, TLS only; emptied and deleted with a disposable stage."""
    return s3.Bucket(
        scope,
        construct_id,
        encryption=s3.BucketEncryption.S3_MANAGED,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        enforce_ssl=True,
        removal_policy=removal,
        auto_delete_objects=removal is RemovalPolicy.DESTROY,
        **props,
    )
