"""A Lambda context object for functions invoked in-process."""

from __future__ import annotations

import time
import uuid

from aws_lambda_powertools.utilities.typing import LambdaContext

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"


class LocalLambdaContext(LambdaContext):
    def __init__(self, function_name: str, memory_limit_in_mb: int = 256, timeout_seconds: int = 30) -> None:
        self._function_name = function_name
        self._function_version = "$LATEST"
        self._invoked_function_arn = f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{function_name}"
        self._memory_limit_in_mb = memory_limit_in_mb
        self._aws_request_id = str(uuid.uuid4())
        self._log_group_name = f"/aws/lambda/{function_name}"
        self._log_stream_name = "local"
        self._deadline = time.monotonic() + timeout_seconds

    def get_remaining_time_in_millis(self) -> int:  # type: ignore[override]  # static in the stub, not on AWS
        return max(0, int((self._deadline - time.monotonic()) * 1000))
