"""The synthesised stack against the declarations: every endpoint, consumer and job is deployed, wired and
watched, with no IAM action wider than it needs and no cdk-nag finding left unacknowledged."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
from aws_cdk import Validations

from cryptotalks.crypto.sync import SYNC_FAILED_METRIC
from cryptotalks.events.consumer import EVENTS_CONSUMED_METRIC
from cryptotalks.events.kafka import topic_of
from cryptotalks.http import Auth
from cryptotalks.http.endpoint import UNHANDLED_ERRORS_METRIC
from cryptotalks.uses import Uses
from cryptotalks_dev.event_catalogue import publishers, publishing_contexts, topics_carrying
from functions.jobs import outbox_relay
from infra_cdk import inventory, secrets
from infra_cdk.functions import SECRET_OF_USE
from infra_cdk.inventory import FunctionSpec
from infra_cdk.settings import MAX_RECEIVE_COUNT, DeploySettings
from tests.infra.synthesis import Synthesis


def _get_att_targets(value: Any) -> set[str]:
    """Logical ids named by `Fn::GetAtt` anywhere inside a template value."""
    found: set[str] = set()
    if isinstance(value, dict):
        if "Fn::GetAtt" in value:
            found.add(value["Fn::GetAtt"][0])
        for inner in value.values():
            found |= _get_att_targets(inner)
    elif isinstance(value, list):
        for inner in value:
            found |= _get_att_targets(inner)
    return found


def _function_ids_by_handler(synthesis: Synthesis) -> dict[str, str]:
    return {r["Properties"]["Handler"]: logical_id for logical_id, r in synthesis.python_functions().items()}


def _routes(synthesis: Synthesis) -> dict[tuple[str, str], dict[str, Any]]:
    """(method, path) → the method's properties, paths rebuilt from the resource tree."""
    resources = synthesis.resources("AWS::ApiGateway::Resource", "Api")

    def path_of(reference: dict[str, Any]) -> str:
        if "Ref" not in reference:  # the API's root resource
            return ""
        properties = resources[reference["Ref"]]["Properties"]
        return f"{path_of(properties['ParentId'])}/{properties['PathPart']}"

    routes = {}
    for method in synthesis.resources("AWS::ApiGateway::Method", "Api").values():
        properties = method["Properties"]
        if properties["HttpMethod"] != "OPTIONS":  # CORS preflight, answered by API Gateway itself
            routes[(properties["HttpMethod"], path_of(properties["ResourceId"]))] = properties
    return routes


# CDK's function that copies the site's files into its bucket (aws_s3_deployment): CDK writes its grants.
SITE_DEPLOYMENT_ROLE = "CustomCDKBucketDeployment"


def _statements(synthesis: Synthesis, of_site_deployment: bool = False) -> list[dict[str, Any]]:
    """The statements of the project's own policies, or (`of_site_deployment`) of CDK's site deployment's."""
    statements = []
    for policy in synthesis.resources("AWS::IAM::Policy").values():
        roles = json.dumps(policy["Properties"].get("Roles", []))
        if (SITE_DEPLOYMENT_ROLE in roles) == of_site_deployment:
            statements += policy["Properties"]["PolicyDocument"]["Statement"]
    if of_site_deployment:
        return statements
    for role in synthesis.resources("AWS::IAM::Role").values():
        for inline in role["Properties"].get("Policies", []):
            statements += inline["PolicyDocument"]["Statement"]
    return statements


def _environment(function: dict[str, Any]) -> dict[str, Any]:
    return dict(function["Properties"]["Environment"]["Variables"])


# One function per declaration


def _deployed_specs(synthesis: Synthesis) -> list[inventory.FunctionSpec]:
    """Every declared function; on LocalStack all but the authorizer (the functions check tokens themselves)."""
    authorizer = inventory.authorizer().handler if synthesis.stack.settings.on_localstack else None
    return [spec for spec in inventory.every_function() if spec.handler != authorizer]


def test_one_function_per_endpoint_consumer_job_and_the_authorizer(any_synthesis: Synthesis) -> None:
    declared = Counter(spec.handler for spec in _deployed_specs(any_synthesis))
    deployed = Counter(r["Properties"]["Handler"] for r in any_synthesis.python_functions().values())
    assert deployed == declared
    assert all(count == 1 for count in deployed.values())


