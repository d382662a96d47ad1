"""Account security over the API: 2FA by app and SMS, step-ups, email and password changes, resets,
settings, pictures, public profiles, closing an account, and the limit on failed attempts."""

from __future__ import annotations

import base64
import re
import struct
import zlib
from typing import Any

import boto3
import pyotp
import pytest

from cryptotalks import db
from cryptotalks.users import avatars
from tests.support import STRONG_PASSWORD, Api, latest_sms_code, mailbox

NEW_PASSWORD = "N3w!password"
PHONE = "+48123456789"


def _png() -> bytes:
    """A real 1x1 PNG."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def _new_time_step(database: db.Connection) -> None:
    """What waiting for the next 30-second step does: the last used step is forgotten."""
    database.execute("UPDATE users.settings SET two_fa_last_step = NULL")


def _with_totp(api: Api, token: str) -> pyotp.TOTP:
    setup = api.call("POST", "/api/user/set-2fa", {}, token=token)
    assert setup.status == 201
    assert setup.body["uri"].startswith("otpauth://totp/Cryptotalks:")
    assert setup.body["qrCode"].startswith("data:image/png;base64,")
    totp = pyotp.TOTP(setup.body["twoFaToken"])
    wrong = api.call("POST", "/api/user/set-2fa", {"twoFaToken": totp.secret, "twoFaCode": "000000"}, token=token)
    if totp.now() != "000000":
        assert (wrong.status, wrong.body["message"]) == (400, "wrong-2fa")
    enabled = api.call("POST", "/api/user/set-2fa", {"twoFaToken": totp.secret, "twoFaCode": totp.now()}, token=token)
    assert enabled.body == {"message": "success"}
    return totp


def _with_phone(api: Api, token: str, phone: str = PHONE) -> None:
    sent = api.call("POST", "/api/user/set-phone", {"phone": phone}, token=token)
    assert sent.body == {"message": "code-sent"}
    api.pipeline.drain()
    confirmed = api.call("POST", "/api/user/set-phone", {"phone": phone, "code": latest_sms_code(phone)}, token=token)
    assert confirmed.body == {"message": "success"}


def test_totp_set_up_step_up_and_replay(api: Api, database: db.Connection) -> None:
    token = api.signed_in_token("ava@example.com", "ava")
    totp = _with_totp(api, token)
    settings = api.call("GET", "/api/user/get-settings", token=token).body
    assert settings["securitySettings"]["twoFaToken"] is True
    api.pipeline.drain()
    assert [m["subject"] for m in mailbox() if m["to"] == "ava@example.com"][-1] == "Cryptotalks - Security notice"

    assert api.sign_in("ava@example.com").body == {"message": "two-fa-required"}
    _new_time_step(database)
    code = totp.now()
    signed_in = api.sign_in("ava@example.com", twoFaCode=code)
    assert signed_in.status == 201 and "_at" in signed_in.body
    replayed = api.sign_in("ava@example.com", twoFaCode=code)
    assert (replayed.status, replayed.body["message"]) == (400, "wrong-2fa")

    assert api.call("POST", "/api/user/set-phone", {"phone": PHONE}, token=token).body["message"] == "bad-request"
    _new_time_step(database)
    removed = api.call("POST", "/api/user/remove-2fa", {"twoFaCode": totp.now()}, token=token)
    assert removed.body == {"message": "success"}
    assert api.sign_in("ava@example.com").status == 201 and "_at" in api.sign_in("ava@example.com").body
    assert api.call("POST", "/api/user/remove-2fa", {"twoFaCode": "123456"}, token=token).status == 400


def test_sms_set_up_is_bound_to_the_number_and_the_action(api: Api, database: db.Connection) -> None:
    token = api.signed_in_token("bo@example.com", "bo_")
    assert api.call("POST", "/api/user/set-phone", {"phone": "0048123"}, token=token).status == 400
    api.call("POST", "/api/user/set-phone", {"phone": PHONE}, token=token)
    api.pipeline.drain()
    code = latest_sms_code(PHONE)
    other_number = api.call("POST", "/api/user/set-phone", {"phone": "+48999999999", "code": code}, token=token)
    assert (other_number.status, other_number.body["message"]) == (400, "phone-code-error")
    assert api.call("POST", "/api/user/set-phone", {"phone": PHONE, "code": code}, token=token).body == {
        "message": "success"
    }
    assert database.execute("SELECT phone, phone_code_digest FROM users.settings").fetchone() == {
        "phone": PHONE,
        "phone_code_digest": None,
    }

    # Sign-in now asks for an SMS code; a code sent for another action does not do.
    remove = api.call("POST", "/api/user/remove-phone", {}, token=token)
    assert remove.body == {"message": "code-sent"}
    api.pipeline.drain()
    remove_code = latest_sms_code(PHONE)
    assert api.sign_in("bo@example.com").body == {"message": "phone-two-fa-required"}
    assert api.sign_in("bo@example.com", code=remove_code).body["message"] == "phone-code-error"
    api.pipeline.drain()
    signed_in = api.sign_in("bo@example.com", code=latest_sms_code(PHONE))
    assert "_at" in signed_in.body
    assert api.sign_in("bo@example.com", code=latest_sms_code(PHONE)).body["message"] == "phone-code-error"  # used


def test_sms_codes_expire_after_five_minutes(api: Api, database: db.Connection) -> None:
    token = api.signed_in_token("cy@example.com", "cy_")
    api.call("POST", "/api/user/set-phone", {"phone": PHONE}, token=token)
    api.pipeline.drain()
    database.execute("UPDATE users.settings SET phone_code_sent_at = now() - interval '301 seconds'")
    late = api.call("POST", "/api/user/set-phone", {"phone": PHONE, "code": latest_sms_code(PHONE)}, token=token)
    assert (late.status, late.body["message"]) == (400, "phone-code-error")
    assert database.execute("SELECT phone_code_digest FROM users.settings").fetchone() != {"phone_code_digest": None}


def test_change_email_sends_a_link_to_the_new_address(api: Api, database: db.Connection) -> None:
    token = api.signed_in_token("dee@example.com", "dee")
    api.signed_up_and_confirmed("taken@example.com", "taken")
    taken = api.call("POST", "/api/user/change-email", {"email": "TAKEN@example.com"}, token=token)
    assert (taken.status, taken.body["message"]) == (403, "user-already-exists")
    assert api.call("POST", "/api/user/change-email", {"email": "bad"}, token=token).status == 400
    assert api.call("POST", "/api/user/change-email", {"email": "dee2@example.com"}, token=token).body == {
        "message": "success"
    }
    api.pipeline.drain()
    [message] = [m for m in mailbox() if m["to"] == "dee2@example.com"]
    assert message["subject"] == "Cryptotalks - Email change confirmation"
    link = re.search(r"https?://[^/]+/email-change-confirmation/([0-9a-f]{40})\b", message["text"])
    assert link
    confirm = f"/api/user/email-change-confirmation/{link.group(1)}"
    assert api.call("GET", confirm).body == {"message": "success"}
    again = api.call("GET", confirm)
    assert (again.status, again.body["message"]) == (400, "email-change-confirmed")
    assert api.call("GET", "/api/user/email-change-confirmation/" + "0" * 40).status == 404
    assert "_at" in api.sign_in("dee2@example.com").body
    assert api.sign_in("dee@example.com").body["message"] == "wrong-credentials"
    once = api.call("POST", "/api/user/change-email", {"email": "dee3@example.com"}, token=token)
    assert (once.status, once.body["message"]) == (400, "email-already-changed")
    api.pipeline.drain()
    assert any(m["to"] == "dee@example.com" and "Security notice" in m["subject"] for m in mailbox())


def test_change_email_asks_for_the_second_factor(api: Api, database: db.Connection) -> None:
    token = api.signed_in_token("eli@example.com", "eli")
    totp = _with_totp(api, token)
    asked = api.call("POST", "/api/user/change-email", {"email": "eli2@example.com"}, token=token)
    assert asked.body == {"message": "two-fa-required"}
    _new_time_step(database)
    done = api.call(
        "POST", "/api/user/change-email", {"email": "eli2@example.com", "twoFaCode": totp.now()}, token=token
    )
    assert done.body == {"message": "success"}


def test_change_password_ends_every_other_session(api: Api, database: db.Connection) -> None:
    api.signed_up_and_confirmed("fox@example.com", "fox")
    here, elsewhere = api.sign_in("fox@example.com"), api.sign_in("fox@example.com")
    token = here.body["_at"]
    body = {"password": NEW_PASSWORD, "passwordRepeat": NEW_PASSWORD}
    mismatch = api.call("POST", "/api/user/change-password", {**body, "passwordRepeat": "Other!pass1"}, token=token)
    assert (mismatch.status, mismatch.body["message"]) == (400, "validation-error")
    same = {"password": STRONG_PASSWORD, "passwordRepeat": STRONG_PASSWORD}
    assert api.call("POST", "/api/user/change-password", same, token=token).body["message"] == "same-password"
    assert api.call("POST", "/api/user/change-password", body, token=token).body == {"message": "success"}

    assert api.call("GET", "/api/auth/refresh", cookie=f"_rt={elsewhere.cookie('_rt')}").status == 401
    assert api.call("GET", "/api/user/get-settings", token=elsewhere.body["_at"]).status == 401
    assert api.call("GET", "/api/user/get-settings", token=token).status == 200
    assert "_at" in api.sign_in("fox@example.com", NEW_PASSWORD).body
    again = {"password": "Th1rd!password", "passwordRepeat": "Th1rd!password"}
    later = api.call("POST", "/api/user/change-password", again, token=token)
    assert (later.status, later.body["message"]) == (400, "password-changed-recently")


def test_change_password_with_sms_answers_code_sent(api: Api, database: db.Connection) -> None:
    token = api.signed_in_token("gil@example.com", "gil")
    _with_phone(api, token)
    body = {"password": NEW_PASSWORD, "passwordRepeat": NEW_PASSWORD}
    assert api.call("POST", "/api/user/change-password", body, token=token).body == {"message": "code-sent"}
    api.pipeline.drain()
    done = api.call("POST", "/api/user/change-password", {**body, "code": latest_sms_code(PHONE)}, token=token)
    assert done.body == {"message": "success"}


def test_reset_by_email(api: Api, database: db.Connection) -> None:
    api.signed_up_and_confirmed("hue@example.com", "hue")
    session = api.sign_in("hue@example.com")
    for email in ("hue@example.com", "nobody@example.com"):
        answer = api.call("POST", "/api/user/forgot-password", {"email": email})
        assert (answer.status, answer.body) == (201, {"message": "sent"})
    assert api.call("POST", "/api/user/forgot-password", {}).body["message"] == "bad-request"
    api.pipeline.drain()
    [message] = [m for m in mailbox() if m["subject"] == "Cryptotalks - Password reset"]
    assert message["to"] == "hue@example.com"
    code = re.search(r"[0-9a-f]{40}", message["text"])
    assert code
    reset = {"email": "hue@example.com", "verificationString": code.group(0), "password": NEW_PASSWORD}
    wrong = api.call("POST", "/api/user/forgot-password", {**reset, "verificationString": "f" * 40})
    assert (wrong.status, wrong.body["message"]) == (400, "wrong-hash")
    weak = api.call("POST", "/api/user/forgot-password", {**reset, "password": "weak"})
    assert weak.body["message"] == "validation-error"
    other = api.call("POST", "/api/user/forgot-password", {**reset, "email": "taken@example.com"})
    assert other.body["message"] == "wrong-hash"
    assert api.call("POST", "/api/user/forgot-password", reset).body == {"message": "success"}
    assert api.call("POST", "/api/user/forgot-password", reset).body["message"] == "wrong-hash"  # works once
    assert api.call("GET", "/api/auth/refresh", cookie=f"_rt={session.cookie('_rt')}").status == 401
    assert "_at" in api.sign_in("hue@example.com", NEW_PASSWORD).body


def test_reset_codes_expire_after_an_hour(api: Api, database: db.Connection) -> None:
    api.signed_up_and_confirmed("ike@example.com", "ike")
    api.call("POST", "/api/user/forgot-password", {"email": "ike@example.com"})
    api.pipeline.drain()
    code = re.search(r"[0-9a-f]{40}", mailbox()[-1]["text"])
    assert code
    database.execute("UPDATE users.confirmation_hashes SET created_at = now() - interval '61 minutes'")
    reset = {"email": "ike@example.com", "verificationString": code.group(0), "password": NEW_PASSWORD}
    assert api.call("POST", "/api/user/forgot-password", reset).body["message"] == "wrong-hash"


def test_reset_by_sms(api: Api, database: db.Connection) -> None:
    token = api.signed_in_token("jay@example.com", "jay")
    _with_phone(api, token)
    for phone in (PHONE, "+48000000000"):
        assert api.call("POST", "/api/user/forgot-password", {"phone": phone}).body == {"message": "sent"}
    api.pipeline.drain()
    reset = {"phone": PHONE, "verificationString": "000000", "password": NEW_PASSWORD}
    assert api.call("POST", "/api/user/forgot-password", reset).body["message"] == "phone-code-error"
    reset["verificationString"] = latest_sms_code(PHONE)
    assert api.call("POST", "/api/user/forgot-password", reset).body == {"message": "success"}
    assert api.call("GET", "/api/user/get-settings", token=token).status == 401
    assert api.sign_in("jay@example.com", NEW_PASSWORD).body == {"message": "phone-two-fa-required"}


def test_settings_and_public_profile(api: Api, database: db.Connection) -> None:
    token = api.signed_in_token("kai@example.com", "kai")
    api.signed_up_and_confirmed("lou@example.com", "lou")
    settings = api.call("GET", "/api/user/get-settings", token=token).body
    assert settings["securitySettings"] == {
        "publicEmail": False,
        "emailChanged": False,
        "passwordChanged": None,
        "phone": None,
        "email": "kai@example.com",
        "twoFaToken": False,
    }
    assert "email" not in settings["personalSettings"] and settings["isProfilePicPresent"] is False

    taken = api.call("PATCH", "/api/user/set-personal-settings", {"username": "LOU"}, token=token)
    assert (taken.status, taken.body["message"]) == (403, "username-taken")
    too_long = api.call("PATCH", "/api/user/set-personal-settings", {"bio": "x" * 1001}, token=token)
    assert too_long.body["message"] == "validation-error"
    smuggled = {
        "bio": "HODL",
        "twitter": "@kai",
        "publicEmail": True,
        "password": "x",
        "email": "x@y.z",
        "accountConfirm": False,
        "userId": "00000000-0000-0000-0000-000000000000",
    }
    assert api.call("PATCH", "/api/user/set-personal-settings", smuggled, token=token).body == {"message": "success"}

    public = api.call("GET", "/api/user/get/kai").body["data"]
    assert (public["bio"], public["twitter"], public["email"]) == ("HODL", "@kai", "kai@example.com")
    assert public["createdAt"] and public["isProfilePicPresent"] is False and public["profilePicUrl"] is None
    assert api.call("GET", "/api/user/get/lou").body["data"]["email"] is None  # not public
    missing = api.call("GET", "/api/user/get/nobody")
    assert (missing.status, missing.body["message"]) == (404, "user-not-found")
    assert "_at" in api.sign_in("kai@example.com").body  # the smuggled password changed nothing


def test_profile_pictures_are_checked_by_content(api: Api, database: db.Connection) -> None:
    token = api.signed_in_token("max@example.com", "max")
    fake = base64.b64encode(b"<svg onload=alert(1)>").decode()
    for photo in (f"data:image/png;base64,{fake}", "not base64 at all!", ""):
        refused = api.call("POST", "/api/user/upload-photo", {"photo": photo}, token=token)
        assert (refused.status, refused.body["message"]) == (400, "not-an-image")
    too_big = base64.b64encode(_png() + b"\x00" * (2 * 1024 * 1024)).decode()
    assert api.call("POST", "/api/user/upload-photo", {"photo": too_big}, token=token).status == 400

    uploaded = api.call(
        "POST",
        "/api/user/upload-photo",
        {"photo": "data:image/png;base64," + base64.b64encode(_png()).decode()},
        token=token,
    )
    assert uploaded.status == 201 and "users-profile-pictures/" in uploaded.body["url"]
    stored = boto3.client("s3").get_object(Bucket=avatars.bucket(), Key=avatars.key(_user_id(database, "max")))
    assert stored["ContentType"] == "image/png" and stored["Body"].read().startswith(b"\x89PNG")  # re-encoded
    assert api.call("GET", "/api/user/get-settings", token=token).body["isProfilePicPresent"] is True
    assert api.call("GET", "/api/user/get/max").body["data"]["profilePicUrl"].startswith("http")


def _user_id(database: db.Connection, username: str) -> Any:
    row = database.execute("SELECT id FROM users.users WHERE username = %s", (username,)).fetchone()
    assert row
    return row["id"]


def test_close_account(api: Api, database: db.Connection) -> None:
    token = api.signed_in_token("ned@example.com", "ned")
    user_id = _user_id(database, "ned")
    wrong = api.call("POST", "/api/user/close-account", {"password": "Wr0ng!pass"}, token=token)
    assert (wrong.status, wrong.body["message"]) == (403, "wrong-credentials")
    api.call("POST", "/api/user/upload-photo", {"photo": base64.b64encode(_png()).decode()}, token=token)
    closed = api.call("POST", "/api/user/close-account", {"password": STRONG_PASSWORD}, token=token)
    assert closed.body == {"message": "success"}
    assert database.execute("SELECT count(*) FROM users.users").fetchone() == {"count": 0}
    assert database.execute("SELECT count(*) FROM users.settings").fetchone() == {"count": 0}
    live = database.execute("SELECT count(*) FROM auth.sessions WHERE revoked_at IS NULL").fetchone()
    assert live == {"count": 0}
    assert api.call("GET", "/api/user/get-settings", token=token).status == 401
    api.pipeline.drain()
    assert mailbox()[-1]["subject"] == "Cryptotalks - Account closed"
    with pytest.raises(Exception, match=r"NoSuchKey|Not Found|404"):
        boto3.client("s3").head_object(Bucket=avatars.bucket(), Key=avatars.key(user_id))
    assert api.sign_in("ned@example.com").body["message"] == "wrong-credentials"
    assert api.sign_up("ned@example.com", "ned").status == 201  # the address and the name are free again


def test_close_account_with_totp_takes_the_code_in_code(api: Api, database: db.Connection) -> None:
    token = api.signed_in_token("oz@example.com", "oz_")
    totp = _with_totp(api, token)
    asked = api.call("POST", "/api/user/close-account", {"password": STRONG_PASSWORD}, token=token)
    assert asked.body == {"message": "two-fa-required"}
    _new_time_step(database)
    closed = api.call("POST", "/api/user/close-account", {"password": STRONG_PASSWORD, "code": totp.now()}, token=token)
    assert closed.body == {"message": "success"}


def test_the_sixth_failed_sign_in_within_15_minutes_is_refused(api: Api, database: db.Connection) -> None:
    api.signed_up_and_confirmed("pat@example.com", "pat")
    for _ in range(5):
        assert api.sign_in("pat@example.com", "Wr0ng!pass").body["message"] == "wrong-credentials"
    locked = api.sign_in("PAT@example.com")  # even with the right password, from this client
    assert (locked.status, locked.body["message"]) == (429, "too-many-attempts")
    for _ in range(5):
        api.sign_in("ghost@example.com", "Wr0ng!pass")
    assert api.sign_in("ghost@example.com").status == 429  # unknown accounts alike: no enumeration
    database.execute("UPDATE users.throttle SET at = now() - interval '16 minutes'")
    assert "_at" in api.sign_in("pat@example.com").body


def test_wrong_second_factor_codes_are_limited_too(api: Api, database: db.Connection) -> None:
    token = api.signed_in_token("quy@example.com", "quy")
    totp = _with_totp(api, token)
    wrong = "111111" if totp.now() != "111111" else "222222"
    for _ in range(4):  # the fifth: _with_totp tried a wrong code once
        assert api.sign_in("quy@example.com", twoFaCode=wrong).body["message"] == "wrong-2fa"
    _new_time_step(database)
    assert api.sign_in("quy@example.com", twoFaCode=totp.now()).status == 429


def test_what_the_fuzzer_found(api: Api, database: db.Connection) -> None:
    token = api.signed_in_token("rio@example.com", "rio")
    nulls = {"username": None, "firstName": None, "bio": "", "publicEmail": None}
    assert api.call("PATCH", "/api/user/set-personal-settings", nulls, token=token).body == {"message": "success"}
    assert api.call("GET", "/api/user/get/rio").status == 200
    short_secret = {"twoFaToken": "A" * 16, "twoFaCode": "000000000"}
    assert api.call("POST", "/api/user/set-2fa", short_secret, token=token).body["message"] == "validation-error"
