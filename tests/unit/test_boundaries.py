"""The bounded contexts' boundaries (pyproject.toml's [tool.importlinter]): a context imports another context's
`events` and `models` only. `make lint` checks the same."""

from __future__ import annotations

from pathlib import Path

import pytest
from importlinter import cli

ROOT = Path(__file__).resolve().parents[2]


def test_no_context_imports_another_contexts_logic_or_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert cli.lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True) == 0
