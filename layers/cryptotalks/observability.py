"""Powertools logger, metrics and tracer, one of each per process (service name from POWERTOOLS_SERVICE_NAME).

The X-Ray SDK behind Powertools' Tracer creates its botocore clients at import: 250-400 ms of every cold start.
Lambda's active tracing already records each invocation (and API Gateway each request) without it, so the
SDK's subsegments are opt-in: set CRYPTOTALKS_XRAY_SUBSEGMENTS=true to wrap handlers with the Tracer.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

from aws_lambda_powertools import Logger, Metrics

# Most invocations add no metric; Powertools would warn about it on every one of them.
warnings.filterwarnings("ignore", "No application metrics to publish")

logger = Logger()
metrics = Metrics(namespace="Cryptotalks")

Handler = TypeVar("Handler", bound=Callable[..., Any])


def traced(handler: Handler) -> Handler:
    if os.environ.get("CRYPTOTALKS_XRAY_SUBSEGMENTS", "").lower() != "true":
        return handler
    from aws_lambda_powertools import Tracer

    return Tracer().capture_lambda_handler(handler)  # type: ignore[return-value]
