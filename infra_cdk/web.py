"""The site on AWS: the web client's built files in a private bucket behind CloudFront, which also sends `/api/*`
to API Gateway, so pages and API share one origin and the refresh cookie (httpOnly, SameSite=Strict) works.
Paths, caching and security headers follow `cryptotalks_dev.web_hosting`, as `cryptotalks dev` serves them."""

from __future__ import annotations

import json
from typing import Any, cast

from aws_cdk import CfnElement, DefaultStackSynthesizer, Duration, Stack, Token
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_s3_deployment as s3deploy
from constructs import Construct

from cryptotalks_dev import web_hosting
from infra_cdk import firewall, nag
from infra_cdk.bundling import WEB
from infra_cdk.settings import DeploySettings
from infra_cdk.storage import Storage

# A navigation to any path that is not a built file is one of the client's pages: index.html answers and the
# client routes it. The built files are Vite's hashed assets and what it copies from web/public.
_PAGE_ROUTER = """var FILES = %(files)s;
function handler(event) {
  var request = event.request;
  var accept = request.headers.accept ? request.headers.accept.value : "";
  var isFile = request.uri.startsWith(%(assets)s) || FILES.includes(request.uri);
  if (!isFile && accept.includes("text/html")) {
    request.uri = %(index)s;
  }
  return request;
}
"""


def page_router_code() -> str:
    files = sorted(f"/{path.name}" for path in (WEB / "public").iterdir() if path.is_file())
    return _PAGE_ROUTER % {
        "files": json.dumps([web_hosting.INDEX, *files]),
        "assets": json.dumps(web_hosting.HASHED_ASSETS),
        "index": json.dumps(web_hosting.INDEX),
    }


