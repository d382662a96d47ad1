"""The LocalStack target and files: what can be checked without LocalStack (the compose file parses and holds what
the README promises; the Kafka init creates the topics the stack creates on MSK; the stack's LocalStack settings;
the mail sink, the LocalStack patch). `make localstack-smoke` deploys it to LocalStack 1.4 and runs the e2e
tests against the deployed API."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import requests
import yaml

from cryptotalks.events.kafka import topic_of
from cryptotalks.http import Auth
from cryptotalks.notifications.email import Email, SendGridSender
from infra_cdk import inventory
from infra_cdk.bundling import PROVIDED_BY_THE_RUNTIME, _uninstall, requirement_name
from infra_cdk.settings import LocalStackSettings
from infra_cdk.stack import LOCALSTACK_LEAVES_OUT
from tests.infra.synthesis import Synthesis

LOCALSTACK = Path(__file__).resolve().parents[2] / "localstack"


def _script(name: str) -> ModuleType:
    """A script of localstack/ (not a package: `localstack` is LocalStack's own package name)."""
    spec = importlib.util.spec_from_file_location(f"localstack_{name}", LOCALSTACK / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _environment(function: dict[str, Any]) -> dict[str, Any]:
    return dict(function["Properties"]["Environment"]["Variables"])


def test_compose_file_parses_and_runs_localstack_postgres_and_kafka() -> None:
    compose = yaml.safe_load((LOCALSTACK / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"localstack", "postgres", "kafka", "kafka-topics"} <= set(services)
    assert services["localstack"]["image"].startswith("localstack/localstack:")
    assert "/var/run/docker.sock:/var/run/docker.sock" in services["localstack"]["volumes"]
    for name, service in services.items():
        assert service["networks"] == ["cryptotalks"], name
        for dependency in service.get("depends_on", {}):
            assert dependency in services
    assert compose["networks"]["cryptotalks"]["name"] == services["localstack"]["environment"]["LAMBDA_DOCKER_NETWORK"]


def test_functions_on_localstack_reach_the_compose_database_by_default() -> None:
    postgres = yaml.safe_load((LOCALSTACK / "docker-compose.yml").read_text())["services"]["postgres"]["environment"]
    expected = f"postgresql://{postgres['POSTGRES_USER']}:{postgres['POSTGRES_PASSWORD']}@postgres:5432/{postgres['POSTGRES_DB']}"
    assert expected == LocalStackSettings().database_url


def test_kafka_init_creates_the_topic_of_every_context() -> None:
    script = (LOCALSTACK / "init" / "kafka-topics.sh").read_text()
    [contexts] = re.findall(r"for context in ([a-z ]+); do", script)
    assert sorted(topic_of(c) for c in contexts.split()) == sorted(topic_of(c) for c in inventory.contexts())


def test_cdklocal_environment_points_at_localstack_with_path_style_s3() -> None:
    lines = (LOCALSTACK / "cdklocal.env").read_text().splitlines()
    environment = dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))
    assert environment["AWS_ENDPOINT_URL"] == "http://localhost:4566"
    # aws-cdk-local 3 refuses AWS_ENDPOINT_URL alone; a loopback S3 endpoint takes path-style addressing.
    assert environment["AWS_ENDPOINT_URL_S3"] == environment["AWS_ENDPOINT_URL"]
    assert environment["AWS_S3_FORCE_PATH_STYLE"] == environment["CDK_S3_FORCE_PATH_STYLE"] == "1"
    assert environment["CDK_DEFAULT_ACCOUNT"] == "000000000000"


# The stack's LocalStack settings (the default synthesis and one with the smoke test's settings)


@pytest.fixture(scope="module")
def smoke_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synthesis]:
    from tests.infra.synthesis import synthesise

    context = {
        "target": "localstack",
        "localstackUrl": "http://127.0.0.1:4599",
        "localstackDatabaseUrl": "postgresql://postgres@127.0.0.1:5432/smoke",
        "localstackPythonVersion": "3.11",
        "localstackSendgridHost": "http://127.0.0.1:4598",
    }
    yield synthesise(context, tmp_path_factory.mktemp("cdk-localstack-smoke"))


def test_signed_in_routes_have_no_authorizer_on_localstack(localstack: Synthesis) -> None:
    assert not localstack.resources("AWS::ApiGateway::Authorizer")
    methods = [m["Properties"] for m in localstack.resources("AWS::ApiGateway::Method").values()]
    assert {m["AuthorizationType"] for m in methods} == {"NONE"}
    signed_in = [spec for spec in inventory.endpoints() if spec.endpoint.auth is Auth.SIGNED_IN]
    assert signed_in  # their functions check the token (tests/unit: the caller without the authorizer)


def test_bodies_are_left_to_the_functions_on_localstack(localstack: Synthesis, eventbridge: Synthesis) -> None:
    [validator] = localstack.resources("AWS::ApiGateway::RequestValidator").values()
    assert validator["Properties"]["ValidateRequestBody"] is False
    assert validator["Properties"]["ValidateRequestParameters"] is True
    [on_aws] = eventbridge.resources("AWS::ApiGateway::RequestValidator").values()
    assert on_aws["Properties"]["ValidateRequestBody"] is True  # unchanged on AWS (no models: no effect)


