"""Bodies every endpoint shares."""

from pydantic import BaseModel, Field


class MessageResponse(BaseModel):
    """`{"message": "success"}`; step-up answers (`two-fa-required`, …) come back in the same shape."""

    message: str = Field(examples=["success"])


class ErrorResponse(BaseModel):
    statusCode: int
    message: str = Field(description="Kebab-case error code, e.g. wrong-credentials")
    error: str


SUCCESS = MessageResponse(message="success")
