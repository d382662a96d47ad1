"""Passwords: the contract's policy, and argon2id hashes."""

from __future__ import annotations

import os
import re
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # argon2 is loaded by the first hash: the policy's readers (every users model) do without it
    from argon2 import PasswordHasher

# The original's policy: 8+ characters with upper case, lower case, a digit and one of #?!@$%^&*-
PASSWORD_POLICY = re.compile(r"^(?=.*[A-Z])(?=.*[a-z])(?=.*\d)(?=.*[#?!@$%^&*-]).{8,}$", re.DOTALL)
PASSWORD_MAX_LENGTH = 128  # hashing cost grows with length; longer inputs are refused before hashing


@cache
def _hasher() -> PasswordHasher:
    """argon2id with the library's recommended cost, unless ARGON2_TIME_COST / ARGON2_MEMORY_COST_KIB tune it
    (to the hardware; a test of volume lowers it). Hashes made at another cost are upgraded at sign-in."""
    from argon2 import PasswordHasher

    default = PasswordHasher()
    return PasswordHasher(
        time_cost=int(os.environ.get("ARGON2_TIME_COST", default.time_cost)),
        memory_cost=int(os.environ.get("ARGON2_MEMORY_COST_KIB", default.memory_cost)),
    )


@cache
def _decoy_hash() -> str:
    return _hasher().hash("decoy password for unknown accounts")


def meets_policy(password: str) -> bool:
    return len(password) <= PASSWORD_MAX_LENGTH and PASSWORD_POLICY.match(password) is not None


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify(password_hash: str | None, password: str) -> bool:
    """Check a password; for an unknown account (no hash) it spends the same time and answers False."""
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(password_hash or _decoy_hash(), password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)