def test_functions_are_named_traced_and_logged_by_context(any_synthesis: Synthesis) -> None:
    functions = any_synthesis.python_functions()
    log_groups = any_synthesis.resources("AWS::Logs::LogGroup")
    prefix = any_synthesis.stack.settings.prefix
    by_handler = {r["Properties"]["Handler"]: r for r in functions.values()}
    for spec in _deployed_specs(any_synthesis):
        properties = by_handler[spec.handler]["Properties"]
        assert properties["FunctionName"] == spec.physical_name(prefix)
        assert properties["TracingConfig"] == {"Mode": "Active"}
        environment = _environment(by_handler[spec.handler])
        assert environment["POWERTOOLS_SERVICE_NAME"] == spec.context
        assert environment["POWERTOOLS_METRICS_NAMESPACE"] == "Cryptotalks"
        assert environment["POWERTOOLS_TRACER_CAPTURE_RESPONSE"] == "false"
        assert "JWT_SECRET_SECRET_ARN" in environment
        log_group = log_groups[properties["LoggingConfig"]["LogGroup"]["Ref"]]["Properties"]
        assert log_group["LogGroupName"] == f"/aws/lambda/{spec.physical_name(prefix)}"
        assert log_group["RetentionInDays"] > 0


def test_long_function_names_are_shortened_stably() -> None:
    spec = FunctionSpec("consumers-" + "very-long-" * 8 + "name", "functions.x.handler", inventory.Kind.JOB, "x", "")
    name = spec.physical_name("cryptotalks-prod")
    assert len(name) == 64
    assert name == spec.physical_name("cryptotalks-prod")
    assert name != FunctionSpec(spec.function_id + "-2", "", inventory.Kind.JOB, "x", "").physical_name(
        "cryptotalks-prod"
    )


# The API


def test_every_declared_route_is_on_its_method_with_its_function(eventbridge: Synthesis) -> None:
    routes = _routes(eventbridge)
    function_ids = _function_ids_by_handler(eventbridge)
    endpoints = inventory.endpoints()
    assert set(routes) == {(spec.endpoint.method, path) for spec in endpoints for path in spec.endpoint.paths}
    for spec in endpoints:
        for path in spec.endpoint.paths:  # an alias integrates the endpoint's own function
            method = routes[(spec.endpoint.method, path)]
            assert _get_att_targets(method["Integration"]["Uri"]) == {function_ids[spec.handler]}
            assert method["Integration"]["Type"] == "AWS_PROXY"
            for parameter in spec.endpoint.path_parameters:
                assert method["RequestParameters"][f"method.request.path.{parameter}"] is True
    assert any(spec.endpoint.aliases for spec in endpoints)


def test_only_signed_in_routes_go_through_the_authorizer(eventbridge: Synthesis) -> None:
    routes = _routes(eventbridge)
    [(authorizer_id, authorizer)] = eventbridge.resources("AWS::ApiGateway::Authorizer").items()
    assert authorizer["Properties"]["Type"] == "REQUEST"
    assert authorizer["Properties"]["IdentitySource"] == "method.request.header.x-access-token"
    assert 0 < authorizer["Properties"]["AuthorizerResultTtlInSeconds"] <= 60
    authorizer_function = _function_ids_by_handler(eventbridge)[inventory.authorizer().handler]
    assert _get_att_targets(authorizer["Properties"]["AuthorizerUri"]) == {authorizer_function}
    for spec in inventory.endpoints():
        for path in spec.endpoint.paths:
            method = routes[(spec.endpoint.method, path)]
            if spec.endpoint.auth is Auth.SIGNED_IN:
                assert method["AuthorizationType"] == "CUSTOM"
                assert method["AuthorizerId"] == {"Ref": authorizer_id}
            else:
                assert method["AuthorizationType"] == "NONE"
                assert "AuthorizerId" not in method


