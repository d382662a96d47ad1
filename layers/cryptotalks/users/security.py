"""Business rules of account security: 2FA, phone, email and password changes, password reset, closing."""

from __future__ import annotations

import hmac
import re
import uuid
from datetime import datetime, timedelta
from urllib.parse import urlencode

from cryptotalks import db, errors
from cryptotalks.credentials import passwords
from cryptotalks.errors import ApiError
from cryptotalks.events import publish
from cryptotalks.events.catalogue import ActionStatus, LogUserAction
from cryptotalks.users import avatars, data, limits, mail, second_factor
from cryptotalks.users.data import AccountRow
from cryptotalks.users.events import (
    ChangeEmail,
    CloseAccountCoins,
    CloseAccountDeletePosts,
    CloseUserAccount,
    Purpose,
    SecurityChange,
    SendVerificationEmail,
    UpdateUserContact,
    UpdateUserSecuritySettings,
)
from cryptotalks.users.logic import check_password, digest, mail_one_time_secret
from cryptotalks.users.models import (
    EMAIL_PATTERN,
    PHONE_PATTERN,
    ChangeEmailRequest,
    ChangePasswordRequest,
    CloseAccountRequest,
    ForgotPasswordRequest,
    SetPhoneRequest,
    SetTwoFaRequest,
    TwoFaSetup,
)
from cryptotalks.users.rules import may_change_password
from cryptotalks.users.second_factor import CODE_SENT, StepUp, account_of

CONTEXT = "users"
EMAIL_CHANGE, FORGOT_PASSWORD = "EMAIL_CHANGE", "FORGOT_PASSWORD"
RESET_LINK_SECONDS = 3600
TWO_FA_SETUP_TIME = timedelta(minutes=15)
SENT = "sent"


def _log(user_id: uuid.UUID, event: str, message: str) -> None:
    publish(LogUserAction(event=event, status=ActionStatus.SUCCESS, userId=user_id, message=message), CONTEXT)


def _notify(account: AccountRow, change: SecurityChange, masked_email: str | None = None) -> None:
    publish(
        UpdateUserSecuritySettings(
            userId=account.id,
            email=account.email,
            username=account.username,
            change=change,
            maskedEmail=masked_email,
        ),
        CONTEXT,
    )


def _ensure_reauthenticated(account: AccountRow, current_password: str | None, recent_sign_in: bool) -> None:
    """Proof that the caller knows the password, not only holds a (possibly stolen) access token: the current
    password, or a session whose password sign-in is recent (the original's client never sends the password)."""
    if current_password:
        check_password(account.email, account, current_password, "Current password")
    elif not recent_sign_in:
        raise ApiError(errors.REAUTHENTICATION_REQUIRED)


def set_two_fa(user_id: uuid.UUID, request: SetTwoFaRequest) -> TwoFaSetup | None:
    """Without a code: a new secret to scan, kept as this user's pending one. With that secret (no other) and a
    valid code: 2FA is on (None)."""
    with db.transaction() as tx:
        account = account_of(tx.conn, user_id)
        if account.two_fa_secret or account.phone:
            raise ApiError(errors.BAD_REQUEST)  # one second factor at a time, as in the original
        if not request.twoFaCode or not request.twoFaToken:
            secret = second_factor.new_totp_secret()
            data.update_settings(
                tx.conn, user_id, two_fa_pending_secret=secret, two_fa_pending_at=second_factor.db_now(tx.conn)
            )
            uri = second_factor.totp_uri(secret, account.email)
            import segno  # the QR encoder: only this step pays for its import

            return TwoFaSetup(twoFaToken=secret, uri=uri, qrCode=segno.make(uri).png_data_uri(scale=4))
        pending, issued_at = account.two_fa_pending_secret, account.two_fa_pending_at
        if (
            pending is None
            or issued_at is None
            or not hmac.compare_digest(pending, request.twoFaToken)
            or second_factor.db_now(tx.conn) - issued_at > TWO_FA_SETUP_TIME
        ):
            raise ApiError(errors.BAD_REQUEST)  # a secret this user was not issued (or too long ago)
        data.update_settings(
            tx.conn,
            user_id,
            two_fa_secret=pending,
            two_fa_last_step=None,
            two_fa_pending_secret=None,
            two_fa_pending_at=None,
        )
        second_factor.check_totp(tx.conn, user_id, pending, request.twoFaCode)
        _notify(account, SecurityChange.TWO_FA_ENABLED)
        _log(user_id, "SECURITY", f"MFA for user {user_id} has been successfully set")
    return None


