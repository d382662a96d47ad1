"""The REST API: each declared endpoint on its method and path, its own function behind it, the authorizer on
signed-in routes, and API Gateway's own answers (unknown route, refused token, throttling) in the contract's
error shape.

On LocalStack the signed-in routes have no authorizer: its CloudFormation cannot create one and its community
edition never runs them. There the functions check the token and the session themselves, as every function
does when the authorizer's context is missing (cryptotalks.http.request)."""

from __future__ import annotations

import json

from aws_cdk import Aws, Duration, RemovalPolicy
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from cryptotalks import errors
from cryptotalks.errors import ErrorCode
from cryptotalks.http import Auth
from cryptotalks.http.endpoint import ANSWER_HEADERS
from cryptotalks.http.request import ACCESS_TOKEN_HEADER
from infra_cdk import firewall, nag
from infra_cdk.functions import Platform, deploy_function
from infra_cdk.inventory import FunctionSpec
from infra_cdk.settings import API_TIMEOUT, AUTHORIZER_CACHE, LOCALSTACK_API_TIMEOUT

# What API Gateway answers by itself, beyond the application's codes.
TOO_MANY_REQUESTS = ErrorCode(429, "too-many-requests", "Too many requests")
UNSUPPORTED_MEDIA_TYPE = ErrorCode(415, "unsupported-media-type", "Unsupported media type")
GATEWAY_TIMEOUT = ErrorCode(504, "gateway-timeout", "Gateway timeout")
BAD_REQUEST = ErrorCode(400, "bad-request", "Bad request")
FORBIDDEN = ErrorCode(403, "forbidden", "Forbidden")
# The authorizer puts the refused token's error into its context (functions/api/auth/authorizer.py).
REFUSED_TOKEN_BODY = json.dumps(
    {"statusCode": 401, "message": "$context.authorizer.message", "error": "$context.authorizer.error"}
)

GATEWAY_RESPONSES: dict[apigateway.ResponseType, tuple[int, str]] = {
    # A signed-in route without the header: API Gateway answers before calling the authorizer.
    apigateway.ResponseType.UNAUTHORIZED: (401, json.dumps(errors.INVALID_TOKEN.body())),
    apigateway.ResponseType.ACCESS_DENIED: (401, REFUSED_TOKEN_BODY),
    apigateway.ResponseType.MISSING_AUTHENTICATION_TOKEN: (404, json.dumps(errors.NOT_FOUND.body())),
    apigateway.ResponseType.RESOURCE_NOT_FOUND: (404, json.dumps(errors.NOT_FOUND.body())),
    apigateway.ResponseType.BAD_REQUEST_PARAMETERS: (400, json.dumps(errors.VALIDATION_ERROR.body())),
    apigateway.ResponseType.BAD_REQUEST_BODY: (400, json.dumps(errors.VALIDATION_ERROR.body())),
    apigateway.ResponseType.REQUEST_TOO_LARGE: (413, json.dumps(errors.PAYLOAD_TOO_LARGE.body())),
    apigateway.ResponseType.UNSUPPORTED_MEDIA_TYPE: (415, json.dumps(UNSUPPORTED_MEDIA_TYPE.body())),
    apigateway.ResponseType.THROTTLED: (429, json.dumps(TOO_MANY_REQUESTS.body())),
    apigateway.ResponseType.QUOTA_EXCEEDED: (429, json.dumps(TOO_MANY_REQUESTS.body())),
    apigateway.ResponseType.WAF_FILTERED: (403, json.dumps(FORBIDDEN.body())),
    apigateway.ResponseType.INTEGRATION_TIMEOUT: (504, json.dumps(GATEWAY_TIMEOUT.body())),
    # Whatever else API Gateway refuses or fails at (none of its remaining 4XX types apply to this API).
    apigateway.ResponseType.DEFAULT_4_XX: (400, json.dumps(BAD_REQUEST.body())),
    apigateway.ResponseType.DEFAULT_5_XX: (500, json.dumps(errors.INTERNAL_ERROR.body())),
}
ALLOWED_HEADERS = ["Content-Type", ACCESS_TOKEN_HEADER]


