"""`cryptotalks audit tail`: the newest records of the action log, from the store the running `cryptotalks dev`
writes to (MongoDB with `MONGODB_URI`, else PostgreSQL), or from `MONGODB_URI` / `DATABASE_URL` when none runs."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict
from pathlib import Path

from cryptotalks_dev.runtime_file import NotRunningError, attach


def run(data_dir: Path, count: int, as_json: bool) -> int:
    try:
        attach(data_dir)
    except NotRunningError as error:
        if not (os.environ.get("MONGODB_URI") or os.environ.get("DATABASE_URL")):
            print(f"{error}; or set MONGODB_URI or DATABASE_URL", file=sys.stderr)
            return 2
    from cryptotalks.audit import logic

    records = list(reversed(logic.latest(count)))  # oldest first, as a tail reads
    if as_json:
        print(json.dumps([asdict(r) for r in records], indent=2, default=str))
        return 0
    for r in records:
        print(f"{r.timestamp.isoformat(timespec='seconds')}  {r.status:<7}  {r.event:<16}  {r.source:<6}  {r.message}")
    return 0
