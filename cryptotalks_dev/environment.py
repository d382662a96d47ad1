"""The environment the functions read, with the local runtime's defaults. It imports nothing of the project:
it must run before the functions' modules create their Powertools logger and metrics."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

BUS_NAME = "cryptotalks"


def _jwt_secret(data_dir: Path) -> str:
    """A random signing key kept in the data folder, so sessions survive a restart."""
    path = data_dir / "jwt-secret"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def configure_environment(data_dir: Path, public_base_url: str) -> Path:
    """Set what is not set yet; returns the folder of the dev mailbox."""
    data_dir.mkdir(parents=True, exist_ok=True)
    defaults = {
        "JWT_SECRET": _jwt_secret(data_dir),
        "EVENT_BUS_NAME": BUS_NAME,
        "PUBLIC_BASE_URL": public_base_url,
        "CRYPTOTALKS_DEV_OUTBOX_DIR": str(data_dir / "outbox"),
        "POWERTOOLS_SERVICE_NAME": "cryptotalks",
        "POWERTOOLS_METRICS_NAMESPACE": "Cryptotalks",
        "POWERTOOLS_METRICS_DISABLED": "true",
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
    }
    for name, value in defaults.items():
        os.environ.setdefault(name, value)
    return Path(os.environ["CRYPTOTALKS_DEV_OUTBOX_DIR"])
