"""HTTP endpoints: the declaration every API function makes, its models and its Lambda handler."""

from cryptotalks.http.endpoint import Auth, Endpoint
from cryptotalks.http.models import SUCCESS, ErrorResponse, MessageResponse, success_or
from cryptotalks.http.request import Caller, OptionalReader, SignedIn

__all__ = [
    "SUCCESS",
    "Auth",
    "Caller",
    "Endpoint",
    "ErrorResponse",
    "MessageResponse",
    "OptionalReader",
    "SignedIn",
    "success_or",
]
