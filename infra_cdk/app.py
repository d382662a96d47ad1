"""The CDK app: one stack per stage, checked by cdk-nag. `cdk synth` runs it through cdk.json; so does
`python -m infra_cdk`."""

from __future__ import annotations

import os
from typing import Any

from aws_cdk import App, Environment

from infra_cdk import nag
from infra_cdk.settings import DeploySettings
from infra_cdk.stack import CryptotalksStack


def build_app(context: dict[str, Any] | None = None, outdir: str | None = None) -> tuple[App, CryptotalksStack]:
    app = App(context=context, outdir=outdir)
    settings = DeploySettings.from_context(app.node.try_get_context)
    account, region = os.environ.get("CDK_DEFAULT_ACCOUNT"), os.environ.get("CDK_DEFAULT_REGION")
    stack = CryptotalksStack(
        app,
        f"Cryptotalks-{settings.stage}",
        settings,
        env=Environment(account=account, region=region) if account and region else None,
    )
    nag.check(app)
    return app, stack


def main() -> None:
    """Run by the CDK CLI (which names the output folder) or by hand (then ./cdk.out, as the CLI would)."""
    app, _ = build_app(outdir=os.environ.get("CDK_OUTDIR", "cdk.out"))
    app.synth()