def test_gateway_answers_keep_the_contract_shape(eventbridge: Synthesis) -> None:
    responses = {
        r["Properties"]["ResponseType"]: r["Properties"]
        for r in eventbridge.resources("AWS::ApiGateway::GatewayResponse").values()
    }
    refused = responses["ACCESS_DENIED"]
    assert refused["StatusCode"] == "401"
    assert json.loads(refused["ResponseTemplates"]["application/json"]) == {
        "statusCode": 401,
        "message": "$context.authorizer.message",
        "error": "$context.authorizer.error",
    }
    for response_type, status, message in [
        ("UNAUTHORIZED", 401, "invalid-token"),
        ("MISSING_AUTHENTICATION_TOKEN", 404, "not-found"),
        ("THROTTLED", 429, "too-many-requests"),
        ("DEFAULT_4XX", 400, "bad-request"),
        ("DEFAULT_5XX", 500, "internal-error"),
    ]:
        body = json.loads(responses[response_type]["ResponseTemplates"]["application/json"])
        assert responses[response_type]["StatusCode"] == str(status)
        assert body["statusCode"] == status
        assert body["message"] == message
        assert set(body) == {"statusCode", "message", "error"}
    # Like the functions' answers: never sniffed as HTML or a script.
    for response in responses.values():
        assert response["ResponseParameters"]["gatewayresponse.header.X-Content-Type-Options"] == "'nosniff'"


def test_stage_is_throttled_traced_and_access_logged(on_aws: Synthesis) -> None:
    [stage] = on_aws.resources("AWS::ApiGateway::Stage").values()
    properties = stage["Properties"]
    assert properties["TracingEnabled"] is True
    assert properties["AccessLogSetting"]["DestinationArn"]
    [settings] = properties["MethodSettings"]
    assert settings["ThrottlingRateLimit"] > 0 and settings["ThrottlingBurstLimit"] > 0
    assert settings["LoggingLevel"] == "ERROR"


def test_prod_puts_a_firewall_in_front_of_the_api(kafka: Synthesis, eventbridge: Synthesis) -> None:
    assert len(kafka.resources("AWS::WAFv2::WebACLAssociation")) == 1  # the prod synthesis
    assert not eventbridge.resources("AWS::WAFv2::WebACLAssociation")  # dev


# Consumers


def test_every_queue_has_a_dead_letter_queue(any_synthesis: Synthesis) -> None:
    queues = any_synthesis.resources("AWS::SQS::Queue")
    mappings = any_synthesis.resources("AWS::Lambda::EventSourceMapping").values()
    dead_letter_targets = set()
    for queue in queues.values():
        redrive = queue["Properties"].get("RedrivePolicy")
        if redrive:
            assert redrive["maxReceiveCount"] == MAX_RECEIVE_COUNT
            dead_letter_targets |= _get_att_targets(redrive["deadLetterTargetArn"])
    for mapping in mappings:
        on_failure = mapping["Properties"].get("DestinationConfig", {}).get("OnFailure", {})
        dead_letter_targets |= _get_att_targets(on_failure.get("Destination", {}))
    for logical_id, queue in queues.items():
        assert logical_id in dead_letter_targets or "RedrivePolicy" in queue["Properties"], logical_id
    assert len(dead_letter_targets) == len(inventory.consumers())


