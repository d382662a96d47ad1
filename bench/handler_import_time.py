"""Import time of every API handler module in a fresh interpreter, minus a bare interpreter's start.

Target: ≤ 300 ms each (a Lambda cold start pays it). Printed, not asserted.

    .venv/bin/python -m bench.handler_import_time [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

from functions import registry

ENVIRONMENT = {**os.environ, "JWT_SECRET": "bench", "POWERTOOLS_TRACE_DISABLED": "true", "PYTHONDONTWRITEBYTECODE": "1"}


def _seconds(code: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=ENVIRONMENT)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    bare = statistics.median(_seconds("pass") for _ in range(runs))
    print(f"bare interpreter start: {bare * 1000:.0f} ms (median of {runs}); figures below exclude it")
    modules = [d.module for d in registry.endpoints()] + [registry.AUTHORIZER_MODULE]
    worst = 0.0
    for module in modules:
        cost = statistics.median(_seconds(f"import {module}") for _ in range(runs)) - bare
        worst = max(worst, cost)
        flag = "" if cost <= 0.300 else "  (over the 300 ms target)"
        print(f"{module:60s} {cost * 1000:6.0f} ms{flag}")
    print(f"worst: {worst * 1000:.0f} ms over {len(modules)} modules")


if __name__ == "__main__":
    main()
