"""CloudFormation custom resource: creates the Kafka topics on MSK Serverless, which has no CloudFormation
resource for them, and answers the cluster's IAM bootstrap servers (the functions' KAFKA_BOOTSTRAP_SERVERS).

Topics are kept on delete: they go with the cluster, and a stack update must never drop events.
"""

from __future__ import annotations

import json
import logging
import os
import urllib.request
from typing import Any

import boto3

logger = logging.getLogger()
logger.setLevel(logging.INFO)

REPLICATION_FACTOR = 3  # the only one MSK Serverless takes


def bootstrap_servers(cluster_arn: str) -> str:
    brokers = boto3.client("kafka").get_bootstrap_brokers(ClusterArn=cluster_arn)
    return str(brokers["BootstrapBrokerStringSaslIam"])


def create_missing_topics(servers: str, topics: list[str], partitions: int) -> list[str]:
    """Creates the topics that do not exist yet, one request each (the admin client raises on the first
    error of a request); returns those created now."""
    from kafka.admin import KafkaAdminClient, NewTopic  # bundled with this function only
    from kafka.errors import TopicAlreadyExistsError

    admin = KafkaAdminClient(
        bootstrap_servers=servers.split(","),
        security_protocol="SASL_SSL",
        sasl_mechanism="AWS_MSK_IAM",
        client_id="cryptotalks-topics",
    )
    created = []
    try:
        for name in topics:
            try:
                admin.create_topics([NewTopic(name, partitions, REPLICATION_FACTOR)])
            except TopicAlreadyExistsError:
                continue
            created.append(name)
    finally:
        admin.close()
    return created


def respond(event: dict[str, Any], status: str, data: dict[str, str], reason: str = "") -> None:
    body = json.dumps(
        {
            "Status": status,
            "Reason": reason[:1000] or "see the function's log",
            "PhysicalResourceId": event.get("PhysicalResourceId") or event["ResourceProperties"]["ClusterArn"],
            "StackId": event["StackId"],
            "RequestId": event["RequestId"],
            "LogicalResourceId": event["LogicalResourceId"],
            "Data": data,
        }
    ).encode()
    request = urllib.request.Request(  # noqa: S310 (CloudFormation's presigned https URL)
        event["ResponseURL"], data=body, method="PUT", headers={"Content-Type": ""}
    )
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 (same URL)
        answer.read()


def handler(event: dict[str, Any], context: Any) -> None:
    properties = event["ResourceProperties"]
    try:
        data = {}
        if event["RequestType"] != "Delete":
            servers = bootstrap_servers(properties["ClusterArn"])
            created = create_missing_topics(servers, properties["Topics"], int(properties["Partitions"]))
            logger.info("topics created: %s", created)
            data["BootstrapServers"] = servers
        respond(event, "SUCCESS", data)
    except Exception as error:
        # An answer must always go back, or CloudFormation waits an hour for it.
        logger.exception("custom resource failed")
        log_stream = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        respond(event, "FAILED", {}, f"{type(error).__name__}: {error} (log stream {log_stream})")
