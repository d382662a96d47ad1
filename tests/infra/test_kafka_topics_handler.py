"""The Kafka topics' custom resource answers CloudFormation whatever happens (else a deploy hangs for an hour).
Its Kafka side needs MSK and is not run here; the answers are checked against a local HTTP server standing in
for CloudFormation's presigned response URL."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest

from infra_cdk.kafka_topics import handler


@pytest.fixture
def cloudformation() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    answers: list[dict[str, Any]] = []

    class ResponseUrl(BaseHTTPRequestHandler):
        def do_PUT(self) -> None:
            answers.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *_: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), ResponseUrl)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/response", answers
    server.shutdown()


def _event(request_type: str, url: str) -> dict[str, Any]:
    return {
        "RequestType": request_type,
        "ResponseURL": url,
        "StackId": "arn:aws:cloudformation:eu-west-1:123456789012:stack/cryptotalks-prod/1",
        "RequestId": "request-1",
        "LogicalResourceId": "KafkaTopicsResource",
        "ResourceProperties": {
            "ClusterArn": "arn:aws:kafka:eu-west-1:123456789012:cluster/cryptotalks-prod/uuid",
            "Topics": ["cryptotalks.users", "cryptotalks.posts"],
            "Partitions": "6",
        },
    }


def test_create_answers_the_bootstrap_servers(
    cloudformation: tuple[str, list[dict[str, Any]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, answers = cloudformation
    created: list[tuple[str, list[str], int]] = []

    def create_missing_topics(servers: str, topics: list[str], partitions: int) -> list[str]:
        created.append((servers, topics, partitions))
        return topics

    monkeypatch.setattr(handler, "bootstrap_servers", lambda arn: "b-1.example:9098,b-2.example:9098")
    monkeypatch.setattr(handler, "create_missing_topics", create_missing_topics)
    handler.handler(_event("Create", url), None)
    assert created == [("b-1.example:9098,b-2.example:9098", ["cryptotalks.users", "cryptotalks.posts"], 6)]
    [answer] = answers
    assert answer["Status"] == "SUCCESS"
    assert answer["Data"] == {"BootstrapServers": "b-1.example:9098,b-2.example:9098"}
    assert answer["PhysicalResourceId"].endswith("cluster/cryptotalks-prod/uuid")
    assert (answer["RequestId"], answer["LogicalResourceId"]) == ("request-1", "KafkaTopicsResource")


def test_a_failure_is_answered_not_left_waiting(
    cloudformation: tuple[str, list[dict[str, Any]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, answers = cloudformation

    def unreachable(arn: str) -> str:
        raise ConnectionError("brokers unreachable")

    monkeypatch.setattr(handler, "bootstrap_servers", unreachable)
    handler.handler(_event("Update", url), None)
    [answer] = answers
    assert answer["Status"] == "FAILED"
    assert "brokers unreachable" in answer["Reason"]


def test_delete_keeps_the_topics(
    cloudformation: tuple[str, list[dict[str, Any]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, answers = cloudformation
    monkeypatch.setattr(handler, "bootstrap_servers", lambda arn: pytest.fail("delete must not touch Kafka"))
    handler.handler({**_event("Delete", url), "PhysicalResourceId": "kept"}, None)
    assert [(a["Status"], a["PhysicalResourceId"]) for a in answers] == [("SUCCESS", "kept")]
