"""What Lambda's SQS event source mapping does: poll a consumer's queue, invoke the consumer with a batch,
delete what succeeded and leave the reported failures for redelivery (then the dead-letter queue)."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from typing import Any

import boto3

from cryptotalks.observability import logger
from cryptotalks_dev.aws import ConsumerQueue
from cryptotalks_dev.lambda_context import REGION, LocalLambdaContext

BATCH_SIZE = 10


def sqs_event(messages: Sequence[Mapping[str, Any]], queue_arn: str) -> dict[str, Any]:
    return {
        "Records": [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": m.get("Attributes", {}),
                "messageAttributes": m.get("MessageAttributes", {}),
                "md5OfBody": m["MD5OfBody"],
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": REGION,
            }
            for m in messages
        ]
    }


class QueuePoller(threading.Thread):
    def __init__(self, queue: ConsumerQueue, stop: threading.Event, wait_seconds: int = 1) -> None:
        super().__init__(name=f"poller-{queue.consumer.function_id}", daemon=True)
        self.queue, self.stop, self.wait_seconds = queue, stop, wait_seconds
        self.sqs = boto3.client("sqs")
        self.queue_arn = self.sqs.get_queue_attributes(QueueUrl=queue.queue_url, AttributeNames=["QueueArn"])[
            "Attributes"
        ]["QueueArn"]
        self.handler = queue.consumer.handler

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                self.poll_once()
            except Exception:
                if not self.stop.is_set():
                    logger.exception("poller failed", extra={"queue": self.queue.queue_url})
                    self.stop.wait(1)

    def poll_once(self) -> int:
        messages = self.sqs.receive_message(
            QueueUrl=self.queue.queue_url,
            MaxNumberOfMessages=BATCH_SIZE,
            WaitTimeSeconds=self.wait_seconds,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if not messages:
            return 0
        context = LocalLambdaContext(self.queue.consumer.function_id)
        try:
            answer = self.handler(sqs_event(messages, self.queue_arn), context)
        except Exception:
            # A function error fails the whole batch: every message comes back after its visibility timeout.
            logger.exception("consumer failed its whole batch", extra={"consumer": context.function_name})
            return len(messages)
        failed = {f["itemIdentifier"] for f in (answer or {}).get("batchItemFailures", [])}
        done = [m for m in messages if m["MessageId"] not in failed]
        if done:
            self.sqs.delete_message_batch(
                QueueUrl=self.queue.queue_url,
                Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)],
            )
        return len(messages)
