"""A function's declaration says what it uses (`uses=`, cryptotalks.uses), and the CDK grants exactly that: here
each declaration is checked against its function's code.

From the function (the endpoint's route, the consumer, the job's handler) every function of the project it names
is followed, through the modules' globals, to the adapters: email is sent through `email.sender()`, SMS through
`sms.sender()`, avatars are found by `avatars.bucket()`, and live market data starts at `market_data_settings()`.
A function that reaches one must declare it (or it would fail, or go offline, on AWS) and one that declares it
must reach it (or it holds a secret it does not need). Calls through an object's methods are not followed: the
adapters are module functions, called by name on every path to them."""

from __future__ import annotations

import ast
import importlib
import inspect
import textwrap
import types
from collections.abc import Callable
from typing import Any

import pytest

from cryptotalks.crypto.settings import market_data_settings
from cryptotalks.notifications import email, sms
from cryptotalks.users import avatars
from cryptotalks.uses import Uses
from functions import registry

ADAPTERS: dict[Callable[..., Any], Uses] = {
    email.sender: Uses.SENDGRID,
    sms.sender: Uses.TWILIO,
    avatars.bucket: Uses.AVATARS_BUCKET,
    market_data_settings: Uses.COINRANKING,
}
PROJECT_PACKAGES = ("cryptotalks.", "functions.")


def _named(expression: ast.expr, names: dict[str, Any]) -> Any:
    """What `name` or `module.name` (or deeper) means where the function is defined, or None."""
    if isinstance(expression, ast.Name):
        return names.get(expression.id)
    if isinstance(expression, ast.Attribute):
        owner = _named(expression.value, names)
        return getattr(owner, expression.attr, None) if owner is not None else None
    return None


def reached(function: Callable[..., Any], seen: set[Any] | None = None) -> set[Uses]:
    """The uses of the adapters the function reaches through the project's functions it names."""
    seen = set() if seen is None else seen
    function = inspect.unwrap(function)  # past the logger's and metrics' decorators
    if not isinstance(function, types.FunctionType) or function in seen:
        return set()
    seen.add(function)
    if function in ADAPTERS:
        return {ADAPTERS[function]}
    if not function.__module__.startswith(PROJECT_PACKAGES):
        return set()
    found: set[Uses] = set()
    for node in ast.walk(ast.parse(textwrap.dedent(inspect.getsource(function)))):
        if isinstance(node, ast.Name | ast.Attribute):
            found |= reached(_named(node, function.__globals__), seen)
    return found


def _declared() -> list[tuple[str, Callable[..., Any], tuple[Uses, ...]]]:
    endpoints = [(d.function_id, d.declaration.function, d.declaration.uses) for d in registry.endpoints()]
    consumers = [(d.function_id, d.declaration.function, d.declaration.uses) for d in registry.subscriptions()]
    jobs = [(d.function_id, importlib.import_module(d.module).handler, d.declaration.uses) for d in registry.jobs()]
    return [(i, f, uses) for i, f, uses in [*endpoints, *consumers, *jobs] if f is not None]


# Named by the function's id alone: a function's repr holds its address, which differs between xdist's processes.
@pytest.mark.parametrize(("function_id", "function", "uses"), [pytest.param(*d, id=d[0]) for d in _declared()])
def test_a_declaration_uses_what_its_code_reaches(
    function_id: str, function: Callable[..., Any], uses: tuple[Uses, ...]
) -> None:
    assert reached(function) == set(uses), f"{function_id}: declare uses={tuple(sorted(reached(function)))}"


def test_what_mails_declares_sendgrid_and_what_texts_twilio() -> None:
    by_id = {function_id: set(uses) for function_id, _, uses in _declared()}
    assert Uses.SENDGRID in by_id["consumers-users-user-created"]  # the confirmation link
    assert Uses.TWILIO in by_id["consumers-users-send-verification-mobile-code"]
    assert Uses.COINRANKING in by_id["jobs-sync-coins"]
    assert not by_id["api-user-sign-in"]  # it publishes; the consumers send


def test_every_declared_function_is_checked() -> None:
    everything = [*registry.endpoints(), *registry.subscriptions(), *registry.jobs()]
    assert len(_declared()) == len(everything)