def remove_two_fa(user_id: uuid.UUID, code: str) -> None:
    with db.transaction() as tx:
        account = account_of(tx.conn, user_id)
        if not account.two_fa_secret:
            raise ApiError(errors.BAD_REQUEST)
        second_factor.check_totp(tx.conn, user_id, account.two_fa_secret, code)
        data.update_settings(tx.conn, user_id, two_fa_secret=None, two_fa_last_step=None)
        _notify(account, SecurityChange.TWO_FA_DISABLED)
        _log(user_id, "SECURITY", f"MFA for user {user_id} has been successfully removed")


def set_phone(user_id: uuid.UUID, request: SetPhoneRequest) -> StepUp | None:
    """Without a code: a code goes to the new number. With it: the number that received it is saved."""
    with db.transaction() as tx:
        account = account_of(tx.conn, user_id)
        if account.two_fa_secret or account.phone:
            raise ApiError(errors.BAD_REQUEST)
        if data.find_by_phone(tx.conn, request.phone) is not None:
            raise ApiError(errors.BAD_REQUEST)
        if not request.code:
            second_factor.request_sms_code(user_id, request.phone, Purpose.SET_PHONE)
            return StepUp(CODE_SENT)
        second_factor.check_sms_code(tx.conn, account, request.phone, Purpose.SET_PHONE, request.code)
        data.update_settings(tx.conn, user_id, phone=request.phone)
        publish(UpdateUserContact(userId=user_id, email=account.email, phone=request.phone), CONTEXT)
        _notify(account, SecurityChange.PHONE_SET)
        _log(user_id, "SECURITY", f"Phone for user {user_id} has been successfully set")
    return None


def remove_phone(user_id: uuid.UUID, code: str | None) -> StepUp | None:
    with db.transaction() as tx:
        account = account_of(tx.conn, user_id)
        if not account.phone:
            raise ApiError(errors.BAD_REQUEST)
        if not code:
            second_factor.request_sms_code(user_id, account.phone, Purpose.REMOVE_PHONE)
            return StepUp(CODE_SENT)
        second_factor.check_sms_code(tx.conn, account, account.phone, Purpose.REMOVE_PHONE, code)
        data.update_settings(tx.conn, user_id, phone=None)
        publish(UpdateUserContact(userId=user_id, email=account.email), CONTEXT)
        _notify(account, SecurityChange.PHONE_REMOVED)
        _log(user_id, "SECURITY", f"Phone for user {user_id} has been successfully removed")
    return None


def change_email(user_id: uuid.UUID, request: ChangeEmailRequest, recent_sign_in: bool) -> StepUp | None:
    """The link goes to the new address, and a notice (with the new address masked) to the current one."""
    with db.transaction() as tx:
        account = account_of(tx.conn, user_id)
        _ensure_reauthenticated(account, request.currentPassword, recent_sign_in)
        if data.email_taken(tx.conn, request.email):
            raise ApiError(errors.USER_ALREADY_EXISTS)
        if account.email_changed:
            raise ApiError(errors.EMAIL_ALREADY_CHANGED)
        waiting = second_factor.step_up(tx.conn, account, Purpose.CHANGE_EMAIL, request.twoFaCode, request.code)
        if waiting:
            return waiting
        limits.sending("EMAIL", request.email, user_id)
        publish(ChangeEmail(userId=user_id, email=request.email, username=account.username), CONTEXT)
        _notify(account, SecurityChange.EMAIL_CHANGE_REQUESTED, mail.masked(request.email))
        _log(user_id, "USER", f"User {user_id} asked to change the email address")
    return None


