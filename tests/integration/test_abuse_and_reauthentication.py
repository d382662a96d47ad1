"""Issue 12, in one process: who can lock whom out, per-client throttling, sending limits, the action log of
failures, re-authentication for the password and the address, set-2fa bound to the secret it issued, and messages
sent only once their secret is committed. (The races themselves are tested over HTTP in tests/e2e/test_races.py.)"""

from __future__ import annotations

import re
from typing import Any

import psycopg
import pyotp

from cryptotalks import db
from cryptotalks.users.events import Purpose
from cryptotalks.users.logic import digest
from cryptotalks.users.second_factor import code_digest
from tests.integration.test_account_security import NEW_PASSWORD, PHONE, _with_phone
from tests.stand_ins import RecordingServer
from tests.support import STRONG_PASSWORD, Api, latest_sms_code, mailbox, sms_box

WRONG = "Wr0ng!pass"
OWNER, STRANGER = "10.0.0.1", "10.66.0.1"
CHANGE = {"password": NEW_PASSWORD, "passwordRepeat": NEW_PASSWORD}


def _action_log(database: db.Connection) -> list[dict[str, Any]]:
    return database.execute("SELECT event, status, message FROM audit.action_log ORDER BY id").fetchall()


def test_a_stranger_knowing_the_address_locks_only_themselves_out(api: Api, database: db.Connection) -> None:
    api.signed_up_and_confirmed("una@example.com", "una")
    for _ in range(5):
        assert api.sign_in("una@example.com", WRONG, client=STRANGER).body["message"] == "wrong-credentials"
    refused = api.sign_in("una@example.com", client=STRANGER)
    assert (refused.status, refused.body["message"]) == (429, "too-many-attempts")
    assert "_at" in api.sign_in("una@example.com", client=OWNER).body  # never signed in from here before


def test_guesses_from_many_clients_are_slowed_but_the_owner_known_device_is_not(
    api: Api, database: db.Connection
) -> None:
    api.signed_up_and_confirmed("vic@example.com", "vic")
    assert "_at" in api.sign_in("vic@example.com", client=OWNER).body  # the owner's device becomes known
    for n in range(10):
        assert api.sign_in("vic@example.com", WRONG, client=f"10.66.1.{n}").body["message"] == "wrong-credentials"
    slowed = api.sign_in("vic@example.com", WRONG, client="10.66.2.1")
    assert (slowed.status, slowed.body["message"]) == (429, "too-many-attempts")
    assert "_at" in api.sign_in("vic@example.com", client=OWNER).body
    database.execute("UPDATE users.throttle SET at = at - interval '61 seconds'")
    assert api.sign_in("vic@example.com", WRONG, client="10.66.2.1").body["message"] == "wrong-credentials"
    assert api.sign_in("vic@example.com", WRONG, client="10.66.2.2").status == 429  # one try a minute


def test_one_client_failing_across_accounts_is_throttled(api: Api, database: db.Connection) -> None:
    api.signed_up_and_confirmed("wes@example.com", "wes")
    for n in range(20):
        assert api.sign_in(f"nobody{n}@example.com", WRONG, client=STRANGER).body["message"] == "wrong-credentials"
    assert api.sign_in("wes@example.com", client=STRANGER).status == 429
    assert (
        api.call(
            "POST",
            "/api/user/forgot-password",
            {"phone": PHONE, "verificationString": "123456", "password": NEW_PASSWORD},
            client=STRANGER,
        ).status
        == 429
    )
    assert "_at" in api.sign_in("wes@example.com", client=OWNER).body
    api.pipeline.drain()
    throttled = [e for e in _action_log(database) if e["event"] == "THROTTLED"]
    assert throttled and all("failures-per-client" in e["message"] for e in throttled)


def test_wrong_reset_codes_sent_to_a_victim_do_not_block_their_sms_sign_in(api: Api, database: db.Connection) -> None:
    token = api.signed_in_token("xia@example.com", "xia")
    _with_phone(api, token)
    reset = {"phone": PHONE, "verificationString": "000000", "password": NEW_PASSWORD}
    for _ in range(5):
        assert api.call("POST", "/api/user/forgot-password", reset, client=STRANGER).status == 400
    assert api.call("POST", "/api/user/forgot-password", reset, client=STRANGER).status == 429
    assert api.sign_in("xia@example.com", client=OWNER).body == {"message": "phone-two-fa-required"}
    api.pipeline.drain()
    assert "_at" in api.sign_in("xia@example.com", client=OWNER, code=latest_sms_code(PHONE)).body


