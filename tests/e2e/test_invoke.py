"""`cryptotalks invoke`: one function on a sample event from events/, like `sam local invoke`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from functions import registry
from tests.support import repo_root

EVENTS = repo_root() / "events"


def _invoke(function_id: str, database_url: str, data_dir: Path) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "JWT_"))}
    env["DATABASE_URL"] = database_url
    finished = subprocess.run(
        [
            sys.executable,
            "-m",
            "cryptotalks_dev.cli",
            "invoke",
            function_id,
            "--event",
            str(EVENTS / f"{function_id}.json"),
            "--data-dir",
            str(data_dir),
        ],
        capture_output=True,
        text=True,
        cwd=repo_root(),
        env=env,
        timeout=120,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    answer: dict[str, Any] = json.loads(finished.stdout[finished.stdout.index("{") :])
    return answer


def test_every_sample_event_names_a_function() -> None:
    everything: list[registry.Declared[Any]] = [*registry.endpoints(), *registry.subscriptions(), *registry.jobs()]
    known = {d.function_id for d in everything}
    known.add("api-auth-authorizer")
    for sample in EVENTS.glob("*.json"):
        assert sample.stem in known, f"{sample.name} names no declared function"
        json.loads(sample.read_text())


def test_invoke_sign_up_then_its_consumer(fresh_database: Any, tmp_path: Path) -> None:
    database_url = fresh_database()
    signed_up = _invoke("api-user-sign-up", database_url, tmp_path)
    assert (signed_up["statusCode"], json.loads(signed_up["body"])) == (201, {"message": "success"})
    consumed = _invoke("consumers-crypto-crypto-for-user-created", database_url, tmp_path)
    assert consumed == {"batchItemFailures": []}


@pytest.mark.parametrize(("function_id", "status"), [("api-auth-refresh", 401), ("api-user-account-confirmation", 404)])
def test_invoke_answers_errors_in_the_contract_shape(
    fresh_database: Any, tmp_path: Path, function_id: str, status: int
) -> None:
    answer = _invoke(function_id, fresh_database(), tmp_path)
    assert answer["statusCode"] == status and json.loads(answer["body"])["statusCode"] == status


def test_invoke_the_authorizer(fresh_database: Any, tmp_path: Path) -> None:
    policy = _invoke("api-auth-authorizer", fresh_database(), tmp_path)
    assert policy["policyDocument"]["Statement"][0]["Effect"] == "Deny"
    assert policy["context"]["message"] == "invalid-token"