class WebSite(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        settings: DeploySettings,
        rest_api: apigateway.RestApi,
        storage: Storage,
        files: s3deploy.ISource,
        *,
        origin_secret: str | None = None,
        web_acl_arn: str | None = None,
    ) -> None:
        """`files`: the built client; `origin_secret`: sent to API Gateway for its web ACL (`firewall`);
        `web_acl_arn`: the edge web ACL (prod)."""
        super().__init__(scope, construct_id)
        self.bucket = storage.private_bucket(self, "Files", server_access_logs_prefix="site/")
        site = origins.S3BucketOrigin.with_origin_access_control(self.bucket)
        api = origins.RestApiOrigin(
            rest_api,
            custom_headers={firewall.ORIGIN_SECRET_HEADER: origin_secret} if origin_secret else None,
        )
        security = self._security_headers(settings)
        # The files' own behaviour; their Cache-Control is the objects' metadata (`_deploy`).
        files_behaviour: dict[str, Any] = {
            "origin": site,
            "viewer_protocol_policy": cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
            "cache_policy": cloudfront.CachePolicy.CACHING_OPTIMIZED,
            "response_headers_policy": security,
        }
        page_router = cloudfront.Function(
            self,
            "PageRouter",
            code=cloudfront.FunctionCode.from_inline(page_router_code()),
            runtime=cloudfront.FunctionRuntime.JS_2_0,
            comment="Answers the web client's pages with its index.html",
        )
        self.distribution = cloudfront.Distribution(
            self,
            "Distribution",
            comment=f"{settings.prefix}: the web client, and the API under /api",
            default_behavior=cloudfront.BehaviorOptions(
                **files_behaviour,
                function_associations=[
                    cloudfront.FunctionAssociation(
                        event_type=cloudfront.FunctionEventType.VIEWER_REQUEST, function=page_router
                    )
                ],
            ),
            additional_behaviors={
                # The same without the page router, which has nothing to do for them.
                f"{web_hosting.HASHED_ASSETS}*": cloudfront.BehaviorOptions(**files_behaviour),
                # Every header (the access token's), cookie and query string goes to the API; nothing is cached.
                "/api/*": cloudfront.BehaviorOptions(
                    origin=api,
                    viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
                    allowed_methods=cloudfront.AllowedMethods.ALLOW_ALL,
                    cache_policy=cloudfront.CachePolicy.CACHING_DISABLED,
                    origin_request_policy=cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
                    response_headers_policy=security,
                ),
            },
            default_root_object=web_hosting.INDEX.lstrip("/"),
            domain_names=[settings.domain_name] if settings.domain_name else None,
            certificate=(
                acm.Certificate.from_certificate_arn(self, "Certificate", settings.certificate_arn)
                if settings.certificate_arn
                else None
            ),
            minimum_protocol_version=cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
            price_class=settings.profile.site_price_class,
            enable_logging=True,
            log_bucket=storage.access_logs,
            log_file_prefix="cloudfront/",
            web_acl_id=web_acl_arn,
        )
        self.url = f"https://{settings.domain_name or self.distribution.distribution_domain_name}"
        self._deploy(files)
        self._acknowledge(settings, web_acl_arn)

    def _security_headers(self, settings: DeploySettings) -> cloudfront.ResponseHeadersPolicy:
        return cloudfront.ResponseHeadersPolicy(
            self,
            "SecurityHeaders",
            response_headers_policy_name=f"{settings.prefix}-security-headers",
            comment="The site's security headers (cryptotalks_dev.web_hosting)",
            security_headers_behavior=cloudfront.ResponseSecurityHeadersBehavior(
                content_security_policy=cloudfront.ResponseHeadersContentSecurityPolicy(
                    content_security_policy=web_hosting.content_security_policy(), override=True
                ),
                content_type_options=cloudfront.ResponseHeadersContentTypeOptions(override=True),
                frame_options=cloudfront.ResponseHeadersFrameOptions(
                    frame_option=cloudfront.HeadersFrameOption[web_hosting.FRAME_OPTIONS], override=True
                ),
                referrer_policy=cloudfront.ResponseHeadersReferrerPolicy(
                    referrer_policy=cloudfront.HeadersReferrerPolicy[
                        web_hosting.REFERRER_POLICY.upper().replace("-", "_")
                    ],
                    override=True,
                ),
                strict_transport_security=cloudfront.ResponseHeadersStrictTransportSecurity(
                    access_control_max_age=Duration.seconds(web_hosting.HSTS_MAX_AGE_SECONDS),
                    include_subdomains=True,
                    override=True,
                ),
            ),
        )

    def _deploy(self, files: s3deploy.ISource) -> None:
        """The hashed assets first, kept for good (a page loaded before a deploy still finds its scripts); then
        the rest, which replaces the previous build's, and the edge caches are emptied."""
        assets = f"{web_hosting.HASHED_ASSETS.strip('/')}/*"
        hashed = s3deploy.BucketDeployment(
            self,
            "HashedAssets",
            sources=[files],
            destination_bucket=self.bucket,
            include=[assets],
            exclude=["*"],
            prune=False,
            cache_control=[s3deploy.CacheControl.from_string(web_hosting.CACHED_FOR_GOOD)],
            memory_limit=512,
        )
        pages = s3deploy.BucketDeployment(
            self,
            "Pages",
            sources=[files],
            destination_bucket=self.bucket,
            exclude=[assets],
            cache_control=[s3deploy.CacheControl.from_string(web_hosting.REVALIDATED)],
            distribution=self.distribution,
            distribution_paths=["/*"],
            memory_limit=512,
        )
        pages.node.add_dependency(hashed)

    def _acknowledge(self, settings: DeploySettings, web_acl_arn: str | None) -> None:
        nag.acknowledge(
            self.distribution,
            "AwsSolutions-CFR1",
            "A public community site, open to readers in every country: no geographic restriction.",
        )
        if web_acl_arn is None:
            nag.acknowledge(
                self.distribution,
                "AwsSolutions-CFR2",
                "Development stage: CloudFront's own DDoS protection and the API stage's throttling; prod adds the"
                " edge web ACL (infra_cdk/firewall.py).",
            )
        if settings.domain_name is None:
            nag.acknowledge(
                self.distribution,
                "AwsSolutions-CFR4",
                "Without -c domainName the site has CloudFront's own *.cloudfront.net certificate, whose TLS"
                " policy CloudFront sets; with one, the distribution requires TLS 1.2 (TLSv1.2_2021).",
            )
        # CDK's singleton function that copies the files to the bucket and invalidates the distribution.
        for handler in (c for c in Stack.of(self).node.children if c.node.id.startswith("Custom::CDKBucketDeploy")):
            nag.acknowledge(
                handler,
                "AwsSolutions-IAM4",
                "CDK's deployment function for the site's files writes its logs with AWS's basic execution policy.",
                nag.LAMBDA_BASIC_ROLE,
            )
            nag.acknowledge(
                handler,
                "AwsSolutions-IAM5",
                "CDK's deployment function reads the site's asset and replaces the objects of the site's bucket: the"
                " wildcards are object keys, the S3 action groups CDK grants it, and CloudFront's invalidation"
                " (which takes no resource narrower than `*`).",
                *self._deployment_findings(),
            )
            nag.acknowledge(
                handler,
                "AwsSolutions-L1",
                "The runtime of CDK's own deployment function is chosen by aws-cdk-lib and follows its releases.",
            )

    def _deployment_findings(self) -> list[str]:
        stack = Stack.of(self)
        site_bucket = stack.get_logical_id(cast(CfnElement, self.bucket.node.default_child))
        # cdk-nag spells the bootstrap bucket with the stack's account and region, or their pseudo parameters.
        account = "<AWS::AccountId>" if Token.is_unresolved(stack.account) else stack.account
        region = "<AWS::Region>" if Token.is_unresolved(stack.region) else stack.region
        assets_bucket = f"cdk-{DefaultStackSynthesizer.DEFAULT_QUALIFIER}-assets-{account}-{region}"
        actions = ("s3:GetObject*", "s3:GetBucket*", "s3:List*", "s3:DeleteObject*", "s3:Abort*")
        return [
            *(f"Action::{action}" for action in actions),
            f"Resource::arn:<AWS::Partition>:s3:::{assets_bucket}/*",
            f"Resource::<{site_bucket}.Arn>/*",
            "Resource::*",
        ]
