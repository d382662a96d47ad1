"""Second factors and the step-up they guard actions with, and the limit on failed attempts.

A user has at most one second factor: an authenticator app (TOTP) or a phone (SMS codes). Where an action
asks for the step-up, a user with TOTP gets `two-fa-required` until a valid `twoFaCode` comes along, and a
user with a phone gets an SMS and the endpoint's SMS answer until the code comes along. TOTP codes are valid
for the current 30-second step only and once; SMS codes for 5 minutes, once, for the action they were sent for.
"""

from __future__ import annotations

import hashlib
import secrets
import time
import uuid
from dataclasses import dataclass
from typing import Any, NoReturn

import pyotp

from cryptotalks import db, errors
from cryptotalks.errors import ApiError, ErrorCode
from cryptotalks.events import publish
from cryptotalks.http.models import SUCCESS, MessageResponse
from cryptotalks.notifications import sms
from cryptotalks.users import data
from cryptotalks.users.events import Purpose, SendVerificationMobileCode

CONTEXT = "users"
SMS_CODE_SECONDS = 5 * 60
ATTEMPT_LIMIT = 5
ATTEMPT_WINDOW_SECONDS = 15 * 60
SIGN_IN, SECOND_FACTOR = "SIGN_IN", "SECOND_FACTOR"
TWO_FA_REQUIRED = "two-fa-required"
PHONE_TWO_FA_REQUIRED = "phone-two-fa-required"
CODE_SENT = "code-sent"


@dataclass(frozen=True)
class StepUp:
    """The action waits for a second factor: answer `message` (a success-shaped body) instead."""

    message: str


def refuse(subject: str, kind: str, code: ErrorCode) -> NoReturn:
    """Record a failed attempt (it must stay although the request is refused) and refuse."""
    with db.separate_transaction() as conn:
        data.record_failure(conn, subject, kind)
    raise ApiError(code)


def ensure_not_locked(conn: db.Connection, subject: str, kind: str) -> None:
    if data.recent_failures(conn, subject, kind, ATTEMPT_WINDOW_SECONDS) >= ATTEMPT_LIMIT:
        raise ApiError(errors.TOO_MANY_ATTEMPTS)


def new_totp_secret() -> str:
    return pyotp.random_base32()


def check_totp(conn: db.Connection, user_id: uuid.UUID, secret: str, code: str) -> None:
    """The code of the current step, not used before; else wrong-2fa (counted towards the limit)."""
    ensure_not_locked(conn, str(user_id), SECOND_FACTOR)
    totp = pyotp.TOTP(secret)
    now = time.time()
    if not totp.verify(code, for_time=now) or not data.use_totp_step(conn, user_id, int(now // totp.interval)):
        refuse(str(user_id), SECOND_FACTOR, errors.WRONG_2FA)


def code_digest(user_id: uuid.UUID, purpose: Purpose, code: str) -> str:
    return hashlib.sha256(f"{user_id}:{purpose}:{code}".encode()).hexdigest()


def request_sms_code(user_id: uuid.UUID, phone: str, purpose: Purpose) -> None:
    publish(SendVerificationMobileCode(userId=user_id, phone=phone, purpose=purpose), CONTEXT)


def send_sms_code(event: SendVerificationMobileCode) -> None:
    """Consumer side: make the code, keep its digest, text it."""
    code = f"{secrets.randbelow(900_000) + 100_000}"
    with db.transaction() as tx:
        data.update_settings(
            tx.conn,
            event.userId,
            phone_code_digest=code_digest(event.userId, event.purpose, code),
            phone_code_phone=event.phone,
            phone_code_purpose=event.purpose.value,
            phone_code_sent_at=db_now(tx.conn),
        )
        sms.sender().send(
            sms.Sms(to=event.phone, body=f"Cryptotalks verification code: {code}.\nWill be valid for 5 minutes.")
        )


def db_now(conn: db.Connection) -> Any:
    row = conn.execute("SELECT now() AS now").fetchone()
    return row["now"] if row else None


def check_sms_code(conn: db.Connection, account: dict[str, Any], phone: str, purpose: Purpose, code: str) -> None:
    """The code sent to `phone` for `purpose` in the last 5 minutes; used up here. Else phone-code-error."""
    user_id = account["id"]
    ensure_not_locked(conn, str(user_id), SECOND_FACTOR)
    sent_at = account["phone_code_sent_at"]
    fresh = sent_at is not None and (db_now(conn) - sent_at).total_seconds() <= SMS_CODE_SECONDS
    matches = account["phone_code_phone"] == phone and secrets.compare_digest(
        account["phone_code_digest"] or "", code_digest(user_id, purpose, code)
    )
    if not (fresh and matches):
        refuse(str(user_id), SECOND_FACTOR, errors.PHONE_CODE_ERROR)
    data.update_settings(
        conn, user_id, phone_code_digest=None, phone_code_phone=None, phone_code_purpose=None, phone_code_sent_at=None
    )


def step_up(
    conn: db.Connection,
    account: dict[str, Any],
    purpose: Purpose,
    two_fa_code: str | None,
    sms_code: str | None,
    sms_answer: str = PHONE_TWO_FA_REQUIRED,
) -> StepUp | None:
    """None when the action may go on; else what to answer meanwhile."""
    if account["two_fa_secret"]:
        if not two_fa_code:
            return StepUp(TWO_FA_REQUIRED)
        check_totp(conn, account["id"], account["two_fa_secret"], two_fa_code)
    elif account["phone"]:
        if not sms_code:
            request_sms_code(account["id"], account["phone"], purpose)
            return StepUp(sms_answer)
        check_sms_code(conn, account, account["phone"], purpose, sms_code)
    return None


def answer(waiting: StepUp | None) -> MessageResponse:
    """`success`, or what the step-up asks for (same status: the original answered step-ups as successes)."""
    return MessageResponse(message=waiting.message) if waiting else SUCCESS
