"""Powertools logger, tracer and metrics, one of each per process (service name from POWERTOOLS_SERVICE_NAME)."""

import warnings

from aws_lambda_powertools import Logger, Metrics, Tracer

# Most invocations add no metric; Powertools would warn about it on every one of them.
warnings.filterwarnings("ignore", "No application metrics to publish")

logger = Logger()
tracer = Tracer()
metrics = Metrics(namespace="Cryptotalks")
