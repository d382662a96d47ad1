"""GET JSON from a third-party API with a timeout, and retries with backoff on what may pass: a timeout, a broken
connection or body, 429, 5xx, and a body that does not parse into the expected model."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import requests
from pydantic import BaseModel, ValidationError

from cryptotalks.observability import logger, metrics

M = TypeVar("M", bound=BaseModel)
Params = dict[str, Any] | None
Check = Callable[[M], None]

_MAX_WAIT_SECONDS = 30.0


class UpstreamError(Exception):
    """The API did not give a usable answer, after retries where retrying made sense."""


def _accept(answer: BaseModel) -> None:
    pass


class _TransientError(Exception):
    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


@dataclass
class JsonApi:
    name: str  # for logs and metrics: coinranking, coingecko
    base_url: str
    headers: dict[str, str]
    timeout_seconds: float
    attempts: int
    backoff_seconds: float
    before_call: Callable[[], None] = lambda: None  # a rate limiter's wait
    session: requests.Session = field(default_factory=requests.Session)

    def get(self, path: str, model: type[M], params: Params = None, check: Check[M] = _accept) -> M:
        """The answer parsed into `model`; `check` raises ValueError when a well-formed answer is incomplete."""
        answer = self.find(path, model, params, check)
        if answer is None:
            raise UpstreamError(f"{self.name} {path}: HTTP 404")
        return answer

    def find(self, path: str, model: type[M], params: Params = None, check: Check[M] = _accept) -> M | None:
        """As `get`, but None when the API answers 404 (an unknown id)."""
        last: Exception | None = None
        for attempt in range(1, self.attempts + 1):
            try:
                answer = self._get_once(path, model, params)
                if answer is not None:
                    check(answer)
                return answer
            except (_TransientError, requests.RequestException, ValueError) as error:
                last = error
                retry_after = error.retry_after if isinstance(error, _TransientError) else None
                metrics.add_metric(name="UpstreamRetries", unit="Count", value=1)
                logger.warning(
                    "upstream call failed",
                    extra={"api": self.name, "path": path, "attempt": attempt, "reason": _reason(error)},
                )
                if attempt < self.attempts:
                    time.sleep(self._wait(attempt, retry_after))
        raise UpstreamError(f"{self.name} {path}: {_reason(last)} after {self.attempts} attempts") from last

    def _get_once(self, path: str, model: type[M], params: Params) -> M | None:
        self.before_call()
        response = self.session.get(
            f"{self.base_url}{path}", params=params, headers=self.headers, timeout=self.timeout_seconds
        )
        if response.status_code == 404:
            return None
        if response.status_code == 429 or response.status_code >= 500:
            raise _TransientError(f"HTTP {response.status_code}", _retry_after(response))
        if response.status_code >= 400:
            # A refused key or a bad request does not get better by asking again.
            raise UpstreamError(f"{self.name} {path}: HTTP {response.status_code} {response.text[:200]}")
        return model.model_validate_json(response.content)

    def _wait(self, attempt: int, retry_after: float | None) -> float:
        backoff = self.backoff_seconds * 2 ** (attempt - 1) * random.uniform(1, 1.5)  # noqa: S311 (jitter)
        return min(max(backoff, retry_after or 0), _MAX_WAIT_SECONDS)


def _retry_after(response: requests.Response) -> float | None:
    try:
        return float(response.headers.get("Retry-After", ""))
    except ValueError:
        return None


def _reason(error: Exception | None) -> str:
    if isinstance(error, ValidationError):
        return f"malformed body ({error.error_count()} errors)"
    return f"{type(error).__name__}: {error}"[:300]