def api_name(prefix: str) -> str:
    return prefix


class Api(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        platform: Platform,
        endpoints: list[FunctionSpec],
        authorizer: FunctionSpec,
        origin_secret: str | None = None,
    ) -> None:
        """`origin_secret`: what the site's distribution sends in `firewall.ORIGIN_SECRET_HEADER` (prod)."""
        super().__init__(scope, construct_id)
        settings = self.settings = platform.settings
        profile = settings.profile
        self.stage_name = settings.stage
        access_logs = logs.LogGroup(
            self, "AccessLogs", retention=profile.log_retention, removal_policy=profile.removal_policy
        )
        self.rest_api = apigateway.RestApi(
            self,
            "RestApi",
            rest_api_name=api_name(settings.prefix),
            description="Cryptotalks API",
            endpoint_types=[apigateway.EndpointType.REGIONAL],
            deploy_options=apigateway.StageOptions(
                stage_name=self.stage_name,
                throttling_rate_limit=profile.throttle_rate,
                throttling_burst_limit=profile.throttle_burst,
                tracing_enabled=True,
                metrics_enabled=True,
                logging_level=apigateway.MethodLoggingLevel.ERROR,
                access_log_destination=apigateway.LogGroupLogDestination(access_logs),
                access_log_format=apigateway.AccessLogFormat.json_with_standard_fields(
                    caller=False,
                    http_method=True,
                    ip=True,
                    protocol=True,
                    request_time=True,
                    resource_path=True,
                    response_length=True,
                    status=True,
                    user=True,
                ),
            ),
            # Execution logs need API Gateway's account-wide CloudWatch role; it stays when a stage goes.
            cloud_watch_role=True,
            cloud_watch_role_removal_policy=RemovalPolicy.RETAIN,
        )
        if settings.on_localstack:
            # LocalStack's path form of a stage's URL: it needs no wildcard DNS name (none resolves offline).
            rest_api_id = self.rest_api.rest_api_id
            self.base_url = f"{settings.localstack.url}/restapis/{rest_api_id}/{self.stage_name}/_user_request_"
        else:
            host = f"{self.rest_api.rest_api_id}.execute-api.{Aws.REGION}.{Aws.URL_SUFFIX}"
            self.base_url = f"https://{host}/{self.stage_name}"
        # The API's functions make no links: the URL only tells them that cookies travel over HTTPS. The site's
        # URL is a reference to the distribution, which depends on this API, so it is used only when known.
        platform = platform.with_public_base_url(self.base_url)
        self.authorizer = (
            None
            if settings.on_localstack
            else apigateway.RequestAuthorizer(
                self,
                "Authorizer",
                authorizer_name=f"{settings.prefix}-access-token",
                handler=self._function(authorizer, platform),
                identity_sources=[apigateway.IdentitySource.header(ACCESS_TOKEN_HEADER)],
                results_cache_ttl=AUTHORIZER_CACHE,
            )
        )
        # Path parameters are checked here. Body checks apply only to methods with a model, and none has one:
        # each function validates its body against its pydantic model, so the models are written once.
        # LocalStack, though, refuses every body of a method whose validator checks bodies without a model.
        self.validator = self.rest_api.add_request_validator(
            "Requests", validate_request_parameters=True, validate_request_body=not settings.on_localstack
        )
        if settings.on_localstack:
            nag.acknowledge(
                self.rest_api,
                "AwsSolutions-APIG2",
                "LocalStack only: its API Gateway refuses bodies under a body check without a model; each function"
                " validates its body against its pydantic model, which is all that check does on AWS either.",
            )
        for spec in endpoints:
            self._route(spec, self._function(spec, platform))
        self._gateway_responses()
        self._firewall(profile.web_application_firewall, settings.prefix, origin_secret)
        nag.acknowledge(
            self.rest_api,
            "AwsSolutions-COG4",
            "Accounts and sessions are the application's own (the original's JWT sessions): signed-in routes use"
            " the Lambda authorizer that checks them; there is no Cognito user pool.",
        )
        nag.acknowledge(
            self.rest_api,
            "AwsSolutions-IAM4",
            "API Gateway's account-wide role for execution logs uses AWS's policy made for it.",
            "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs",
        )

    def _function(self, spec: FunctionSpec, platform: Platform) -> lambda_.Function:
        timeout = LOCALSTACK_API_TIMEOUT if platform.settings.on_localstack else API_TIMEOUT
        return deploy_function(self, spec, platform, memory_mb=platform.settings.profile.api_memory_mb, timeout=timeout)

    def _route(self, spec: FunctionSpec, function: lambda_.Function) -> None:
        """A method on the endpoint's path and on each of its aliases, all integrating its one function."""
        endpoint = spec.endpoint
        gateway_authorizes = endpoint.auth is Auth.SIGNED_IN and self.authorizer is not None
        web_origin = self.settings.web_origin
        for path in endpoint.paths:
            resource = self.rest_api.root.resource_for_path(path)
            # Preflight only where there are routes (a stack holds 500 resources; the path's parents need none).
            if web_origin and resource.node.try_find_child("OPTIONS") is None:
                resource.add_cors_preflight(
                    allow_origins=[web_origin],
                    allow_methods=apigateway.Cors.ALL_METHODS,
                    allow_headers=ALLOWED_HEADERS,
                    allow_credentials=True,
                    max_age=Duration.hours(1),
                )
            method = resource.add_method(
                endpoint.method,
                # No test-invoke permission: one permission per route, for the deployed stage only.
                apigateway.LambdaIntegration(function, allow_test_invoke=False),
                operation_name=spec.function_id,
                authorizer=self.authorizer if gateway_authorizes else None,
                authorization_type=(
                    apigateway.AuthorizationType.CUSTOM if gateway_authorizes else apigateway.AuthorizationType.NONE
                ),
                request_parameters={f"method.request.path.{name}": True for name in endpoint.path_parameters},
                request_validator=self.validator,
            )
            if endpoint.auth is not Auth.SIGNED_IN:
                nag.acknowledge(
                    method,
                    "AwsSolutions-APIG4",
                    f"{endpoint.method} {path} is public in the API contract ({endpoint.auth.value}).",
                )
            elif not gateway_authorizes:
                nag.acknowledge(
                    method,
                    "AwsSolutions-APIG4",
                    f"{endpoint.method} {path} (LocalStack only): its function checks the token and the"
                    " session itself, LocalStack running no authorizer.",
                )

    def _gateway_responses(self) -> None:
        # The headers the functions' answers carry, and, as a client on another origin can only read an error
        # that carries them, the CORS headers.
        web_origin = self.settings.web_origin
        cors = (
            {"Access-Control-Allow-Origin": web_origin, "Access-Control-Allow-Credentials": "true"}
            if web_origin
            else {}
        )
        headers = {name: f"'{value}'" for name, value in {**ANSWER_HEADERS, **cors}.items()}
        for response_type, (status, body) in GATEWAY_RESPONSES.items():
            self.rest_api.add_gateway_response(
                response_type.response_type,
                type=response_type,
                status_code=str(status),
                templates={"application/json": body},
                response_headers=headers,
            )

    def _firewall(self, enabled: bool, prefix: str, origin_secret: str | None) -> None:
        stage = self.rest_api.deployment_stage
        if not enabled:
            nag.acknowledge(
                stage,
                "AwsSolutions-APIG3",
                "Development stage: the stage's throttling and the authorizer protect it; prod adds AWS WAF.",
            )
            return
        first_rules = [firewall.forwarded_by_the_edge(origin_secret)] if origin_secret else []
        acl = firewall.web_acl(self, "Firewall", f"{prefix}-api", "REGIONAL", first_rules)
        wafv2.CfnWebACLAssociation(self, "FirewallOnStage", resource_arn=stage.stage_arn, web_acl_arn=acl.attr_arn)