def test_sms_are_limited_per_number_and_per_client(api: Api, database: db.Connection) -> None:
    token = api.signed_in_token("yan@example.com", "yan")
    _with_phone(api, token)  # one SMS to the number
    answers = [api.call("POST", "/api/user/forgot-password", {"phone": PHONE}).status for _ in range(6)]
    assert answers == [201] * 4 + [429] * 2
    refused = api.call("POST", "/api/user/forgot-password", {"phone": PHONE})
    assert refused.body["message"] == "too-many-requests"
    api.pipeline.drain()
    assert len([m for m in sms_box() if m["to"] == PHONE]) == 5
    others = [
        api.call("POST", "/api/user/forgot-password", {"phone": f"+4860000000{n}"}, client=STRANGER) for n in range(11)
    ]
    assert [a.status for a in others] == [201] * 10 + [429]


def test_emails_are_limited_per_address_and_per_account(api: Api, database: db.Connection) -> None:
    token = api.signed_in_token("zed@example.com", "zed")
    answers = [api.call("POST", "/api/user/forgot-password", {"email": "ZED@example.com"}).status for _ in range(6)]
    assert answers == [201] * 5 + [429]
    assert [api.call("POST", "/api/user/forgot-password", {"email": "no1@example.com"}).status for _ in range(6)] == [
        201
    ] * 5 + [429]  # the same whether or not an account has the address
    api.pipeline.drain()
    assert len([m for m in mailbox() if m["subject"] == "Cryptotalks - Password reset"]) == 5
    for n in range(5):
        assert api.call("POST", "/api/user/change-email", {"email": f"zed{n}@example.com"}, token=token).status == 201
    refused = api.call("POST", "/api/user/change-email", {"email": "zed9@example.com"}, token=token)
    assert (refused.status, refused.body["message"]) == (429, "too-many-requests")


def test_forgot_password_does_the_same_work_for_unknown_addresses(api: Api, database: db.Connection) -> None:
    api.signed_up_and_confirmed("abe@example.com", "abe")
    for address in ("abe@example.com", "nobody@example.com"):
        database.execute("TRUNCATE messaging.outbox")
        assert api.call("POST", "/api/user/forgot-password", {"email": address}).body == {"message": "sent"}
        assert database.execute("SELECT type FROM messaging.outbox").fetchall() == [{"type": "send_verification_email"}]
    api.pipeline.drain()
    assert [m["to"] for m in mailbox() if m["subject"] == "Cryptotalks - Password reset"] == ["abe@example.com"]


def test_failures_and_throttling_are_in_the_action_log_without_secrets(api: Api, database: db.Connection) -> None:
    token = api.signed_in_token("bea@example.com", "bea")
    _with_phone(api, token)
    api.sign_in("bea@example.com", WRONG)
    api.sign_in("typed-a-Secret!1-here@example.com", WRONG)
    api.sign_in("bea@example.com", code="999999")
    for _ in range(6):
        api.sign_in("bea@example.com", WRONG, client=STRANGER)
    api.pipeline.drain()
    entries = _action_log(database)
    failed = [e for e in entries if e["status"] == "ERROR"]
    assert {e["event"] for e in failed} == {"FAILED_PASSWORD", "FAILED_CODE", "THROTTLED"}
    assert any("unknown account" in e["message"] for e in failed)
    text = " ".join(e["message"] for e in entries)
    for secret in (WRONG, STRONG_PASSWORD, "999999", "typed-a-Secret"):
        assert secret not in text


def _age_session(database: db.Connection, minutes: int) -> None:
    database.execute("UPDATE auth.sessions SET created_at = now() - make_interval(mins => %s)", (minutes,))


def test_a_stolen_access_token_cannot_change_the_password(api: Api, database: db.Connection) -> None:
    token = api.signed_in_token("cat@example.com", "cat")
    _age_session(database, 11)
    refused = api.call("POST", "/api/user/change-password", CHANGE, token=token)
    assert (refused.status, refused.body["message"]) == (403, "reauthentication-required")
    wrong = api.call("POST", "/api/user/change-password", {**CHANGE, "currentPassword": WRONG}, token=token)
    assert (wrong.status, wrong.body["message"]) == (403, "wrong-credentials")
    done = api.call("POST", "/api/user/change-password", {**CHANGE, "currentPassword": STRONG_PASSWORD}, token=token)
    assert done.body == {"message": "success"}
    api.pipeline.drain()
    notice = [m for m in mailbox() if m["to"] == "cat@example.com"][-1]
    assert notice["subject"] == "Cryptotalks - Security notice" and "Your password was changed." in notice["text"]


def test_right_after_signing_in_no_current_password_is_needed(api: Api, database: db.Connection) -> None:
    token = api.signed_in_token("dan@example.com", "dan")
    _age_session(database, 9)  # the original's client never sends the current password
    assert api.call("POST", "/api/user/change-password", CHANGE, token=token).body == {"message": "success"}


