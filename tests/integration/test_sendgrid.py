"""The SendGrid adapter against a local HTTP server that records the request the library really sends."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cryptotalks.notifications.email import Email, SendGridSender
from tests.stand_ins import RecordingServer, recording_server


@pytest.fixture
def sendgrid() -> Iterator[RecordingServer]:
    with recording_server() as server:
        yield server


def test_the_mail_send_request(sendgrid: RecordingServer) -> None:
    sender = SendGridSender("SG.test-key", "no-reply@cryptotalks.dev", host=sendgrid.url)
    sender.send(Email(to="rex@example.com", subject="Hello", text="plain", html="<p>html</p>"))
    [request] = sendgrid.received
    assert request["path"] == "/v3/mail/send"
    assert request["headers"]["Authorization"] == "Bearer SG.test-key"
    body = request["body"]
    assert body["from"] == {"email": "no-reply@cryptotalks.dev"}
    assert body["personalizations"][0]["to"] == [{"email": "rex@example.com"}]
    assert body["subject"] == "Hello"
    assert body["content"] == [{"type": "text/plain", "value": "plain"}, {"type": "text/html", "value": "<p>html</p>"}]
    assert "headers" not in body


def test_the_email_headers_are_sent(sendgrid: RecordingServer) -> None:
    sender = SendGridSender("SG.test-key", "no-reply@cryptotalks.dev", host=sendgrid.url)
    headers = {"List-Unsubscribe": "<https://x.example/u?t=1>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    sender.send(Email(to="rex@example.com", subject="Hello", text="plain", html="<p>html</p>", headers=headers))
    [request] = sendgrid.received
    assert request["body"]["headers"] == headers


def test_a_refused_send_raises_so_the_event_is_retried(sendgrid: RecordingServer) -> None:
    sendgrid.status = 401
    sender = SendGridSender("SG.bad-key", "no-reply@cryptotalks.dev", host=sendgrid.url)
    with pytest.raises(Exception):  # noqa: B017 - python-http-client raises one HTTPError subclass per status
        sender.send(Email(to="rex@example.com", subject="Hello", text="plain", html="<p>html</p>"))
