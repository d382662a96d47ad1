"""The site on AWS: the web client's files in a private bucket behind CloudFront, `/api/*` sent to API Gateway on
the same origin, served with the caching and security headers `cryptotalks dev` uses, and in prod behind the edge
web ACL."""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any

import pytest

from cryptotalks_dev import web_hosting
from infra_cdk.firewall import CREDENTIAL_REQUESTS_PER_ADDRESS, MANAGED_RULE_GROUPS, ORIGIN_SECRET_HEADER
from infra_cdk.settings import CLOUDFRONT_REGION
from tests.infra.conftest import SITE
from tests.infra.synthesis import Synthesis
from tests.web_client_paths import BUILT_FILES, NAVIGATION_ACCEPT, PAGES

# CloudFront's managed policies (their ids are fixed by AWS).
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac"


def _one(synthesis: Synthesis, resource_type: str, template: str | None = "Parent") -> tuple[str, dict[str, Any]]:
    [(logical_id, resource)] = synthesis.resources(resource_type, template).items()
    return logical_id, resource["Properties"]


def _distribution(synthesis: Synthesis) -> dict[str, Any]:
    return dict(_one(synthesis, "AWS::CloudFront::Distribution")[1]["DistributionConfig"])


def _behaviours(synthesis: Synthesis) -> dict[str, dict[str, Any]]:
    """Path pattern → cache behaviour, the default one as `*`."""
    config = _distribution(synthesis)
    return {"*": config["DefaultCacheBehavior"], **{b["PathPattern"]: b for b in config["CacheBehaviors"]}}


def _origin(synthesis: Synthesis, behaviour: dict[str, Any]) -> dict[str, Any]:
    [origin] = [o for o in _distribution(synthesis)["Origins"] if o["Id"] == behaviour["TargetOriginId"]]
    return dict(origin)


def _site_bucket(synthesis: Synthesis) -> str:
    [bucket] = [i for i in synthesis.resources("AWS::S3::Bucket", "Parent") if i.startswith("SiteFiles")]
    return bucket


def test_the_files_are_in_a_private_bucket_that_only_the_distribution_reads(on_aws: Synthesis) -> None:
    bucket = _site_bucket(on_aws)
    properties = on_aws.resources("AWS::S3::Bucket")[bucket]["Properties"]
    assert all(properties["PublicAccessBlockConfiguration"].values())
    assert properties["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert properties["LoggingConfiguration"]["LogFilePrefix"] == "site/"
    site = _origin(on_aws, _behaviours(on_aws)["*"])
    assert site["DomainName"] == {"Fn::GetAtt": [bucket, "RegionalDomainName"]}
    assert site["OriginAccessControlId"]
    [policy] = [
        p["Properties"]["PolicyDocument"]["Statement"]
        for p in on_aws.resources("AWS::S3::BucketPolicy").values()
        if p["Properties"]["Bucket"] == {"Ref": bucket}
    ]
    [reader] = [s for s in policy if s.get("Principal") == {"Service": "cloudfront.amazonaws.com"}]
    assert reader["Action"] == "s3:GetObject"
    distribution_id, _ = _one(on_aws, "AWS::CloudFront::Distribution")
    assert distribution_id in json.dumps(reader["Condition"]["StringEquals"]["AWS:SourceArn"])


def test_api_paths_go_to_the_api_stage_uncached_with_every_header_and_cookie(on_aws: Synthesis) -> None:
    api = _behaviours(on_aws)["/api/*"]
    assert api["CachePolicyId"] == CACHING_DISABLED
    assert api["OriginRequestPolicyId"] == ALL_VIEWER_EXCEPT_HOST_HEADER  # x-access-token, the _rt cookie
    assert set(api["AllowedMethods"]) == {"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"}
    assert api["ViewerProtocolPolicy"] == "https-only"  # a redirect would drop a POST's body
    origin = _origin(on_aws, api)
    assert "ApiRestApi" in json.dumps(origin["DomainName"]) and "execute-api" in json.dumps(origin["DomainName"])
    assert "DeploymentStage" in json.dumps(origin["OriginPath"])  # /<stage>/api/... on API Gateway
    assert origin["CustomOriginConfig"]["OriginSSLProtocols"] == ["TLSv1.2"]


def test_hashed_assets_are_cached_for_good_and_the_rest_revalidated(on_aws: Synthesis) -> None:
    behaviours = _behaviours(on_aws)
    for pattern in ("*", f"{web_hosting.HASHED_ASSETS}*"):
        assert behaviours[pattern]["CachePolicyId"] == CACHING_OPTIMIZED
        assert behaviours[pattern]["ViewerProtocolPolicy"] == "redirect-to-https"
    deployments = {
        json.dumps(d["Properties"]["SystemMetadata"]["cache-control"]): d["Properties"]
        for d in on_aws.resources("Custom::CDKBucketDeployment").values()
    }
    assets = deployments[json.dumps(web_hosting.CACHED_FOR_GOOD)]
    pages = deployments[json.dumps(web_hosting.REVALIDATED)]
    assert (assets["Include"], assets["Exclude"], assets["Prune"]) == (["assets/*"], ["*"], False)
    assert (pages["Exclude"], pages["Prune"]) == (["assets/*"], True)
    assert pages["DistributionPaths"] == ["/*"]  # a new build shows at once
    assert assets["DestinationBucketName"] == pages["DestinationBucketName"] == {"Ref": _site_bucket(on_aws)}


def test_every_answer_carries_the_security_headers_of_the_local_server(on_aws: Synthesis) -> None:
    policy_id, policy = _one(on_aws, "AWS::CloudFront::ResponseHeadersPolicy")
    headers = policy["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    assert headers["ContentSecurityPolicy"]["ContentSecurityPolicy"] == web_hosting.content_security_policy()
    assert headers["FrameOptions"]["FrameOption"] == web_hosting.FRAME_OPTIONS
    assert headers["ReferrerPolicy"]["ReferrerPolicy"] == web_hosting.REFERRER_POLICY
    assert headers["ContentTypeOptions"]["Override"] is True  # nosniff
    assert headers["StrictTransportSecurity"]["AccessControlMaxAgeSec"] == web_hosting.HSTS_MAX_AGE_SECONDS
    assert all(h["Override"] for h in headers.values())
    for behaviour in _behaviours(on_aws).values():
        assert behaviour["ResponseHeadersPolicyId"] == {"Ref": policy_id}


def _route(code: str, uri: str, accept: str | None) -> str:
    """Runs the page router as CloudFront would, in Node: the URI the request goes on with."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("the page router's test runs it in Node.js (on PATH for the CDK already)")
    request = {"uri": uri, "headers": {"accept": {"value": accept}} if accept else {}}
    script = f"{code}\nprocess.stdout.write(handler({json.dumps({'request': request})}).uri);"
    return subprocess.run([node, "-e", script], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("path", PAGES)
def test_a_navigation_to_a_page_of_the_client_gets_index_html(eventbridge: Synthesis, path: str) -> None:
    code = _one(eventbridge, "AWS::CloudFront::Function")[1]["FunctionCode"]
    assert _route(code, path, NAVIGATION_ACCEPT) == web_hosting.INDEX


@pytest.mark.parametrize("path", BUILT_FILES)
def test_built_files_are_served_as_they_are(eventbridge: Synthesis, path: str) -> None:
    code = _one(eventbridge, "AWS::CloudFront::Function")[1]["FunctionCode"]
    assert _route(code, path, NAVIGATION_ACCEPT) == path
    assert _route(code, path, "*/*") == path


def test_what_is_not_a_navigation_is_not_answered_with_the_page(eventbridge: Synthesis) -> None:
    code = _one(eventbridge, "AWS::CloudFront::Function")[1]["FunctionCode"]
    # A script of an old build, or a client that does not ask for HTML: S3's own answer, not index.html.
    assert _route(code, "/assets/index-old.js", "*/*") == "/assets/index-old.js"
    assert _route(code, "/posts/x", None) == "/posts/x"
    [association] = _behaviours(eventbridge)["*"]["FunctionAssociations"]
    assert association["EventType"] == "viewer-request"


def test_the_emails_link_to_the_site(eventbridge: Synthesis, kafka: Synthesis) -> None:
    # The consumers send the emails; they may reference the distribution, which depends on the API.
    distribution_id, _ = _one(eventbridge, "AWS::CloudFront::Distribution")
    passed_in = {}  # a nested stack's parameter → what the parent gives it
    for nested in eventbridge.resources("AWS::CloudFormation::Stack", "Parent").values():
        passed_in.update(nested["Properties"].get("Parameters", {}))
    for template in ("Consumers", "Jobs"):
        functions = eventbridge.resources("AWS::Lambda::Function", template).values()
        for function in (f for f in functions if f["Properties"].get("Handler", "").startswith("functions.")):
            url = function["Properties"]["Environment"]["Variables"]["PUBLIC_BASE_URL"]
            scheme, domain = url["Fn::Join"][1]
            assert scheme == "https://"
            assert passed_in[domain["Ref"]] == {"Fn::GetAtt": [distribution_id, "DomainName"]}
    for function in kafka.python_functions().values():  # a site of its own name: known at synth
        assert function["Properties"]["Environment"]["Variables"]["PUBLIC_BASE_URL"] == f"https://{SITE['domainName']}"


def test_a_site_of_its_own_name_requires_tls_1_2(kafka: Synthesis) -> None:
    config = _distribution(kafka)
    assert config["Aliases"] == [SITE["domainName"]]
    assert config["ViewerCertificate"] == {
        "AcmCertificateArn": SITE["certificateArn"],
        "MinimumProtocolVersion": "TLSv1.2_2021",
        "SslSupportMethod": "sni-only",
    }
    outputs = kafka.templates["Parent"].to_json()["Outputs"]
    assert outputs["SiteUrl"]["Value"] == f"https://{SITE['domainName']}"
    assert "SiteDomain" in outputs


def test_cloudfront_logs_its_requests(on_aws: Synthesis) -> None:
    logging = _distribution(on_aws)["Logging"]
    [logs] = [i for i in on_aws.resources("AWS::S3::Bucket", "Parent") if i.startswith("StorageAccessLogs")]
    assert logging == {"Bucket": {"Fn::GetAtt": [logs, "RegionalDomainName"]}, "Prefix": "cloudfront/"}


def test_the_dashboard_shows_the_sites_requests_and_errors(any_synthesis: Synthesis) -> None:
    [dashboard] = any_synthesis.resources("AWS::CloudWatch::Dashboard").values()
    body = json.dumps(dashboard["Properties"]["DashboardBody"])
    serves_site = any_synthesis.stack.settings.serves_site
    assert ("AWS/CloudFront" in body) == serves_site
    if serves_site:
        distribution_id, _ = _one(any_synthesis, "AWS::CloudFront::Distribution")
        assert distribution_id in body and "5xxErrorRate" in body and "us-east-1" in body


def test_prod_puts_the_site_behind_the_edge_web_acl_in_us_east_1(kafka: Synthesis) -> None:
    edge = kafka.templates["Edge"]
    assert kafka.stack.node.scope is not None
    edge_stack = kafka.stack.node.scope.node.find_child(f"{kafka.stack.stack_name}-edge")
    assert edge_stack.region == CLOUDFRONT_REGION  # type: ignore[attr-defined]
    [acl] = edge.find_resources("AWS::WAFv2::WebACL").values()
    rules = [r["Name"] for r in acl["Properties"]["Rules"]]
    assert acl["Properties"]["Scope"] == "CLOUDFRONT"
    assert rules == [*MANAGED_RULE_GROUPS, "CredentialsRateLimit", "PerAddressRateLimit"]
    # The ARN crosses regions through CDK's export reader.
    assert "ExportsReader" in json.dumps(_distribution(kafka)["WebACLId"])


def test_the_api_web_acl_lets_through_what_the_distribution_forwards(kafka: Synthesis) -> None:
    [acl] = kafka.resources("AWS::WAFv2::WebACL", "Api").values()
    first, *others = acl["Properties"]["Rules"]
    match = first["Statement"]["ByteMatchStatement"]
    assert (first["Priority"], first["Action"]) == (0, {"Allow": {}})
    assert match["FieldToMatch"] == {"SingleHeader": {"Name": ORIGIN_SECRET_HEADER}}
    assert match["PositionalConstraint"] == "EXACTLY"
    assert "{{resolve:secretsmanager:" in json.dumps(match["SearchString"])  # read at deploy, in no template
    assert [r["Name"] for r in others][-1] == "PerAddressRateLimit"
    [api_origin] = [o for o in _distribution(kafka)["Origins"] if "CustomOriginConfig" in o]
    [header] = api_origin["OriginCustomHeaders"]
    assert header["HeaderName"] == ORIGIN_SECRET_HEADER
    assert "{{resolve:secretsmanager:" in json.dumps(header["HeaderValue"])


def test_both_web_acls_slow_down_password_guessing_and_reset_codes_per_address(kafka: Synthesis) -> None:
    [edge_acl] = kafka.templates["Edge"].find_resources("AWS::WAFv2::WebACL").values()
    [api_acl] = kafka.resources("AWS::WAFv2::WebACL", "Api").values()
    for acl in (edge_acl, api_acl):
        rules = {r["Name"]: r for r in acl["Properties"]["Rules"]}
        rule = rules["CredentialsRateLimit"]
        limit = rule["Statement"]["RateBasedStatement"]
        assert rule["Action"] == {"Block": {}}
        assert (limit["AggregateKeyType"], limit["Limit"]) == ("IP", CREDENTIAL_REQUESTS_PER_ADDRESS)
        assert limit["Limit"] < rules["PerAddressRateLimit"]["Statement"]["RateBasedStatement"]["Limit"]
        matches = [s["ByteMatchStatement"] for s in limit["ScopeDownStatement"]["OrStatement"]["Statements"]]
        assert {m["SearchString"] for m in matches} == {"/api/user/sign-in", "/api/user/forgot-password"}
        for match in matches:
            # A path holding the route's, after decoding: the regional ACL sees the stage before it.
            assert (match["FieldToMatch"], match["PositionalConstraint"]) == ({"UriPath": {}}, "CONTAINS")
            assert match["TextTransformations"][0]["Type"] == "URL_DECODE"


def test_dev_has_no_web_acl_and_localstack_no_site(eventbridge: Synthesis, localstack: Synthesis) -> None:
    assert "Edge" not in eventbridge.templates
    assert not eventbridge.resources("AWS::WAFv2::WebACL")
    assert "WebACLId" not in _distribution(eventbridge)
    assert not localstack.resources("AWS::CloudFront::Distribution")
    assert "SiteUrl" not in localstack.templates["Parent"].to_json()["Outputs"]


@pytest.mark.parametrize(
    "context",
    [
        {"domainName": "cryptotalks.example"},
        {"domainName": "cryptotalks.example", "certificateArn": "arn:aws:acm:eu-west-1:1:certificate/x"},
    ],
)
def test_settings_refuse_a_domain_without_a_certificate_cloudfront_can_use(context: dict[str, str]) -> None:
    from infra_cdk.settings import DeploySettings

    with pytest.raises(ValueError):
        DeploySettings.from_context(context.get)


def test_prod_without_an_account_and_region_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from infra_cdk.app import build_app

    monkeypatch.delenv("CDK_DEFAULT_ACCOUNT", raising=False)
    monkeypatch.delenv("CDK_DEFAULT_REGION", raising=False)
    with pytest.raises(ValueError, match=CLOUDFRONT_REGION):
        build_app({"stage": "prod", "aws:cdk:bundling-stacks": []})
