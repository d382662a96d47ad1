"""The one list of what is deployed: every endpoint, consumer and job, read from their modules.

The CDK stack, the local runtime, the OpenAPI document and the tests all start here. Adding an endpoint
is adding a module under functions/api/ that declares `endpoint` and exports `handler`.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import Any, Generic, TypeVar

import functions
from cryptotalks.events.consumer import Subscription
from cryptotalks.http import Endpoint
from cryptotalks.jobs import Job

AUTHORIZER_MODULE = "functions.api.auth.authorizer"

D = TypeVar("D")


@dataclass(frozen=True)
class Declared(Generic[D]):
    module: str  # functions.api.user.sign_up
    declaration: D

    @property
    def function_id(self) -> str:
        """Stable name of the deployed function: api-user-sign-up."""
        return self.module.removeprefix("functions.").replace(".", "-").replace("_", "-")

    @property
    def handler_path(self) -> str:
        return f"{self.module}.handler"

    @property
    def handler(self) -> Any:
        return importlib.import_module(self.module).handler


def _modules(package: str) -> list[ModuleType]:
    root = importlib.import_module(package)
    return [
        importlib.import_module(info.name)
        for info in pkgutil.walk_packages(root.__path__, f"{package}.")
        if not info.ispkg
    ]


def _declared(package: str, attribute: str, kind: type[D]) -> list[Declared[D]]:
    found = []
    for module in _modules(package):
        declaration = getattr(module, attribute, None)
        if isinstance(declaration, kind):
            found.append(Declared(module.__name__, declaration))
    return sorted(found, key=lambda d: d.module)


@cache
def endpoints() -> list[Declared[Endpoint]]:
    found = _declared("functions.api", "endpoint", Endpoint)
    routes = [(d.declaration.method, path) for d in found for path in d.declaration.paths]
    duplicates = {r for r in routes if routes.count(r) > 1}
    if duplicates:
        raise RuntimeError(f"routes declared twice: {sorted(duplicates)}")
    return found


@cache
def subscriptions() -> list[Declared[Subscription[Any]]]:
    return _declared("functions.consumers", "subscription", Subscription)


@cache
def jobs() -> list[Declared[Job]]:
    return _declared("functions.jobs", "job", Job)


def package_root() -> str:
    return str(functions.__path__[0])
