"""moto's EventBridge and SQS, fast enough for thousands of events in the local runtime and the tests.

moto computes things again and again that do not change or that it could read directly; each fix here keeps
moto's answers as they are:
- EventBridge compiles the same JSONPath expressions (its default input paths) for every event it delivers to
  every target, about 20 ms each: the compiled expressions are kept.
- SQS reads a queue's retention period, for every message it receives, through the queue's whole attribute set,
  which counts the queue's messages one by one: a receive of 10 from a queue of 3,000 took seconds. It is read
  from the queue instead.
- SQS tells the time for each message it looks at, and EventBridge twice for each rule of the bus for each event it
  is put, through a datetime round trip (about 8 µs): `time.time()`.
- Its server finds the service of every request by listing moto's package folder and trying hundreds of URL
  patterns, under a lock: the answer for a host is kept.
- EventBridge matches each event against each rule of the bus after a JSON round trip of the event, which is JSON
  already: it is matched as it is. And for each rule it deep-copies its template of an event message, whose
  values are strings and two empty containers: copied as that.
- Every call lists the public methods of its service's response class with `inspect`, and turns its action's name,
  and SQS each attribute name of a queue it reads, into snake case character by character: the answers are kept.
Each is skipped if moto's code is no longer shaped as expected.
"""

from __future__ import annotations

import functools
import importlib
import time
from typing import Any


def speed_up_moto() -> None:
    _remember("jsonpath_ng.ext", "parse")
    _read_retention_from_the_queue()
    for module in ("moto.sqs.models", "moto.events.models"):
        _tell_time_directly(module)
    _remember_backends_by_host()
    _remember("moto.core.responses", "method_names_from_class")
    for module in ("moto.core.responses", "moto.sqs.models"):
        _remember(module, "camelcase_to_underscores")
    _match_events_as_they_are()
    _copy_the_event_template_plainly()


def _remember(module_name: str, function_name: str) -> None:
    """Where the module calls the function (pure, and called with a few distinct arguments), it answers from a cache."""
    module = importlib.import_module(module_name)
    original = getattr(module, function_name, None)
    if original is not None and not hasattr(original, "cache_info"):
        setattr(module, function_name, functools.lru_cache(maxsize=1024)(original))


def _read_retention_from_the_queue() -> None:
    from moto.sqs.models import SQSBackend

    def retained(backend: Any, queue_name: str, message: Any) -> bool:
        retention_seconds = int(backend.get_queue(queue_name).message_retention_period)
        return bool(retention_seconds + message.sent_timestamp / 1000 > time.time())

    if hasattr(SQSBackend, "is_message_valid_based_on_retention_period"):
        SQSBackend.is_message_valid_based_on_retention_period = retained  # type: ignore[assignment,method-assign]


def _tell_time_directly(module_name: str) -> None:
    models: Any = importlib.import_module(module_name)
    original_seconds, original_millis = getattr(models, "unix_time", None), getattr(models, "unix_time_millis", None)
    if original_seconds is None or original_millis is None or hasattr(original_seconds, "__wrapped__"):
        return

    @functools.wraps(original_seconds)
    def unix_time(moment: Any = None) -> float:
        return time.time() if moment is None else float(original_seconds(moment))

    @functools.wraps(original_millis)
    def unix_time_millis(moment: Any = None) -> float:
        return time.time() * 1000.0 if moment is None else float(original_millis(moment))

    models.unix_time, models.unix_time_millis = unix_time, unix_time_millis


def _remember_backends_by_host() -> None:
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    original = DomainDispatcherApplication.get_backend_for_host
    if not hasattr(original, "cache_info"):
        # Keyed by the application and the host: one application, and the hosts its clients name (a few services).
        DomainDispatcherApplication.get_backend_for_host = functools.lru_cache(maxsize=1024)(original)  # type: ignore[method-assign]


def _match_events_as_they_are() -> None:
    from moto.events.models import EventPattern

    if not all(hasattr(EventPattern, name) for name in ("matches_event", "_flatten_dict", "_does_event_match")):
        return

    def matches_event(pattern: Any, event: Any) -> bool:
        return not pattern._pattern or bool(pattern._does_event_match(pattern._flatten_dict(event), pattern._pattern))

    EventPattern.matches_event = matches_event  # type: ignore[assignment,method-assign]


class _EventTemplate(dict[str, Any]):
    """moto's template of an event message: its values are strings, an empty list and an empty dict."""

    def __deepcopy__(self, _memo: Any) -> dict[str, Any]:
        return {key: value.copy() if isinstance(value, list | dict) else value for key, value in self.items()}


def _copy_the_event_template_plainly() -> None:
    from moto.events import models

    template = getattr(models, "_BASE_EVENT_MESSAGE", None)
    if not isinstance(template, dict) or isinstance(template, _EventTemplate):
        return
    if all(isinstance(value, str) or value in ([], {}) for value in template.values()):
        models._BASE_EVENT_MESSAGE = _EventTemplate(template)  # type: ignore[assignment]
