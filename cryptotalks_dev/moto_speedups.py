"""moto's EventBridge and SQS, fast enough for thousands of events in the local runtime and the tests.

moto computes things again and again that do not change or that it could read directly; each fix here keeps
moto's answers as they are:
- EventBridge compiles the same JSONPath expressions (its default input paths) for every event it delivers to
  every target, about 20 ms each: the compiled expressions are kept.
- SQS reads a queue's retention period, for every message it receives, through the queue's whole attribute set,
  which counts the queue's messages one by one: a receive of 10 from a queue of 3,000 took seconds. It is read
  from the queue instead.
- SQS tells the time for each message it looks at through a datetime round trip (about 8 µs): `time.time()`.
Each is skipped if moto's code is no longer shaped as expected.
"""

from __future__ import annotations

import functools
import time
from typing import Any


def speed_up_moto() -> None:
    _remember_jsonpath_parsing()
    _read_retention_from_the_queue()
    _tell_time_directly()


def _remember_jsonpath_parsing() -> None:
    import jsonpath_ng.ext

    if not hasattr(jsonpath_ng.ext.parse, "cache_info"):
        jsonpath_ng.ext.parse = functools.lru_cache(maxsize=256)(jsonpath_ng.ext.parse)


def _read_retention_from_the_queue() -> None:
    from moto.sqs.models import SQSBackend

    def retained(backend: Any, queue_name: str, message: Any) -> bool:
        retention_seconds = int(backend.get_queue(queue_name).message_retention_period)
        return bool(retention_seconds + message.sent_timestamp / 1000 > time.time())

    if hasattr(SQSBackend, "is_message_valid_based_on_retention_period"):
        SQSBackend.is_message_valid_based_on_retention_period = retained  # type: ignore[assignment,method-assign]


def _tell_time_directly() -> None:
    from moto.sqs import models

    original_seconds, original_millis = getattr(models, "unix_time", None), getattr(models, "unix_time_millis", None)
    if original_seconds is None or original_millis is None or hasattr(original_seconds, "__wrapped__"):
        return

    @functools.wraps(original_seconds)
    def unix_time(moment: Any = None) -> float:
        return time.time() if moment is None else float(original_seconds(moment))

    @functools.wraps(original_millis)
    def unix_time_millis(moment: Any = None) -> float:
        return time.time() * 1000.0 if moment is None else float(original_millis(moment))

    models.unix_time, models.unix_time_millis = unix_time, unix_time_millis  # type: ignore[assignment]
