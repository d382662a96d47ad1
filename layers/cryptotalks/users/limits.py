"""Limits on failed attempts and on messages sent, after OWASP's authentication cheat sheet.

A failed attempt (a wrong password, a wrong authenticator or SMS code) counts in three buckets at once:
- the account from this client: 5 in 15 minutes, then this client is refused (429 `too-many-attempts`);
- the client, across every account: 20 in 15 minutes, then refused (a password sprayer);
- the account, from every client: beyond 10 in 15 minutes, one more try a minute (a guesser spread over many
  addresses is slowed down); clients the account signed in from before are exempt.
So a stranger who knows an address or a number locks only themselves out, and the owner's right password from a
known device is never refused. The client is API Gateway's source address (`cryptotalks.http.client`).

An attempt takes its place in its buckets before the secret is checked, atomically for every process at once (an
advisory lock per bucket, the places in this table), so N parallel guesses get exactly as many checks as the limit
allows; a right answer gives its places back. Messages that cost money or reach people (SMS, emails) are limited
the same way per number or address, per account and per client, and answer 429 `too-many-requests`.

Each limit's count can be changed with `LIMIT_<NAME>` (e.g. `LIMIT_FAILURES_PER_CLIENT`): the tests' local
runtimes serve every test from 127.0.0.1 and raise the per-client ones.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from typing import NoReturn

from cryptotalks import db, errors
from cryptotalks.errors import ApiError, ErrorCode
from cryptotalks.events import publish
from cryptotalks.events.catalogue import ActionStatus, LogAuthAction, LogUserAction
from cryptotalks.http import client
from cryptotalks.limits import EMAIL_FOR_ACCOUNT, HOUR, MINUTES, SMS_FOR_ACCOUNT, SMS_TO_NUMBER, Limit
from cryptotalks.users import data

CONTEXT = "users"


PASSWORD_FROM_CLIENT = Limit("password-failures-per-account-and-client", 5, 15 * MINUTES)
CODE_FROM_CLIENT = Limit("code-failures-per-account-and-client", 5, 15 * MINUTES)
FAILURES_FROM_CLIENT = Limit("failures-per-client", 20, 15 * MINUTES)
PASSWORD_FOR_ACCOUNT = Limit("password-failures-per-account", 10, 15 * MINUTES, then_every_seconds=MINUTES)
CODE_FOR_ACCOUNT = Limit("code-failures-per-account", 10, 15 * MINUTES, then_every_seconds=MINUTES)
SMS_FROM_CLIENT = Limit("sms-per-client", 10, HOUR)
EMAIL_TO_ADDRESS = Limit("emails-per-address", 5, HOUR)
EMAIL_FROM_CLIENT = Limit("emails-per-client", 20, HOUR)


@dataclass(frozen=True)
class Bucket:
    limit: Limit
    key: str
    checked: bool = True  # False: counted, but never refuses (a known client in its account's bucket)

    @property
    def digest(self) -> str:
        return hashlib.sha256(f"{self.limit.name}:{self.key}".encode()).hexdigest()


@dataclass(frozen=True)
class Places:
    """What an attempt took in its buckets; given back when the attempt succeeds."""

    ids: list[int]

    def give_back(self) -> None:
        with db.transaction() as tx:
            data.free_places(tx.conn, self.ids)


@dataclass(frozen=True)
class Attempt:
    """Someone is about to present a password (`PASSWORD`) or a code (`CODE`) for an account."""

    kind: str
    account: str  # the lower-cased email for passwords (known or not), the user id for codes
    user_id: uuid.UUID | None  # None for an address no account has
    what: str  # for the action log: "Sign-in", "Authenticator code", ...


PASSWORD, CODE = "PASSWORD", "CODE"


def begin(attempt: Attempt) -> Places:
    """Take the attempt's places, or refuse it (429 `too-many-attempts`, logged) when a bucket is full."""
    from_client, for_account = (
        (PASSWORD_FROM_CLIENT, PASSWORD_FOR_ACCOUNT)
        if attempt.kind == PASSWORD
        else (CODE_FROM_CLIENT, CODE_FOR_ACCOUNT)
    )
    address = client.address()
    with db.transaction() as tx:
        known = attempt.user_id is not None and data.is_known_client(tx.conn, attempt.user_id, address)
    buckets = [
        Bucket(from_client, f"{attempt.account}|{address}"),
        Bucket(FAILURES_FROM_CLIENT, address),
        Bucket(for_account, attempt.account, checked=not known),
    ]
    what = f"{attempt.what} for {_whom(attempt.user_id)}"
    return _take(buckets, errors.TOO_MANY_ATTEMPTS, attempt.user_id, what, sign_in=attempt.kind == PASSWORD)


def fail(attempt: Attempt, code: ErrorCode) -> NoReturn:
    """The attempt was wrong: its places stay taken, the failure is logged (without what was presented)."""
    with db.separate_transaction():
        message = f"{attempt.what} failed for {_whom(attempt.user_id)}"
        _log(attempt.user_id, f"FAILED_{attempt.kind}", message, sign_in=attempt.kind == PASSWORD)
    raise ApiError(code)


def sending(kind: str, to: str, user_id: uuid.UUID | None) -> None:
    """Count a message of `kind` (`SMS` or `EMAIL`) to a number or address, or refuse it (429 `too-many-requests`).
    Keyed by what the request names, not by whether an account has it: the answer tells no one that."""
    to_limit, account_limit, client_limit = (
        (SMS_TO_NUMBER, SMS_FOR_ACCOUNT, SMS_FROM_CLIENT)
        if kind == "SMS"
        else (EMAIL_TO_ADDRESS, EMAIL_FOR_ACCOUNT, EMAIL_FROM_CLIENT)
    )
    buckets = [Bucket(to_limit, to.lower()), Bucket(client_limit, client.address())]
    if user_id is not None:
        buckets.append(Bucket(account_limit, str(user_id)))
    _take(buckets, errors.TOO_MANY_REQUESTS, user_id, f"{kind} for {_whom(user_id)}", sign_in=False)


def _take(buckets: list[Bucket], refusal: ErrorCode, user_id: uuid.UUID | None, what: str, sign_in: bool) -> Places:
    with db.separate_transaction() as tx:
        full = data.take_places(tx.conn, [_spec(b) for b in buckets])
    if isinstance(full, list):
        return Places(full)
    with db.separate_transaction():
        _log(user_id, "THROTTLED", f"{what} refused: the {full} limit is reached", sign_in)
    raise ApiError(refusal)


def _spec(bucket: Bucket) -> data.BucketSpec:
    limit = bucket.limit
    return data.BucketSpec(
        bucket.digest, limit.name, limit.count, limit.window_seconds, limit.then_every_seconds, bucket.checked
    )


def _whom(user_id: uuid.UUID | None) -> str:
    """Names the account by id; an address no account has is not written down (it may be a mistyped password)."""
    return (
        f"user {user_id} from client {client.address()}" if user_id else f"an unknown account from {client.address()}"
    )


def _log(user_id: uuid.UUID | None, event: str, message: str, sign_in: bool) -> None:
    if sign_in:
        publish(LogAuthAction(event=event, status=ActionStatus.ERROR, userId=user_id, message=message), CONTEXT)
    else:
        publish(LogUserAction(event=event, status=ActionStatus.ERROR, userId=user_id, message=message), CONTEXT)