def test_every_consumer_has_its_event_source_on_eventbridge(eventbridge: Synthesis) -> None:
    function_ids = _function_ids_by_handler(eventbridge)
    mappings = eventbridge.resources("AWS::Lambda::EventSourceMapping").values()
    rules = eventbridge.resources("AWS::Events::Rule", "Consumers").values()
    queues = eventbridge.resources("AWS::SQS::Queue", "Consumers")
    for spec in inventory.consumers():
        [mapping] = [m for m in mappings if m["Properties"]["FunctionName"] == {"Ref": function_ids[spec.handler]}]
        assert mapping["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
        [queue_id] = _get_att_targets(mapping["Properties"]["EventSourceArn"])
        assert "RedrivePolicy" in queues[queue_id]["Properties"]
        [rule] = [r for r in rules if queue_id in _get_att_targets(r["Properties"]["Targets"])]
        assert rule["Properties"]["EventPattern"] == {"detail-type": spec.subscription.event_types}


def test_every_consumer_has_its_event_sources_on_kafka(kafka: Synthesis) -> None:
    function_ids = _function_ids_by_handler(kafka)
    mappings = kafka.resources("AWS::Lambda::EventSourceMapping").values()
    for spec in inventory.consumers():
        mine = [
            m["Properties"] for m in mappings if m["Properties"]["FunctionName"] == {"Ref": function_ids[spec.handler]}
        ]
        # Only the topics of the contexts that publish its event types.
        assert sorted(topic for m in mine for topic in m["Topics"]) == topics_carrying(spec.subscription.event_types)
        for mapping in mine:
            [criteria] = mapping["FilterCriteria"]["Filters"]
            assert json.loads(criteria["Pattern"]) == {"value": {"type": spec.subscription.event_types}}
            assert mapping["DestinationConfig"]["OnFailure"]["Destination"]
            assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
            assert mapping["MaximumRetryAttempts"] == MAX_RECEIVE_COUNT - 1
            assert mapping["ProvisionedPollerConfig"]["PollerGroupName"].startswith("cryptotalks-prod-")
    [cluster] = kafka.resources("AWS::MSK::ServerlessCluster").values()
    assert cluster["Properties"]["ClientAuthentication"] == {"Sasl": {"Iam": {"Enabled": True}}}
    [topics] = kafka.resources("Custom::KafkaTopics").values()
    assert topics["Properties"]["Topics"] == [topic_of(c) for c in inventory.contexts()]
    for function in kafka.python_functions().values():
        environment = _environment(function)
        assert environment["EVENT_BUS"] == "kafka"
        assert environment["KAFKA_BOOTSTRAP_SERVERS"]
        assert environment["KAFKA_AUTH"] == "iam"


def test_kafka_maps_each_consumer_to_its_publishers_topics_only(kafka: Synthesis) -> None:
    """A provisioned mapping costs its pollers whether or not an event comes (75 when every consumer read every
    topic): one per consumer and topic of a context that publishes one of its event types."""
    published = publishers()
    expected = sum(
        len({context for event_type in spec.subscription.event_types for context in published[event_type]})
        for spec in inventory.consumers()
    )
    assert len(kafka.resources("AWS::Lambda::EventSourceMapping")) == expected
    assert expected < len(inventory.consumers()) * len(publishing_contexts())


# Jobs


def test_every_scheduled_job_runs_at_its_declared_rate(any_synthesis: Synthesis) -> None:
    function_ids = _function_ids_by_handler(any_synthesis)
    rules = any_synthesis.resources("AWS::Events::Rule", "Jobs").values()
    for spec in inventory.jobs():
        targeting = [r for r in rules if function_ids[spec.handler] in _get_att_targets(r["Properties"]["Targets"])]
        if spec.job.schedule is None:
            assert targeting == []
        else:
            assert [r["Properties"]["ScheduleExpression"] for r in targeting] == [spec.job.schedule]


def test_migrations_run_on_deploy(any_synthesis: Synthesis) -> None:
    migrate = _function_ids_by_handler(any_synthesis)["functions.jobs.migrate.handler"]
    [trigger] = any_synthesis.resources("Custom::Trigger").values()
    # The trigger runs the function's current version, so a new version (code or layer) runs it again.
    version = any_synthesis.resources("AWS::Lambda::Version")[trigger["Properties"]["HandlerArn"]["Ref"]]
    assert version["Properties"]["FunctionName"] == {"Ref": migrate}


# Least privilege, secrets, data


def test_no_iam_statement_has_a_wildcard_action(any_synthesis: Synthesis) -> None:
    for statement in _statements(any_synthesis):
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        assert not [a for a in actions if "*" in a], statement


def test_cdks_site_deployment_reaches_only_the_site_bucket_and_the_assets(on_aws: Synthesis) -> None:
    [site_bucket] = [i for i in on_aws.resources("AWS::S3::Bucket", "Parent") if i.startswith("SiteFiles")]
    statements = _statements(on_aws, of_site_deployment=True)
    assert statements
    for statement in statements:
        resources = json.dumps(statement["Resource"])
        if set(statement["Action"]) == {"cloudfront:CreateInvalidation", "cloudfront:GetInvalidation"}:
            continue  # they take no resource narrower than `*`
        assert site_bucket in resources or "cdk-hnb659fds-assets-" in resources, statement


def test_each_function_has_its_own_role(any_synthesis: Synthesis) -> None:
    roles = [json.dumps(f["Properties"]["Role"]) for f in any_synthesis.python_functions().values()]
    assert len(set(roles)) == len(roles)


def test_each_function_gets_exactly_the_secrets_and_bucket_its_declaration_uses(on_aws: Synthesis) -> None:
    """What a declaration says it uses (`uses=`; tests/unit/test_uses.py checks that against its code) is what its
    function is granted, besides the signing key every function reads: no secret or bucket goes to the others."""
    specs = {spec.handler: spec for spec in inventory.every_function()}
    avatar_writers = 0
    for function in on_aws.python_functions().values():
        spec = specs[function["Properties"]["Handler"]]
        environment = _environment(function)
        granted = {name.removesuffix("_SECRET_ARN") for name in environment if name.endswith("_SECRET_ARN")}
        declared = {SECRET_OF_USE[use] for use in spec.uses if use in SECRET_OF_USE}
        assert granted == {secrets.JWT_SECRET} | declared, spec.function_id
        assert ("AVATARS_BUCKET" in environment) == (Uses.AVATARS_BUCKET in spec.uses), spec.function_id
        avatar_writers += Uses.AVATARS_BUCKET in spec.uses
    # The avatars' object rights are granted as often as the bucket is declared, to those functions' roles.
    avatars = [s for s in _statements(on_aws) if "s3:PutObject" in s["Action"] and "avatars" in json.dumps(s)]
    assert len(avatars) == avatar_writers > 0
    # Every use is granted as something, and each is declared by some function: no grant goes unused.
    assert set(SECRET_OF_USE) | {Uses.AVATARS_BUCKET} == set(Uses)
    assert {use for spec in inventory.every_function() for use in spec.uses} == set(Uses)


def test_plain_third_party_settings_go_with_their_secrets(kafka: Synthesis) -> None:
    for function in kafka.python_functions().values():
        environment = _environment(function)
        uses_twilio = "TWILIO_AUTH_TOKEN_SECRET_ARN" in environment
        assert ("TWILIO_ACCOUNT_SID" in environment) == ("TWILIO_FROM" in environment) == uses_twilio
        assert ("MAIL_FROM" in environment) == ("SENDGRID_API_KEY_SECRET_ARN" in environment)
        assert environment["SECRETS_VERSION"] == "2"


def test_moderation_settings_go_to_the_posts_functions_only(kafka: Synthesis, eventbridge: Synthesis) -> None:
    given = {"MODERATION_AUTO_HIDE_REPORTERS": "5", "NEW_ACCOUNT_WRITES_PER_HOUR": "4"}
    for function in kafka.python_functions().values():
        environment = _environment(function)
        mine = {name: environment[name] for name in given if name in environment}
        assert mine == (given if environment["POWERTOOLS_SERVICE_NAME"] == "posts" else {})
    for function in eventbridge.python_functions().values():
        assert "MODERATION_AUTO_HIDE_REPORTERS" not in _environment(function)


def test_a_moderation_setting_that_is_not_a_number_is_refused_at_synth() -> None:
    with pytest.raises(ValueError, match="newAccountHours takes a number"):
        DeploySettings.from_context({"newAccountHours": "a day"}.get)


def test_functions_reach_aurora_through_the_proxy_with_iam(on_aws: Synthesis) -> None:
    [proxy] = on_aws.resources("AWS::RDS::DBProxy").values()
    assert proxy["Properties"]["RequireTLS"] is True
    assert proxy["Properties"]["Auth"][0]["IAMAuth"] == "REQUIRED"
    [cluster] = on_aws.resources("AWS::RDS::DBCluster").values()
    assert cluster["Properties"]["StorageEncrypted"] is True
    assert cluster["Properties"]["ServerlessV2ScalingConfiguration"]["MinCapacity"] >= 0.5
    for function in on_aws.python_functions().values():
        assert "DATABASE_IAM_URL" in _environment(function)
        assert function["Properties"]["VpcConfig"]["SubnetIds"]
    connects = [s for s in _statements(on_aws) if s["Action"] == "rds-db:connect"]
    assert len(connects) == len(on_aws.python_functions())


def test_avatars_bucket_is_private_encrypted_and_tls_only(any_synthesis: Synthesis) -> None:
    buckets = any_synthesis.resources("AWS::S3::Bucket")
    [avatars_id] = [i for i in buckets if "Avatars" in i]
    avatars = buckets[avatars_id]["Properties"]
    assert avatars["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert avatars["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    [policy] = [
        p
        for p in any_synthesis.resources("AWS::S3::BucketPolicy").values()
        if p["Properties"]["Bucket"] == {"Ref": avatars_id}
    ]
    denies = [s for s in policy["Properties"]["PolicyDocument"]["Statement"] if s["Effect"] == "Deny"]
    assert any(s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}} for s in denies)


