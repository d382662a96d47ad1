"""The web client in headless Chromium against `cryptotalks dev`: the journeys in web/e2e/*.e2e.ts.

Needs Node 20.19+ with npm and Debian's `chromium` (`.ci/run` installs both); without them this test fails and
says what to install. It installs the client's packages (`npm ci`) and builds it when the build is missing or
older than its sources. Screenshots go to web/e2e/screenshots/ (git-ignored).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import requests

from tests.e2e.conftest import LocalRuntimes, wait_for_mail
from tests.support import STRONG_PASSWORD, repo_root

WEB = repo_root() / "web"
SCREENSHOTS = WEB / "e2e" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
NODE_AT_LEAST = (20, 19)
# What the build is made from: when any of it is newer than dist/index.html, the client is built again.
BUILD_INPUTS = ("src", "public", "index.html", "package-lock.json", "vite.config.ts", "tsconfig.json")


def _node_version(node: str) -> tuple[int, int]:
    printed = subprocess.run([node, "--version"], capture_output=True, text=True, check=True).stdout
    found = re.match(r"v(\d+)\.(\d+)", printed.strip())
    return (int(found.group(1)), int(found.group(2))) if found else (0, 0)


def _require_node_and_chromium() -> str:
    """npm's path; fails (never skips) with what to install when a tool is missing."""
    node, npm = shutil.which("node"), shutil.which("npm")
    wanted = ".".join(map(str, NODE_AT_LEAST))
    if not node or not npm:
        pytest.fail(f"the web client's tests need Node.js {wanted}+ with npm on PATH (.ci/run checks for it)")
    if _node_version(node) < NODE_AT_LEAST:
        pytest.fail(f"the web client's tests need Node.js {wanted}+; `node --version` is older")
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"no Chromium at {CHROMIUM}: `apt-get install -y chromium` (.ci/run does it) or set CHROMIUM_PATH")
    return npm


def _newest_mtime(paths: list[Path]) -> float:
    files = [f for p in paths if p.exists() for f in ([p] if p.is_file() else p.rglob("*")) if f.is_file()]
    return max((f.stat().st_mtime for f in files), default=0.0)


def _npm(npm: str, *args: str, env: dict[str, str] | None = None, timeout: int = 600) -> str:
    done = subprocess.run([npm, *args], cwd=WEB, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    output = done.stdout + done.stderr
    if done.returncode != 0:
        pytest.fail(f"`npm {' '.join(args)}` failed in web/:\n{output[-6000:]}")
    return output


def _install_and_build(npm: str) -> None:
    installed = WEB / "node_modules" / ".package-lock.json"  # npm writes it on every install
    if not installed.exists() or installed.stat().st_mtime < (WEB / "package-lock.json").stat().st_mtime:
        _npm(npm, "ci")
    built = WEB / "dist" / "index.html"
    if not built.exists() or built.stat().st_mtime < _newest_mtime([WEB / name for name in BUILD_INPUTS]):
        _npm(npm, "run", "build")


def _moderator(local_runtimes: LocalRuntimes) -> dict[str, str]:
    """A confirmed account granted the moderator's role with `cryptotalks grant`, for web/e2e/moderation.e2e.ts."""
    runtime = local_runtimes.shared()
    username = f"moderator{uuid.uuid4().hex[:8]}"
    email = f"{username}@example.com"
    body = {"email": email, "password": STRONG_PASSWORD, "username": username, "tac": True}
    assert requests.post(f"{runtime.base_url}/api/user/sign-up", json=body, timeout=30).status_code == 201
    secret = re.search(r"/account-confirmation/([0-9a-f]{40})\b", wait_for_mail(runtime.base_url, email)["text"])
    assert secret
    assert requests.get(f"{runtime.base_url}/api/user/account-confirmation/{secret.group(1)}", timeout=30).ok
    granted = runtime.cli("grant", "moderator", username)
    assert granted.returncode == 0, granted.stderr
    return {"MODERATOR_EMAIL": email, "MODERATOR_PASSWORD": STRONG_PASSWORD}


@pytest.mark.e2e
@pytest.mark.timeout(900)
def test_web_client_journey_in_chromium(local_runtime: str, local_runtimes: LocalRuntimes) -> None:
    npm = _require_node_and_chromium()
    _install_and_build(npm)
    runtime = local_runtimes.shared()
    sync = [sys.executable, "-m", "cryptotalks_dev.cli", "sync-coins", "--data-dir", str(runtime.data_dir)]
    env = {
        **os.environ,
        "CRYPTOTALKS_URL": local_runtime,
        "CRYPTOTALKS_SYNC_COMMAND": json.dumps(sync),  # the alerts journey runs a coin sync on the runtime
        "CHROMIUM_PATH": CHROMIUM,
        "SCREENSHOT_DIR": str(SCREENSHOTS),
        "NO_COLOR": "1",
        **_moderator(local_runtimes),
    }
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    output = _npm(npm, "run", "e2e", env=env)
    # Every test of the journey ran and passed: none skipped, none left out.
    counted = re.search(r"Tests\s+(\d+) passed \((\d+)\)", output)
    assert counted and counted.group(1) == counted.group(2), output[-4000:]
    shots = sorted(p.name for p in SCREENSHOTS.glob("*.png"))
    main_pages = {"posts", "post", "coins", "coin", "profile", "settings", "moderation"}
    missing = {f"{page}-{width}.png" for page in main_pages for width in (1280, 390)} - set(shots)
    assert not missing, f"screenshots missing: {sorted(missing)}"
