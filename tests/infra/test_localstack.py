"""The LocalStack files: what can be checked without Docker (the compose file parses and holds what the
README promises; the Kafka init creates the topics the stack creates on MSK)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from cryptotalks.events.kafka import topic_of
from infra_cdk import inventory
from infra_cdk.database import LOCALSTACK_DATABASE_URL

LOCALSTACK = Path(__file__).resolve().parents[2] / "localstack"


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


def test_functions_on_localstack_reach_the_compose_database() -> None:
    postgres = yaml.safe_load((LOCALSTACK / "docker-compose.yml").read_text())["services"]["postgres"]["environment"]
    expected = f"postgresql://{postgres['POSTGRES_USER']}:{postgres['POSTGRES_PASSWORD']}@postgres:5432/{postgres['POSTGRES_DB']}"
    assert expected == LOCALSTACK_DATABASE_URL


def test_kafka_init_creates_the_topic_of_every_context() -> None:
    script = (LOCALSTACK / "init" / "kafka-topics.sh").read_text()
    [contexts] = re.findall(r"for context in ([a-z ]+); do", script)
    assert sorted(topic_of(c) for c in contexts.split()) == sorted(topic_of(c) for c in inventory.contexts())


def test_cdklocal_environment_points_at_localstack() -> None:
    lines = (LOCALSTACK / "cdklocal.env").read_text().splitlines()
    environment = dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))
    assert environment["AWS_ENDPOINT_URL"] == "http://localhost:4566"
    assert environment["CDK_DEFAULT_ACCOUNT"] == "000000000000"