def test_localstack_defaults_reach_the_compose_localstack(localstack: Synthesis) -> None:
    for function in localstack.python_functions().values():
        assert function["Properties"]["Runtime"] == "python3.12"
        if function["Properties"]["Handler"].startswith("functions.api."):
            assert function["Properties"]["Timeout"] == 29  # every call a cold start there
        assert _environment(function)["AWS_ENDPOINT_URL"] == "http://localhost.localstack.cloud:4566"
        assert "SENDGRID_HOST" not in _environment(function)
    output = json.dumps(localstack.templates["Parent"].to_json()["Outputs"]["ApiUrl"])
    assert "http://localhost.localstack.cloud:4566/restapis/" in output and "/dev/_user_request_" in output


def test_the_smoke_tests_settings_reach_the_functions(smoke_settings: Synthesis) -> None:
    functions = smoke_settings.python_functions().values()
    for function in functions:
        environment = _environment(function)
        assert function["Properties"]["Runtime"] == "python3.11"
        assert environment["AWS_ENDPOINT_URL"] == "http://127.0.0.1:4599"
        assert "COINRANKING_API_KEY_SECRET_ARN" not in environment  # offline: the bundled snapshot
        assert ("SENDGRID_HOST" in environment) == ("SENDGRID_API_KEY_SECRET_ARN" in environment)
        assert "DATABASE_URL_SECRET_ARN" in environment
    [database_url] = [
        s["Properties"]["SecretString"]
        for s in smoke_settings.resources("AWS::SecretsManager::Secret").values()
        if s["Properties"]["Name"].endswith("/database-url")
    ]
    assert database_url == "postgresql://postgres@127.0.0.1:5432/smoke"
    assert any("SENDGRID_HOST" in _environment(f) for f in functions)


def test_the_lean_asset_leaves_out_what_localstack_does_not_use() -> None:
    requirements = {requirement_name(r) for r in inventory_requirements()}
    assert set(LOCALSTACK_LEAVES_OUT) <= requirements  # names that still match pyproject's
    assert {"boto3", "botocore"} <= set(PROVIDED_BY_THE_RUNTIME)
    assert requirement_name("confluent-kafka>=2.6,<3  # note") == "confluent-kafka"
    assert requirement_name("aws-lambda-powertools[tracer]>=3.20,<4") == "aws-lambda-powertools"


def inventory_requirements() -> list[str]:
    from infra_cdk.bundling import layer_requirements

    return layer_requirements()


def test_uninstall_removes_a_distribution_by_its_record(tmp_path: Path) -> None:
    (tmp_path / "botocore" / "data").mkdir(parents=True)
    (tmp_path / "botocore" / "data" / "x.json").write_text("{}")
    (tmp_path / "botocore" / "__init__.py").write_text("")
    info = tmp_path / "botocore-1.35.0.dist-info"
    info.mkdir()
    (info / "RECORD").write_text("botocore/__init__.py,,\nbotocore/data/x.json,,\nbotocore-1.35.0.dist-info/RECORD,,\n")
    (tmp_path / "boto3_keep").mkdir()
    (tmp_path / "boto3_keep" / "a.py").write_text("")
    _uninstall(tmp_path, "botocore")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["boto3_keep"]


# The mail sink and the LocalStack patch


@pytest.fixture
def mail_sink() -> Iterator[Any]:
    sink = _script("mail_sink").MailSink("127.0.0.1", 0)
    thread = threading.Thread(target=sink.serve_forever, daemon=True)
    thread.start()
    yield sink
    sink.shutdown()
    sink.server_close()


def test_the_mail_sink_takes_sendgrids_requests_and_lists_them_like_the_dev_mailbox(mail_sink: Any) -> None:
    email = Email(to="satoshi@example.com", subject="Hello", text="plain https://x/y", html="<p>html</p>")
    SendGridSender("SG.test", "no-reply@cryptotalks.dev", mail_sink.url).send(email)
    [kept] = requests.get(f"{mail_sink.url}/mailbox", timeout=5).json()
    assert {k: kept[k] for k in ("to", "subject", "text", "html")} == {
        "to": "satoshi@example.com",
        "subject": "Hello",
        "text": "plain https://x/y",
        "html": "<p>html</p>",
    }
    assert kept["sentAt"]
    refused = requests.post(f"{mail_sink.url}/v3/mail/send", json={"personalizations": []}, timeout=5)
    assert refused.status_code == 401  # no API key, as SendGrid


def test_the_localstack_patches_apply_once_and_refuse_other_code(tmp_path: Path) -> None:
    patcher = _script("patch_localstack")
    for patch in patcher.PATCHES:
        target = tmp_path / patch.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"before\n{patch.original}after\n")
    assert patcher.apply(tmp_path) == [patch.path for patch in patcher.PATCHES]
    for patch in patcher.PATCHES:
        assert (tmp_path / patch.path).read_text() == f"before\n{patch.patched}after\n"
    assert patcher.apply(tmp_path) == []
    (tmp_path / patcher.ONE_DATE_HEADER.path).write_text("some other release\n")
    with pytest.raises(RuntimeError, match=r"not the LocalStack 1\.4\.0 code"):
        patcher.apply(tmp_path)


def test_localstack_host_requirements_pin_what_the_probe_needed() -> None:
    lines = [line.split("#")[0].strip() for line in (LOCALSTACK / "host-requirements.txt").read_text().splitlines()]
    pins = dict(line.split("==") for line in lines if "==" in line)
    assert pins["localstack"] == "1.4.0"
    assert pins["plux"] == "1.3.1" and pins["pyOpenSSL"] == "23.0.0" and pins["cryptography"] == "39.0.1"
    assert not any(line.startswith("amazon-kclpy") for line in lines)
