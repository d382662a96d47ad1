"""AWS WAF in prod. Browsers reach the site and the API through CloudFront, whose web ACL must live in us-east-1
(scope CLOUDFRONT): it is a stack of its own, `Cryptotalks-<stage>-edge`, and judges each request by the viewer's
address. Callers may also reach API Gateway directly: the regional web ACL on the API stage applies the same
rules to them. It lets through at once what CloudFront forwards, told apart by a secret header that only the
distribution sends, because it would see CloudFront's addresses instead of the viewers' and rate-limit those.
Beyond the limit per address on everything, the routes that take a password or send a reset code have a much
lower one (those declared `guards_credentials`): guessing passwords, or mailing and texting codes, from one
address stays slow."""

from __future__ import annotations

from typing import Any

from aws_cdk import Stack
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from functions import registry
from infra_cdk import nag
from infra_cdk.secrets import stage_secret
from infra_cdk.settings import DeploySettings

ORIGIN_SECRET_HEADER = "x-cryptotalks-edge"
REQUESTS_PER_ADDRESS = 1000  # in any 5 minutes
CREDENTIAL_REQUESTS_PER_ADDRESS = 50  # in any 5 minutes, to the endpoints guarding credentials together
RATE_WINDOW_SECONDS = 300
MANAGED_RULE_GROUPS = ("AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesKnownBadInputsRuleSet")


def web_acl(
    scope: Construct,
    construct_id: str,
    name: str,
    acl_scope: str,
    first_rules: list[wafv2.CfnWebACL.RuleProperty] | None = None,
) -> wafv2.CfnWebACL:
    """`first_rules`, then AWS's IP reputation list and known bad inputs, then the limit per address."""
    rules = [*(first_rules or [])]
    for group in MANAGED_RULE_GROUPS:
        rules.append(_managed_rule(group, len(rules), name))
    credential_paths = [
        _path_contains(path)
        for d in registry.endpoints()
        if d.declaration.guards_credentials
        for path in d.declaration.paths
    ]
    rules.append(
        _rate_limit(
            "CredentialsRateLimit",
            len(rules),
            CREDENTIAL_REQUESTS_PER_ADDRESS,
            f"{name}-credentials-rate-limit",
            wafv2.CfnWebACL.StatementProperty(
                or_statement=wafv2.CfnWebACL.OrStatementProperty(statements=credential_paths)
            ),
        )
    )
    rules.append(_rate_limit("PerAddressRateLimit", len(rules), REQUESTS_PER_ADDRESS, f"{name}-rate-limit"))
    return wafv2.CfnWebACL(
        scope,
        construct_id,
        name=name,
        scope=acl_scope,
        default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
        visibility_config=_visibility(name),
        rules=rules,
    )


def forwarded_by_the_edge(secret: str) -> wafv2.CfnWebACL.RuleProperty:
    """Allows, with no further rule, a request that carries the distribution's secret header."""
    return wafv2.CfnWebACL.RuleProperty(
        name="ForwardedByCloudFront",
        priority=0,
        action=wafv2.CfnWebACL.RuleActionProperty(allow={}),
        statement=wafv2.CfnWebACL.StatementProperty(
            byte_match_statement=wafv2.CfnWebACL.ByteMatchStatementProperty(
                field_to_match=wafv2.CfnWebACL.FieldToMatchProperty(
                    single_header={"Name": ORIGIN_SECRET_HEADER},
                ),
                positional_constraint="EXACTLY",
                search_string=secret,
                text_transformations=[wafv2.CfnWebACL.TextTransformationProperty(priority=0, type="NONE")],
            )
        ),
        visibility_config=_visibility("forwarded-by-cloudfront"),
    )


class OriginSecret(Construct):
    """The value CloudFront sends to API Gateway in `ORIGIN_SECRET_HEADER`; CloudFormation reads it from Secrets
    Manager at deploy (a dynamic reference), so it is in no template."""

    def __init__(self, scope: Construct, construct_id: str, settings: DeploySettings) -> None:
        super().__init__(scope, construct_id)
        self.secret = stage_secret(
            self,
            "Secret",
            settings,
            "edge-origin-secret",
            "Tells the API's web ACL that a request came through the site's CloudFront distribution",
        )
        nag.acknowledge(
            self.secret,
            "AwsSolutions-SMG4",
            "A rotation would have to update the distribution and the web ACL together: it is a redeploy after"
            " `put-secret-value` (infra_cdk/README.md), not a rotation function.",
        )

    @property
    def value(self) -> str:
        return self.secret.secret_value.unsafe_unwrap()


class EdgeFirewallStack(Stack):
    """The site's web ACL, in us-east-1 whatever the region of the stage."""

    def __init__(self, scope: Construct, construct_id: str, settings: DeploySettings, **kwargs: Any) -> None:
        super().__init__(
            scope,
            construct_id,
            description=f"Cryptotalks ({settings.stage}): the web ACL of the site's CloudFront distribution",
            cross_region_references=True,
            **kwargs,
        )
        self.acl = web_acl(self, "Firewall", f"{settings.prefix}-edge", "CLOUDFRONT")


def _rate_limit(
    name: str,
    priority: int,
    limit: int,
    metric_name: str,
    scope_down: wafv2.CfnWebACL.StatementProperty | None = None,
) -> wafv2.CfnWebACL.RuleProperty:
    """Blocks an address (the viewer's at the edge, the caller's on the API) past `limit` requests in the window."""
    return wafv2.CfnWebACL.RuleProperty(
        name=name,
        priority=priority,
        action=wafv2.CfnWebACL.RuleActionProperty(block={}),
        statement=wafv2.CfnWebACL.StatementProperty(
            rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                aggregate_key_type="IP",
                limit=limit,
                evaluation_window_sec=RATE_WINDOW_SECONDS,
                scope_down_statement=scope_down,
            )
        ),
        visibility_config=_visibility(metric_name),
    )


def _path_contains(path: str) -> wafv2.CfnWebACL.StatementProperty:
    """The request's path holds `path`: the edge sees `/api/...`, the API's stage `/<stage>/api/...`."""
    return wafv2.CfnWebACL.StatementProperty(
        byte_match_statement=wafv2.CfnWebACL.ByteMatchStatementProperty(
            field_to_match=wafv2.CfnWebACL.FieldToMatchProperty(uri_path={}),
            positional_constraint="CONTAINS",
            search_string=path.lower(),
            text_transformations=[
                wafv2.CfnWebACL.TextTransformationProperty(priority=priority, type=kind)
                for priority, kind in enumerate(("URL_DECODE", "NORMALIZE_PATH", "LOWERCASE"))
            ],
        )
    )


def _visibility(metric_name: str) -> wafv2.CfnWebACL.VisibilityConfigProperty:
    return wafv2.CfnWebACL.VisibilityConfigProperty(
        cloud_watch_metrics_enabled=True, metric_name=metric_name, sampled_requests_enabled=True
    )


def _managed_rule(name: str, priority: int, prefix: str) -> wafv2.CfnWebACL.RuleProperty:
    return wafv2.CfnWebACL.RuleProperty(
        name=name,
        priority=priority,
        override_action=wafv2.CfnWebACL.OverrideActionProperty(none={}),
        statement=wafv2.CfnWebACL.StatementProperty(
            managed_rule_group_statement=wafv2.CfnWebACL.ManagedRuleGroupStatementProperty(vendor_name="AWS", name=name)
        ),
        visibility_config=_visibility(f"{prefix}-{name}"),
    )