# Operations


def _watched(alarm: dict[str, Any]) -> list[dict[str, Any]]:
    """The metrics an alarm watches (`MetricName` and `Dimensions`), whichever form CDK wrote it in."""
    if "MetricName" in alarm:
        return [{"MetricName": alarm["MetricName"], "Dimensions": alarm.get("Dimensions", [])}]
    return [
        {"MetricName": q["MetricStat"]["Metric"]["MetricName"], "Dimensions": q["MetricStat"]["Metric"]["Dimensions"]}
        for q in alarm["Metrics"]
        if "MetricStat" in q
    ]


def test_alarms_watch_5xx_dead_letters_throttles_and_the_coin_sync(any_synthesis: Synthesis) -> None:
    alarms = {
        a["Properties"]["AlarmName"]: a["Properties"]
        for a in any_synthesis.resources("AWS::CloudWatch::Alarm").values()
    }
    prefix = any_synthesis.stack.settings.prefix
    [api_errors] = _watched(alarms[f"{prefix}-api-5xx-rate"])
    assert api_errors["MetricName"] == "5XXError"
    assert [m["MetricName"] for m in _watched(alarms[f"{prefix}-lambda-throttles"])] == ["Throttles"]
    for spec in inventory.consumers():
        alarm = alarms[f"{prefix}-{spec.function_id}-dead-letters"]
        [dead] = _watched(alarm)
        assert dead["Dimensions"] == [{"Name": "QueueName", "Value": f"{spec.physical_name(prefix)}-dlq"}]
        assert (alarm["ComparisonOperator"], alarm["Threshold"]) == ("GreaterThanThreshold", 0)
    if any(spec.function_id == inventory.SYNC_JOB for spec in inventory.jobs()):
        watched = {m["MetricName"] for m in _watched(alarms[f"{prefix}-coin-sync-failed"])}
        assert watched == {SYNC_FAILED_METRIC, "Errors"}
    for alarm in alarms.values():
        assert alarm["AlarmActions"]
    [dashboard] = any_synthesis.resources("AWS::CloudWatch::Dashboard").values()
    body = json.dumps(dashboard["Properties"]["DashboardBody"])
    for spec in inventory.every_function():
        assert spec.physical_name(prefix) in body


def _dashboard_metrics(synthesis: Synthesis) -> list[list[str]]:
    """The metrics the dashboard graphs, each as [namespace, name, dimension name, value, ...]."""
    [dashboard] = synthesis.resources("AWS::CloudWatch::Dashboard").values()
    body = dashboard["Properties"]["DashboardBody"]
    # CDK joins the body's JSON with the tokens it holds (the region); none sits inside a metric's names.
    text = "".join(p if isinstance(p, str) else "0" for p in body["Fn::Join"][1]) if "Fn::Join" in body else body
    widgets = json.loads(text)["widgets"]
    return [
        [part for part in metric if isinstance(part, str) and part != "."]
        for widget in widgets
        for metric in widget.get("properties", {}).get("metrics", [])
    ]


def test_the_codes_own_metrics_are_graphed_and_watched(any_synthesis: Synthesis) -> None:
    prefix = any_synthesis.stack.settings.prefix
    alarms = {
        a["Properties"]["AlarmName"]: a["Properties"]
        for a in any_synthesis.resources("AWS::CloudWatch::Alarm").values()
    }
    api_contexts = sorted({spec.context for spec in inventory.endpoints()})
    consumer_contexts = sorted({spec.context for spec in inventory.consumers()})
    [relay] = [spec for spec in inventory.jobs() if spec.declaration is outbox_relay.job]
    graphed = _dashboard_metrics(any_synthesis)
    for name, contexts in [
        (UNHANDLED_ERRORS_METRIC, api_contexts),
        (EVENTS_CONSUMED_METRIC, consumer_contexts),
        (outbox_relay.RELAYED_METRIC, [relay.context]),
        (outbox_relay.AGE_METRIC, [relay.context]),
    ]:
        assert sorted(m[-1] for m in graphed if m[:3] == ["Cryptotalks", name, "service"]) == contexts, name

    unhandled = alarms[f"{prefix}-unhandled-errors"]
    assert {m["MetricName"] for m in _watched(unhandled)} == {UNHANDLED_ERRORS_METRIC}
    assert sorted(m["Dimensions"][0]["Value"] for m in _watched(unhandled)) == api_contexts
    assert (unhandled["ComparisonOperator"], unhandled["Threshold"]) == ("GreaterThanOrEqualToThreshold", 1)
    outbox_age = alarms[f"{prefix}-outbox-age"]
    assert _watched(outbox_age) == [
        {"MetricName": outbox_relay.AGE_METRIC, "Dimensions": [{"Name": "service", "Value": relay.context}]}
    ]
    assert '"Namespace": "Cryptotalks"' in json.dumps(outbox_age)
    # Both go where the other alarms go.
    topic = alarms[f"{prefix}-api-5xx-rate"]["AlarmActions"]
    assert unhandled["AlarmActions"] == outbox_age["AlarmActions"] == topic


