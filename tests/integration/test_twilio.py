"""The Twilio adapter against a local HTTP server that records the request the library really sends."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import pytest

from cryptotalks.notifications.sms import Sms, TwilioSender
from tests.stand_ins import RecordingServer, recording_server

SID = "AC" + "0" * 32


@pytest.fixture
def twilio() -> Iterator[RecordingServer]:
    with recording_server() as server:
        server.status = 201
        server.answer = {"sid": "SM" + "1" * 32, "status": "queued", "account_sid": SID, "to": "+48123456789"}
        yield server


def test_the_message_create_request(twilio: RecordingServer) -> None:
    TwilioSender(SID, "auth-token", "+15005550006", twilio.url).send(Sms(to="+48123456789", body="code 123456"))
    [request] = twilio.received
    assert request["path"] == f"/2010-04-01/Accounts/{SID}/Messages.json"
    assert request["body"] == {"To": "+48123456789", "From": "+15005550006", "Body": "code 123456"}
    expected = base64.b64encode(f"{SID}:auth-token".encode()).decode()
    assert request["headers"]["Authorization"] == f"Basic {expected}"


def test_a_refused_message_raises_so_the_event_is_retried(twilio: RecordingServer) -> None:
    twilio.status, twilio.answer = 400, {"code": 21211, "message": "Invalid 'To' Phone Number", "status": 400}
    with pytest.raises(Exception, match="Invalid"):
        TwilioSender(SID, "auth-token", "+15005550006", twilio.url).send(Sms(to="+1", body="x"))
