"""The CDK app: one stack per stage (and in prod its site's web ACL, in us-east-1), checked by cdk-nag. `cdk synth`
runs it through cdk.json; so does `python -m infra_cdk`."""

from __future__ import annotations

import os
from typing import Any

from aws_cdk import App, Environment

from infra_cdk import nag
from infra_cdk.firewall import EdgeFirewallStack
from infra_cdk.settings import CLOUDFRONT_REGION, DeploySettings
from infra_cdk.stack import CryptotalksStack


def build_app(
    context: dict[str, Any] | None = None,
    outdir: str | None = None,
    account: str | None = None,
    region: str | None = None,
) -> tuple[App, CryptotalksStack]:
    """The account and region default to the CDK CLI's (`CDK_DEFAULT_ACCOUNT`, `CDK_DEFAULT_REGION`, from the
    credentials); without them the stack is environment-agnostic, which only a stage without the edge web ACL
    can be."""
    app = App(context=context, outdir=outdir)
    settings = DeploySettings.from_context(app.node.try_get_context)
    account = account or os.environ.get("CDK_DEFAULT_ACCOUNT")
    region = region or os.environ.get("CDK_DEFAULT_REGION")
    edge_web_acl_arn = None
    if settings.serves_site and settings.profile.web_application_firewall:
        if not (account and region):
            raise ValueError(
                f"the {settings.stage} stage puts its site's web ACL in {CLOUDFRONT_REGION}, which needs the account"
                " and region: run the CDK CLI with credentials, or set CDK_DEFAULT_ACCOUNT and CDK_DEFAULT_REGION"
            )
        edge = EdgeFirewallStack(
            app,
            f"Cryptotalks-{settings.stage}-edge",
            settings,
            env=Environment(account=account, region=CLOUDFRONT_REGION),
        )
        edge_web_acl_arn = edge.acl.attr_arn
    stack = CryptotalksStack(
        app,
        f"Cryptotalks-{settings.stage}",
        settings,
        edge_web_acl_arn,
        env=Environment(account=account, region=region) if account and region else None,
    )
    nag.check(app)
    return app, stack


def main() -> None:
    """Run by the CDK CLI (which names the output folder) or by hand (then ./cdk.out, as the CLI would)."""
    app, _ = build_app(outdir=os.environ.get("CDK_OUTDIR", "cdk.out"))
    app.synth()