def send_email_change_link(event: ChangeEmail) -> None:
    with db.separate_transaction() as tx:
        mail_one_time_secret(
            tx,
            event.userId,
            EMAIL_CHANGE,
            event.email,
            event.username,
            lambda secret: mail.Message(
                "Cryptotalks - Email change confirmation",
                ["Confirm that this is the new address of your Cryptotalks account:"],
                f"/email-change-confirmation/{secret}",  # a page of the web client, which confirms through the API
            ),
            changing_email=event.email,
        )


def confirm_email_change(secret: str) -> None:
    with db.transaction() as tx:
        row = data.lock_confirmation_hash(tx.conn, digest(secret), EMAIL_CHANGE)
        if row is None or row.changing_email is None:  # an address change's secret always names the address
            raise ApiError(errors.HASH_NOT_FOUND)
        if row.confirmed:
            raise ApiError(errors.EMAIL_CHANGE_CONFIRMED)
        account = account_of(tx.conn, row.user_id)
        if account.email_changed:
            raise ApiError(errors.EMAIL_ALREADY_CHANGED)
        new_email = row.changing_email
        if data.email_taken(tx.conn, new_email):
            raise ApiError(errors.USER_ALREADY_EXISTS)  # taken since the link was sent
        data.mark_hash_confirmed(tx.conn, row.id)
        data.set_email(tx.conn, row.user_id, new_email)
        data.update_settings(tx.conn, row.user_id, email_changed=True)
        publish(UpdateUserContact(userId=row.user_id, email=new_email, phone=account.phone), CONTEXT)
        _notify(account, SecurityChange.EMAIL_CHANGED)  # to the old address
        _log(row.user_id, "USER", f"User {row.user_id} has successfully changed the email address")


def change_password(user_id: uuid.UUID, request: ChangePasswordRequest, recent_sign_in: bool) -> StepUp | None:
    if request.password != request.passwordRepeat:
        raise ApiError(errors.VALIDATION_ERROR)
    with db.transaction() as tx:
        account = account_of(tx.conn, user_id)
        _ensure_reauthenticated(account, request.currentPassword, recent_sign_in)
        if not may_change_password(account.password_changed, second_factor.db_now(tx.conn)):
            raise ApiError(errors.PASSWORD_CHANGED_RECENTLY)
        if passwords.verify(account.password_hash, request.password):
            raise ApiError(errors.SAME_PASSWORD)
        waiting = second_factor.step_up(
            tx.conn, account, Purpose.CHANGE_PASSWORD, request.twoFaCode, request.code, sms_answer=CODE_SENT
        )
        if waiting:
            return waiting
        _set_password(tx.conn, account, request.password, SecurityChange.PASSWORD_CHANGED)
    return None


def _set_password(conn: db.Connection, account: AccountRow, password: str, change: SecurityChange) -> None:
    data.update_password_hash(conn, account.id, passwords.hash_password(password))
    data.update_settings(conn, account.id, password_changed=second_factor.db_now(conn))
    _notify(account, change)
    _log(account.id, "USER", f"User {account.id} has successfully changed the password")


def forgot_password(request: ForgotPasswordRequest) -> tuple[str, uuid.UUID | None]:
    """Step one answers `sent` whether or not an account matches; step two sets the new password.
    Returns the answer and, when a password was set, whose (all their sessions must end)."""
    if request.email:
        if not EMAIL_PATTERN.match(request.email):
            raise ApiError(errors.BAD_REQUEST)
        if request.verificationString is None:
            _send_reset_code(request.email)
            return SENT, None
        return "success", _reset_by_email(request.email, request.verificationString, _new_password(request))
    if request.phone:
        if request.verificationString is None:
            _send_reset_sms(request.phone)
            return SENT, None
        return "success", _reset_by_phone(request.phone, request.verificationString, _new_password(request))
    raise ApiError(errors.BAD_REQUEST)


def _new_password(request: ForgotPasswordRequest) -> str:
    if request.password is None or not passwords.meets_policy(request.password):
        raise ApiError(errors.VALIDATION_ERROR)
    return request.password


def _send_reset_code(email_address: str) -> None:
    """The same work whether or not an account has the address: the consumer finds out."""
    limits.sending("EMAIL", email_address, None)
    with db.transaction():
        publish(SendVerificationEmail(email=email_address), CONTEXT)


