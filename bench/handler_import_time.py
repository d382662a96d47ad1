"""What importing each API handler module costs a cold start: CPU time (user + system) of a fresh interpreter
that imports it, minus a bare interpreter's, against the dependency floor every function pays (`import
aws_lambda_powertools, pydantic, psycopg`). Target: every module within x1.25 of the floor. CPU time rather than
wall-clock time, so that a busy machine changes the figures less. Printed, not asserted.

    .venv/bin/python -m bench.handler_import_time [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys

from bench.figures import record
from functions import registry

ENVIRONMENT = {**os.environ, "JWT_SECRET": "bench", "POWERTOOLS_TRACE_DISABLED": "true", "PYTHONDONTWRITEBYTECODE": "1"}
FLOOR = "import aws_lambda_powertools, pydantic, psycopg"
TARGET = 1.25


def _cpu_seconds(code: str) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-c", code], check=True, env=ENVIRONMENT)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _median(code: str, runs: int) -> float:
    return statistics.median(_cpu_seconds(code) for _ in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    bare = _median("pass", runs)
    floor = _median(FLOOR, runs) - bare
    print(f"CPU above a bare interpreter ({bare * 1000:.0f} ms), median of {runs} runs")
    print(f"{'floor: ' + FLOOR:60s} {floor * 1000:6.0f} ms")
    modules = [d.module for d in registry.endpoints()] + [registry.AUTHORIZER_MODULE]
    ratios = {}
    for module in modules:
        cost = _median(f"import {module}", runs) - bare
        ratios[module] = cost / floor
        flag = "" if ratios[module] <= TARGET else f"  (over x{TARGET})"
        print(f"{module:60s} {cost * 1000:6.0f} ms  x{ratios[module]:.2f}{flag}")
    worst = max(ratios, key=ratios.__getitem__)
    median = statistics.median(ratios.values())
    detail = f"floor {floor * 1000:.0f} ms CPU; {len(modules)} modules, {runs} runs each"
    record("handler_import_time", "API module import CPU / floor, median", median, "x", f"≤ x{TARGET}", None, detail)
    record(
        "handler_import_time",
        f"API module import CPU / floor, worst ({worst.removeprefix('functions.api.')})",
        ratios[worst],
        "x",
        f"≤ x{TARGET}",
        ratios[worst] <= TARGET,
        detail,
    )


if __name__ == "__main__":
    main()
