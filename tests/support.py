"""Helpers of the tests: the API behind the local gateway, the event pipeline, the dev mailbox."""

from __future__ import annotations

import json
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptotalks.notifications.email import DevMailbox
from cryptotalks.notifications.sms import DevSmsBox
from cryptotalks_dev.aws import ConsumerQueue
from cryptotalks_dev.gateway import Gateway
from cryptotalks_dev.pollers import QueuePoller
from functions import registry

STRONG_PASSWORD = "Str0ng!pass"


class Pipeline:
    def __init__(self, queues: list[ConsumerQueue]) -> None:
        self.queues = queues
        self.pollers = [QueuePoller(queue, threading.Event(), wait_seconds=0) for queue in queues]

    def drain(self) -> int:
        """Deliver until every queue is empty; returns how many messages were handed to consumers."""
        total = 0
        while True:
            handed = sum(poller.poll_once() for poller in self.pollers)
            if not handed:
                return total
            total += handed

    def poller_of(self, function_id: str) -> QueuePoller:
        return next(p for p in self.pollers if p.queue.consumer.function_id == function_id)


@dataclass
class Answer:
    status: int
    headers: list[tuple[str, str]]
    body: Any

    def cookie(self, name: str) -> str | None:
        for header, value in self.headers:
            if header.lower() == "set-cookie" and value.startswith(f"{name}="):
                return value.split(";", 1)[0].split("=", 1)[1]
        return None

    def set_cookie_header(self, name: str) -> str:
        return next(v for h, v in self.headers if h.lower() == "set-cookie" and v.startswith(f"{name}="))


@dataclass
class Api:
    pipeline: Pipeline
    gateway: Gateway = field(init=False)

    def __post_init__(self) -> None:
        from functions.api.auth.authorizer import handler as authorizer

        self.gateway = Gateway(registry.endpoints(), authorizer)

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        token: str | None = None,
        cookie: str | None = None,
        client: str = "127.0.0.1",
    ) -> Answer:
        headers = [("Content-Type", "application/json")]
        if token:
            headers.append(("x-access-token", f"Bearer {token}"))
        if cookie:
            headers.append(("Cookie", cookie))
        raw = body if isinstance(body, bytes) else (json.dumps(body).encode() if body is not None else b"")
        response = self.gateway.handle(method, path, headers, raw, source_ip=client)
        text = response.body.decode()
        return Answer(response.status, response.headers, json.loads(text) if text else None)

    # The account slice, step by step.
    def sign_up(self, email: str, username: str, password: str = STRONG_PASSWORD, **extra: Any) -> Answer:
        body = {"email": email, "username": username, "password": password, "tac": True, **extra}
        return self.call("POST", "/api/user/sign-up", body)

    def confirmation_link_of(self, email: str) -> str:
        self.pipeline.drain()
        return confirmation_link(email)

    def signed_up_and_confirmed(self, email: str, username: str) -> None:
        assert self.sign_up(email, username).status == 201
        link = self.confirmation_link_of(email)
        assert self.call("GET", link).status == 200

    def sign_in(
        self, email: str, password: str = STRONG_PASSWORD, client: str = "127.0.0.1", **second_factor: str
    ) -> Answer:
        body = {"email": email, "password": password, **second_factor}
        return self.call("POST", "/api/user/sign-in", body, client=client)

    def signed_in_token(self, email: str, username: str) -> str:
        """A new confirmed account, signed in: its access token."""
        self.signed_up_and_confirmed(email, username)
        return str(self.sign_in(email).body["_at"])


def mailbox() -> list[dict[str, str]]:
    return DevMailbox(os.environ["CRYPTOTALKS_DEV_OUTBOX_DIR"]).messages()


def sms_box() -> list[dict[str, str]]:
    return DevSmsBox(os.environ["CRYPTOTALKS_DEV_OUTBOX_DIR"]).messages()


def latest_sms_code(phone: str) -> str:
    messages = [m for m in sms_box() if m["to"] == phone]
    assert messages, f"no SMS to {phone}"
    found = re.search(r"code: (\d{6})", messages[-1]["body"])
    assert found, messages[-1]["body"]
    return found.group(1)


def confirmation_link(email: str) -> str:
    """The API path that confirms the newest confirmation link mailed to an address (the link opens the web
    client's page, which calls it)."""
    messages = [m for m in mailbox() if m["to"] == email]
    assert messages, f"no email to {email}"
    found = re.search(r"https?://[^/]+/account-confirmation/([0-9a-f]{40})\b", messages[-1]["text"])
    assert found, messages[-1]["text"]
    return f"/api/user/account-confirmation/{found.group(1)}"


def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent
