"""Powertools logger, metrics and tracer, one of each per process (service name from POWERTOOLS_SERVICE_NAME).

The X-Ray SDK behind Powertools' Tracer creates its botocore clients at import: 250-400 ms of every cold start.
Lambda's active tracing already records each invocation (and API Gateway each request) without it, so the
SDK's subsegments are opt-in: set CRYPTOTALKS_XRAY_SUBSEGMENTS=true to wrap handlers with the Tracer.
"""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter

# Most invocations add no metric; Powertools would warn about it on every one of them.
warnings.filterwarnings("ignore", "No application metrics to publish")

MAX_LOG_LINE_BYTES = 4096
_KEPT_FRAMES = 4  # of a long stack trace, the outermost and the innermost ones
_KEPT_CHARS = 600  # of a long text, as much of its start and of its end


class BoundedFormatter(LambdaPowertoolsFormatter):
    """Powertools' JSON lines, none longer than MAX_LOG_LINE_BYTES: a runaway recursion's traceback (thousands of
    frames) or a huge value is cut in its middle, and what still does not fit leaves only the essentials."""

    def serialize(self, log: dict[str, Any]) -> str:  # type: ignore[override]
        line = super().serialize(log)
        if len(line.encode()) <= MAX_LOG_LINE_BYTES:
            return line
        line = super().serialize({key: _shortened(value) for key, value in log.items()})
        if len(line.encode()) <= MAX_LOG_LINE_BYTES:
            return line
        essentials = ("level", "location", "message", "timestamp", "service", "function_request_id", "exception")
        kept = {key: _shortened(log[key], _KEPT_CHARS // 4) for key in essentials if key in log}
        return super().serialize({**kept, "truncated": True})


def _shortened(value: Any, kept: int = _KEPT_CHARS) -> Any:
    """A long text cut in its middle, a long stack trace without its middle frames, any other long value as text."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, dict) and isinstance(value.get("frames"), list):  # Powertools' stack_trace
        frames = value["frames"]
        if len(frames) > 2 * _KEPT_FRAMES:
            skipped = {"skipped_frames": len(frames) - 2 * _KEPT_FRAMES}
            value = {**value, "frames": [*frames[:_KEPT_FRAMES], skipped, *frames[-_KEPT_FRAMES:]]}
        return {key: _shortened(inner, kept) for key, inner in value.items()}
    structured = isinstance(value, dict | list)
    text = json.dumps(value, default=str) if structured else str(value)
    if len(text) <= 2 * kept:
        return value if structured else text
    return f"{text[:kept]} [… {len(text) - 2 * kept} characters …] {text[-kept:]}"


class ThreadCorrelatedLogger(Logger):
    """Powertools' logger whose correlation id belongs to the thread that set it. On Lambda a process runs one
    invocation at a time; the local runtime runs every consumer's poller as a thread of one process, and a
    consumer must neither show another's id in its log lines nor pass it on to the events it publishes."""

    def set_correlation_id(self, value: str | None) -> None:
        self.thread_safe_append_keys(correlation_id=value)

    def get_correlation_id(self) -> str | None:
        value = self.thread_safe_get_current_keys().get("correlation_id")
        return None if value is None else str(value)


logger = ThreadCorrelatedLogger(logger_formatter=BoundedFormatter())
metrics = Metrics(namespace="Cryptotalks")

Handler = TypeVar("Handler", bound=Callable[..., Any])


def traced(handler: Handler) -> Handler:
    if os.environ.get("CRYPTOTALKS_XRAY_SUBSEGMENTS", "").lower() != "true":
        return handler
    from aws_lambda_powertools import Tracer

    return Tracer().capture_lambda_handler(handler)  # type: ignore[return-value]
