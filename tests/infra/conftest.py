"""One synth per configuration, shared by every infra test: EventBridge on the dev stage, Kafka on the prod
stage (in an account and region, with the site on its own domain), and the LocalStack settings. Bundling is
skipped (CDK's `aws:cdk:bundling-stacks` = []), so no test needs the network or npm; `make synth` bundles for
real."""

from __future__ import annotations

import os

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

from collections.abc import Iterator

import pytest

from tests.infra.synthesis import Synthesis, synthesise

# The third parties' plain settings, given to the Kafka synthesis.
PLAIN_SETTINGS = {
    "twilioAccountSid": "AC00000000000000000000000000000000",
    "twilioFrom": "+15550100",
    "mailFrom": "a@b.c",
}
# The moderation settings of the posts context, given to the Kafka synthesis.
MODERATION_SETTINGS = {"moderationAutoHideReporters": 5, "newAccountWritesPerHour": "4"}


@pytest.fixture(scope="session")
def eventbridge(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synthesis]:
    yield synthesise({"stage": "dev", "bus": "eventbridge"}, tmp_path_factory.mktemp("cdk-eventbridge"))


# The site's own name, and a client on another origin allowed to call the API, given to the Kafka synthesis.
SITE = {
    "domainName": "cryptotalks.example",
    "certificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000",
    "webOrigin": "http://localhost:5173",
}
# Prod puts the site's web ACL in us-east-1, which takes a known account and region.
ACCOUNT, REGION = "123456789012", "eu-west-1"


@pytest.fixture(scope="session")
def kafka(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synthesis]:
    context = {"stage": "prod", "bus": "kafka", **PLAIN_SETTINGS, **MODERATION_SETTINGS, **SITE, "secretsVersion": "2"}
    yield synthesise(context, tmp_path_factory.mktemp("cdk-kafka"), ACCOUNT, REGION)


@pytest.fixture(scope="session")
def localstack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synthesis]:
    yield synthesise({"target": "localstack"}, tmp_path_factory.mktemp("cdk-localstack"))


@pytest.fixture(params=["eventbridge", "kafka", "localstack"])
def any_synthesis(request: pytest.FixtureRequest) -> Synthesis:
    """Each configuration in turn (each synthesised once per session)."""
    return request.getfixturevalue(request.param)


@pytest.fixture(params=["eventbridge", "kafka"])
def on_aws(request: pytest.FixtureRequest) -> Synthesis:
    return request.getfixturevalue(request.param)