def send_reset_code(event: SendVerificationEmail) -> None:
    """Consumer side: a one-time reset code (one hour), committed, then mailed to the account's address."""
    with db.separate_transaction() as tx:
        account = data.find_by_email(tx.conn, event.email)
        if account is None:
            return
        address = account.email
        mail_one_time_secret(
            tx,
            account.id,
            FORGOT_PASSWORD,
            address,
            account.username,
            lambda secret: mail.Message(
                "Cryptotalks - Password reset",
                [
                    "Someone asked to reset the password of your Cryptotalks account. If it was you, choose a new "
                    f"one within an hour with this code: {secret}",
                    "If it was not you, ignore this email: your password stays as it is.",
                ],
                f"/forgot-password?{urlencode({'email': address, 'verificationString': secret})}",
            ),
            changing_email=address,
        )


def _reset_by_email(email_address: str, secret: str, password: str) -> uuid.UUID:
    with db.transaction() as tx:
        row = data.lock_unused_hash(tx.conn, digest(secret), FORGOT_PASSWORD, RESET_LINK_SECONDS)
        account = data.find_by_email(tx.conn, email_address)
        if row is None or account is None or row.user_id != account.id:
            raise ApiError(errors.WRONG_HASH)
        if passwords.verify(account.password_hash, password):
            raise ApiError(errors.SAME_PASSWORD)
        data.mark_hash_confirmed(tx.conn, row.id)
        _set_password(tx.conn, account, password, SecurityChange.PASSWORD_RESET)
    return account.id


def _send_reset_sms(phone: str) -> None:
    if re.match(PHONE_PATTERN, phone):
        second_factor.request_sms_code(None, phone, Purpose.FORGOT_PASSWORD)


def _reset_by_phone(phone: str, code: str, password: str) -> uuid.UUID:
    with db.transaction() as tx:
        account = data.find_by_phone(tx.conn, phone)
        if account is None:  # counted like a wrong code of an account
            attempt = limits.Attempt(limits.CODE, phone, None, "Password reset code")
            limits.begin(attempt)
            limits.fail(attempt, errors.PHONE_CODE_ERROR)
        second_factor.check_sms_code(tx.conn, account, phone, Purpose.FORGOT_PASSWORD, code)
        if passwords.verify(account.password_hash, password):
            raise ApiError(errors.SAME_PASSWORD)
        _set_password(tx.conn, account, password, SecurityChange.PASSWORD_RESET)
    return account.id


def close_account(user_id: uuid.UUID, request: CloseAccountRequest) -> StepUp | None:
    """Deletes the user with settings and hashes; the other contexts remove theirs on the events.
    The caller ends the sessions in the same transaction."""
    with db.transaction() as tx:
        account = account_of(tx.conn, user_id)
        check_password(account.email, account, request.password, "Close-account password")
        waiting = second_factor.step_up(
            tx.conn, account, Purpose.CLOSE_ACCOUNT, request.code, request.code, sms_answer=CODE_SENT
        )
        if waiting:
            return waiting
        data.delete_user(tx.conn, user_id)
        publish(
            CloseUserAccount(
                userId=user_id,
                email=account.email,
                username=account.username,
                hadAvatar=account.avatar_uploaded_at is not None,
            ),
            CONTEXT,
        )
        publish(CloseAccountDeletePosts(userId=user_id), CONTEXT)
        publish(CloseAccountCoins(userId=user_id), CONTEXT)
        _log(user_id, "CLOSE_ACC", f"User {user_id} has successfully closed an account.")
    return None


def send_security_notice(event: UpdateUserSecuritySettings, at: datetime) -> None:
    mail.security_notice(event.email, event.username, event.change, at, event.maskedEmail)


def say_farewell(event: CloseUserAccount) -> None:
    """Consumer side: the picture goes, and the former address gets a last email."""
    if event.hadAvatar:
        avatars.remove(event.userId)
    mail.send(
        event.email,
        event.username,
        mail.Message(
            "Cryptotalks - Account closed",
            [
                "Your Cryptotalks account was closed and your posts, comments, votes and favourites removed.",
                "Thank you for having been part of the community.",
            ],
        ),
    )