def test_a_stolen_access_token_cannot_change_the_address(api: Api, database: db.Connection) -> None:
    token = api.signed_in_token("eve@example.com", "eve")
    _age_session(database, 11)
    refused = api.call("POST", "/api/user/change-email", {"email": "mallory@example.com"}, token=token)
    assert (refused.status, refused.body["message"]) == (403, "reauthentication-required")
    body = {"email": "eve.new@example.com", "currentPassword": STRONG_PASSWORD}
    assert api.call("POST", "/api/user/change-email", body, token=token).body == {"message": "success"}
    api.pipeline.drain()
    assert not [m for m in mailbox() if m["to"] == "mallory@example.com"]
    notice = [m for m in mailbox() if m["to"] == "eve@example.com"][-1]
    assert notice["subject"] == "Cryptotalks - Security notice"
    assert "e***@e***.com" in notice["text"] and "eve.new" not in notice["text"]
    assert re.search(r"When: \d{4}-\d\d-\d\d \d\d:\d\d UTC", notice["text"])


def test_set_2fa_takes_only_the_secret_it_issued_to_this_user(api: Api, database: db.Connection) -> None:
    token = api.signed_in_token("fay@example.com", "fay")
    other = api.signed_in_token("gus@example.com", "gus")
    chosen = pyotp.TOTP(pyotp.random_base32())
    own = api.call("POST", "/api/user/set-2fa", {"twoFaToken": chosen.secret, "twoFaCode": chosen.now()}, token=token)
    assert (own.status, own.body["message"]) == (400, "bad-request")
    issued_to_other = pyotp.TOTP(api.call("POST", "/api/user/set-2fa", {}, token=other).body["twoFaToken"])
    body = {"twoFaToken": issued_to_other.secret, "twoFaCode": issued_to_other.now()}
    assert api.call("POST", "/api/user/set-2fa", body, token=token).status == 400
    issued = pyotp.TOTP(api.call("POST", "/api/user/set-2fa", {}, token=token).body["twoFaToken"])
    body = {"twoFaToken": issued.secret, "twoFaCode": issued.now()}
    assert api.call("POST", "/api/user/set-2fa", body, token=token).body == {"message": "success"}


def test_a_secret_is_committed_before_its_message_leaves(
    api: Api, database: db.Connection, database_url: str, senders: tuple[RecordingServer, RecordingServer]
) -> None:
    """What another connection sees the moment SendGrid or Twilio receives the message."""
    sendgrid, twilio = senders
    seen: list[tuple[str, bool]] = []

    def on_mail(request: dict[str, Any]) -> None:
        text = request["body"]["content"][0]["value"]
        secret = re.search(r"\b[0-9a-f]{40}\b", text)
        if secret:
            with psycopg.connect(database_url) as conn:
                row = conn.execute(
                    "SELECT kind FROM users.confirmation_hashes WHERE hash_digest = %s", (digest(secret.group(0)),)
                ).fetchone()
            seen.append((request["body"]["subject"], row is not None))

    def on_sms(request: dict[str, Any]) -> None:
        code = re.search(r"code: (\d{6})", request["body"]["Body"])
        assert code
        with psycopg.connect(database_url) as conn:
            row = conn.execute(
                "SELECT user_id, phone_code_digest FROM users.settings WHERE phone_code_phone = %s",
                (request["body"]["To"],),
            ).fetchone()
        seen.append(("SMS", row is not None and row[1] in {code_digest(row[0], p, code.group(1)) for p in Purpose}))

    sendgrid.on_receive, twilio.on_receive = on_mail, on_sms
    assert api.sign_up("hal@example.com", "hal").status == 201
    api.pipeline.drain()
    assert api.call("POST", "/api/user/forgot-password", {"email": "hal@example.com"}).status == 201
    api.pipeline.drain()
    [(_, committed)] = [s for s in seen if s[0] == "Cryptotalks - Registration confirmation"]
    assert committed
    assert all(committed for _, committed in seen) and len(seen) == 2, seen
    database.execute("UPDATE users.users SET account_confirmed = true")
    token = api.sign_in("hal@example.com").body["_at"]
    assert api.call("POST", "/api/user/set-phone", {"phone": PHONE}, token=token).body == {"message": "code-sent"}
    api.pipeline.drain()
    assert seen[-1] == ("SMS", True)
    assert api.call("POST", "/api/user/change-email", {"email": "hal2@example.com"}, token=token).status == 201
    api.pipeline.drain()
    assert ("Cryptotalks - Email change confirmation", True) in seen
