"""Bodies every endpoint shares."""

from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field


class ApiModel(BaseModel):
    """A request or response body. Built at its first use, not at import: a function uses a few of its context's
    models, and a cold start built them all (users.models alone: 21)."""

    model_config = ConfigDict(defer_build=True)


class MessageResponse(ApiModel):
    """`{"message": "success"}`; step-up answers (`two-fa-required`, …) come back in the same shape."""

    message: str = Field(examples=["success"])


class ErrorResponse(ApiModel):
    statusCode: int
    message: str = Field(description="Kebab-case error code, e.g. wrong-credentials")
    error: str


SUCCESS = MessageResponse(message="success")


class Waiting(Protocol):
    """An action that waits for something more (a second factor) and says what to answer meanwhile."""

    @property
    def message(self) -> str: ...


def success_or(waiting: Waiting | None) -> MessageResponse:
    """`success`, or what the waiting action asks for (same status: the original answered step-ups as successes)."""
    return MessageResponse(message=waiting.message) if waiting else SUCCESS
