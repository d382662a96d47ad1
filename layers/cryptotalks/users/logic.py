"""Business rules of the users context: sign-up, confirmation, credentials, profiles."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Callable

from psycopg import errors as pg_errors

from cryptotalks import db, errors
from cryptotalks.credentials import passwords
from cryptotalks.errors import ApiError
from cryptotalks.events import publish
from cryptotalks.events.catalogue import ActionStatus, CryptoForUserCreated, LogAuthAction, UserCreated
from cryptotalks.http import client
from cryptotalks.users import data, limits, mail, second_factor
from cryptotalks.users.data import AccountRow
from cryptotalks.users.events import Purpose, SignedInFromNewDevice
from cryptotalks.users.models import Account, SignInRequest, SignUpRequest
from cryptotalks.users.second_factor import StepUp

CONTEXT = "users"
REGISTRATION = "REGISTRATION"


def digest(secret: str) -> str:
    """Emailed secrets are stored as their SHA-256 digest only."""
    return hashlib.sha256(secret.encode()).hexdigest()


def sign_up(request: SignUpRequest) -> uuid.UUID:
    if not request.tac:
        raise ApiError(errors.TAC_NOT_ACCEPTED)
    user_id = uuid.uuid4()
    fields = request.model_dump(exclude={"password", "publicEmail"})
    fields["password_hash"] = passwords.hash_password(request.password)
    try:
        with db.transaction() as tx:
            if data.username_or_email_taken(tx.conn, request.email, request.username):
                raise ApiError(errors.USER_ALREADY_EXISTS)
            data.insert_user(tx.conn, user_id, fields)
            # Settings are made by the user_created consumer; publicEmail is carried to it.
            publish(
                UserCreated(
                    userId=user_id,
                    email=request.email,
                    username=request.username,
                    publicEmail=request.publicEmail,
                ),
                CONTEXT,
            )
            publish(CryptoForUserCreated(userId=user_id), CONTEXT)
            publish(
                LogAuthAction(
                    event="SIGN_UP",
                    status=ActionStatus.SUCCESS,
                    userId=user_id,
                    message=f"User {user_id} has successfully created an account.",
                ),
                CONTEXT,
            )
    except pg_errors.UniqueViolation:
        raise ApiError(errors.USER_ALREADY_EXISTS) from None  # a concurrent sign-up won the race
    return user_id


def mail_one_time_secret(
    tx: db.Transaction,
    user_id: uuid.UUID,
    kind: str,
    to: str,
    username: str,
    compose: Callable[[str], mail.Message],
    changing_email: str | None = None,
) -> None:
    """A one-time secret for an emailed link or code (only its digest is kept), mailed once `tx` has committed: it
    never arrives before it works. If mailing fails the consumer's event is retried, with a new secret."""
    secret = secrets.token_hex(20)
    data.insert_confirmation_hash(tx.conn, user_id, digest(secret), kind, changing_email)
    tx.on_commit(lambda: mail.send(to, username, compose(secret)))


def send_registration_confirmation(event: UserCreated) -> None:
    """Create the settings row and a one-time confirmation link, commit them, then mail the link."""
    with db.separate_transaction() as tx:
        data.insert_settings(tx.conn, event.userId, event.publicEmail)
        mail_one_time_secret(
            tx,
            event.userId,
            REGISTRATION,
            event.email,
            event.username,
            lambda secret: mail.Message(
                "Cryptotalks - Registration confirmation",
                ["Confirm your Cryptotalks account:"],
                f"/account-confirmation/{secret}",  # a page of the web client, which confirms through the API
            ),
        )


def confirm_account(secret: str) -> None:
    with db.transaction() as tx:
        row = data.lock_confirmation_hash(tx.conn, digest(secret), REGISTRATION)
        if row is None:
            raise ApiError(errors.HASH_NOT_FOUND)
        already = row.confirmed
        if not already:
            data.mark_hash_confirmed(tx.conn, row.id)
            data.confirm_account(tx.conn, row.user_id)
        publish(
            LogAuthAction(
                event="CONFIRMATION",
                status=ActionStatus.ERROR if already else ActionStatus.SUCCESS,
                userId=row.user_id,
                message=f"User {row.user_id} "
                + ("tried to confirm the account again." if already else "has successfully confirmed the account."),
            ),
            CONTEXT,
        )
    if already:
        raise ApiError(errors.EMAIL_ALREADY_CONFIRMED)


def check_password(email: str, account: AccountRow | None, password: str, what: str) -> None:
    """The account's password (None: no account has `email`), or wrong-credentials. Unknown address and wrong
    password answer alike and count alike towards the limits of failed attempts (`users.limits`)."""
    attempt = limits.Attempt(limits.PASSWORD, email.lower(), account.id if account else None, what)
    places = limits.begin(attempt)
    if not passwords.verify(account.password_hash if account else None, password) or account is None:
        limits.fail(attempt, errors.WRONG_CREDENTIALS)
    places.give_back()


def sign_in(request: SignInRequest) -> Account | StepUp:
    """The account behind an email and password, once its second factor (if any) is satisfied; its client is
    known to it from then on. "Not confirmed" is told only to whoever knows the password."""
    with db.transaction() as tx:
        account = data.find_by_email(tx.conn, request.email)
        check_password(request.email, account, request.password, "Sign-in")
        assert account is not None
        if not account.account_confirmed:
            raise ApiError(errors.ACCOUNT_NOT_CONFIRMED)
        waiting = second_factor.step_up(tx.conn, account, Purpose.SIGN_IN, request.twoFaCode, request.code)
        if waiting:
            return waiting
        address = client.address()
        if not data.is_known_client(tx.conn, account.id, address) and data.has_known_clients(tx.conn, account.id):
            publish(SignedInFromNewDevice(userId=account.id, client=address), CONTEXT)
        data.remember_client(tx.conn, account.id, address)
        if passwords.needs_rehash(account.password_hash):
            data.update_password_hash(tx.conn, account.id, passwords.hash_password(request.password))
    return Account(id=account.id, email=account.email, role=account.role)