def test_every_template_fits_within_cloudformation_limits(any_synthesis: Synthesis) -> None:
    for name, template in any_synthesis.templates.items():
        body = template.to_json()
        assert len(body["Resources"]) <= 500, name
        assert len(body.get("Parameters", {})) <= 200, name
        assert len(body.get("Outputs", {})) <= 200, name


def _preflights(synthesis: Synthesis) -> list[dict[str, Any]]:
    methods = synthesis.resources("AWS::ApiGateway::Method", "Api").values()
    return [m for m in methods if m["Properties"]["HttpMethod"] == "OPTIONS"]


def test_a_client_on_another_origin_may_call_the_api_when_one_is_given(kafka: Synthesis) -> None:
    origin = kafka.stack.settings.web_origin
    assert origin
    assert len(_preflights(kafka)) == len({path for spec in inventory.endpoints() for path in spec.endpoint.paths})
    for response in kafka.resources("AWS::ApiGateway::GatewayResponse").values():
        headers = response["Properties"]["ResponseParameters"]
        assert headers["gatewayresponse.header.Access-Control-Allow-Origin"] == f"'{origin}'"
        assert headers["gatewayresponse.header.Access-Control-Allow-Credentials"] == "'true'"
    assert all(_environment(f)["WEB_ORIGIN"] == origin for f in kafka.python_functions().values())


def test_without_another_origin_the_api_answers_no_cors(eventbridge: Synthesis) -> None:
    # The site and the API share CloudFront's origin.
    assert not _preflights(eventbridge)
    for response in eventbridge.resources("AWS::ApiGateway::GatewayResponse").values():
        assert not [h for h in response["Properties"]["ResponseParameters"] if "Access-Control" in h]
    assert not any("WEB_ORIGIN" in _environment(f) for f in eventbridge.python_functions().values())
    for bucket in eventbridge.resources("AWS::S3::Bucket").values():
        assert "CorsConfiguration" not in bucket["Properties"]


# cdk-nag


def test_cdk_nag_finds_nothing_unacknowledged(any_synthesis: Synthesis) -> None:
    report = any_synthesis.validation_report()
    assert [p["conclusion"] for p in report["pluginReports"]] == ["success"]


def test_every_acknowledgement_gives_its_reason(any_synthesis: Synthesis) -> None:
    acknowledged = {}
    for construct in any_synthesis.stack.node.find_all():
        for entry in construct.node.metadata:
            if entry.type == Validations.ACKNOWLEDGED_RULES_METADATA_KEY:
                acknowledged.update({k: v for k, v in entry.data.items() if "AwsSolutions-" in k})
    assert acknowledged
    for rule, reason in acknowledged.items():
        assert len(reason) >= 40, rule


# LocalStack


def test_localstack_settings_leave_out_what_its_community_edition_lacks(localstack: Synthesis) -> None:
    for missing in ("AWS::RDS::DBCluster", "AWS::RDS::DBProxy", "AWS::EC2::VPC", "AWS::Lambda::LayerVersion"):
        assert not localstack.resources(missing)
    for function in localstack.python_functions().values():
        assert "Layers" not in function["Properties"]
        assert "VpcConfig" not in function["Properties"]
        assert "DATABASE_URL_SECRET_ARN" in _environment(function)


@pytest.mark.parametrize("context", [{"target": "localstack", "bus": "kafka"}, {"stage": "staging"}])
def test_settings_refuse_what_cannot_be_deployed(context: dict[str, str]) -> None:
    from infra_cdk.settings import DeploySettings

    with pytest.raises(ValueError):
        DeploySettings.from_context(context.get)
