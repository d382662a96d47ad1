"""Second factors and the step-up they guard actions with.

A user has at most one second factor: an authenticator app (TOTP) or a phone (SMS codes). Where an action
asks for the step-up, a user with TOTP gets `two-fa-required` until a valid `twoFaCode` comes along, and a
user with a phone gets an SMS and the endpoint's SMS answer until the code comes along. TOTP codes are valid
for the current 30-second step only and once; SMS codes for 5 minutes, once, for the action they were sent for.
Wrong codes count towards the limits of `users.limits`, and so do the SMS sent.
"""

from __future__ import annotations

import hashlib
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import datetime

from cryptotalks import db, errors
from cryptotalks.errors import ApiError
from cryptotalks.events import publish
from cryptotalks.notifications import sms
from cryptotalks.users import data, limits
from cryptotalks.users.data import AccountRow
from cryptotalks.users.events import Purpose, SendVerificationMobileCode
from cryptotalks.users.rules import StepUpNeed, step_up_need

CONTEXT = "users"
SMS_CODE_SECONDS = 5 * 60
TWO_FA_REQUIRED = "two-fa-required"
PHONE_TWO_FA_REQUIRED = "phone-two-fa-required"
CODE_SENT = "code-sent"


@dataclass(frozen=True)
class StepUp:
    """The action waits for a second factor: answer `message` (a success-shaped body) instead."""

    message: str


# pyotp is loaded by the requests of users with an authenticator app only, not by every route that may step up.


def new_totp_secret() -> str:
    import pyotp

    return pyotp.random_base32()


def totp_uri(secret: str, account_name: str) -> str:
    """What an authenticator app scans to add the account."""
    import pyotp

    return pyotp.TOTP(secret).provisioning_uri(name=account_name, issuer_name="Cryptotalks")


def check_totp(conn: db.Connection, user_id: uuid.UUID, secret: str, code: str) -> None:
    """The code of the current step, its step not used before by this user; else wrong-2fa (a failed attempt)."""
    import pyotp

    attempt = limits.Attempt(limits.CODE, str(user_id), user_id, "Authenticator code")
    places = limits.begin(attempt)
    totp = pyotp.TOTP(secret)
    now = time.time()
    if not totp.verify(code, for_time=now) or not data.use_totp_step(conn, user_id, int(now // totp.interval)):
        limits.fail(attempt, errors.WRONG_2FA)
    places.give_back()


def code_digest(user_id: uuid.UUID, purpose: Purpose, code: str) -> str:
    return hashlib.sha256(f"{user_id}:{purpose}:{code}".encode()).hexdigest()


def request_sms_code(user_id: uuid.UUID | None, phone: str, purpose: Purpose) -> None:
    """Text a code to `phone` (within the sending limits). Without `user_id` (a reset asked for by number) the
    consumer finds the account, so that the request does the same whether or not one has that number."""
    limits.sending("SMS", phone, user_id)
    with db.transaction():
        publish(SendVerificationMobileCode(userId=user_id, phone=phone, purpose=purpose), CONTEXT)


def send_sms_code(event: SendVerificationMobileCode) -> None:
    """Consumer side: make the code and keep its digest, commit, then text it: the SMS never arrives before
    the code can be used. (If texting fails the event is retried with a new code.)"""
    code = f"{secrets.randbelow(900_000) + 100_000}"
    with db.separate_transaction() as tx:
        user_id = event.userId
        if user_id is None:
            account = data.find_by_phone(tx.conn, event.phone)
            if account is None:
                return
            user_id = account.id
        data.update_settings(
            tx.conn,
            user_id,
            phone_code_digest=code_digest(user_id, event.purpose, code),
            phone_code_phone=event.phone,
            phone_code_purpose=event.purpose.value,
            phone_code_sent_at=db_now(tx.conn),
        )
    sms.sender().send(
        sms.Sms(to=event.phone, body=f"Cryptotalks verification code: {code}.\nWill be valid for 5 minutes.")
    )


def db_now(conn: db.Connection) -> datetime:
    row = conn.execute("SELECT now() AS now").fetchone()
    assert row is not None
    now: datetime = row["now"]
    return now


def check_sms_code(conn: db.Connection, account: AccountRow, phone: str, purpose: Purpose, code: str) -> None:
    """The code sent to `phone` for `purpose` in the last 5 minutes, used up here in one statement (of parallel
    requests with one code, one goes on); else phone-code-error (a failed attempt)."""
    user_id = account.id
    attempt = limits.Attempt(limits.CODE, str(user_id), user_id, "SMS code")
    places = limits.begin(attempt)
    if not data.use_sms_code(conn, user_id, code_digest(user_id, purpose, code), phone, SMS_CODE_SECONDS):
        limits.fail(attempt, errors.PHONE_CODE_ERROR)
    places.give_back()


def account_of(conn: db.Connection, user_id: uuid.UUID) -> AccountRow:
    """The user with its settings, locked for the rest of the transaction (here, not in users.logic, so that
    a step-up asked by another context does not load the users' models)."""
    account = data.find_account(conn, user_id)
    if account is None:
        raise ApiError(errors.USER_NOT_FOUND)
    return account


def step_up_for(user_id: uuid.UUID, purpose: Purpose, two_fa_code: str | None, code: str | None) -> StepUp | None:
    """The user's second factor asked for an action of another context (deleting a post), in the open
    transaction: what to answer instead, `wrong-2fa` / `phone-code-error`, or None to go on."""
    with db.transaction() as tx:
        return step_up(tx.conn, account_of(tx.conn, user_id), purpose, two_fa_code, code)


def step_up(
    conn: db.Connection,
    account: AccountRow,
    purpose: Purpose,
    two_fa_code: str | None,
    sms_code: str | None,
    sms_answer: str = PHONE_TWO_FA_REQUIRED,
) -> StepUp | None:
    """None when the action may go on; else what to answer meanwhile."""
    secret, phone = account.two_fa_secret or "", account.phone or ""  # each is set where the rule asks for it
    match step_up_need(bool(secret), bool(phone), two_fa_code, sms_code):
        case StepUpNeed.ASK_TOTP:
            return StepUp(TWO_FA_REQUIRED)
        case StepUpNeed.CHECK_TOTP:
            check_totp(conn, account.id, secret, two_fa_code or "")
        case StepUpNeed.SEND_SMS:
            request_sms_code(account.id, phone, purpose)
            return StepUp(sms_answer)
        case StepUpNeed.CHECK_SMS:
            check_sms_code(conn, account, phone, purpose, sms_code or "")
    return None
