from __future__ import annotations

import pytest

from cryptotalks.credentials import passwords


@pytest.mark.parametrize("password", ["Passw0rd!", "Abcdefg1#", "Zz9-zzzz", "É-long Passw0rd with spaces"])
def test_policy_accepts(password: str) -> None:
    assert passwords.meets_policy(password)


@pytest.mark.parametrize(
    "password",
    ["Pa0!", "password1!", "PASSWORD1!", "Password!!", "Password12", "", "A1!a" * 40],
)
def test_policy_refuses(password: str) -> None:
    assert not passwords.meets_policy(password)


def test_hash_is_argon2id_and_verifies() -> None:
    hashed = passwords.hash_password("Passw0rd!")
    assert hashed.startswith("$argon2id$")
    assert passwords.verify(hashed, "Passw0rd!")
    assert not passwords.verify(hashed, "Passw0rd?")
    assert not passwords.verify("not a hash", "Passw0rd!")
    assert not passwords.needs_rehash(hashed)


def test_unknown_account_never_verifies() -> None:
    assert not passwords.verify(None, "decoy password for unknown accounts")
