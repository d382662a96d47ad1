"""What importing each API handler module costs a cold start: CPU time of a fresh interpreter importing it, against
the dependency floor every function pays (`import aws_lambda_powertools, pydantic, psycopg`). Target: every module
within x1.25 of the floor. CPU time rather than wall-clock time, so that a busy machine changes the figures less;
and each interpreter times the floor and then the module, so that a ratio's two sides are measured under the same
load (a floor measured once, at the start, drifted from 173 to 241 ms between two runs on a shared machine).

A second floor, the framework's, is the floor plus what any Powertools handler with request validation and one
pydantic model imports and builds (FRAMEWORK): pydantic's model machinery and the resolver's, which `import
pydantic` and `import aws_lambda_powertools` leave out. A module's ratio to it is our own code's cost; the target
stays against the first floor. Printed, not asserted.

    .venv/bin/python -m bench.handler_import_time [--runs 5]
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
from pathlib import Path

from bench.figures import record
from functions import registry

ENVIRONMENT = {**os.environ, "JWT_SECRET": "bench", "POWERTOOLS_TRACE_DISABLED": "true", "PYTHONDONTWRITEBYTECODE": "1"}
ROOT = Path(__file__).resolve().parent.parent
FLOOR = "import aws_lambda_powertools, pydantic, psycopg"
TARGET = 1.25
FRAMEWORK = """
from aws_lambda_powertools.event_handler import APIGatewayRestResolver
from pydantic import BaseModel

class Body(BaseModel):
    text: str

app = APIGatewayRestResolver(enable_validation=True)

@app.post("/echo")
def echo(body: Body) -> Body:
    return body
"""


# The interpreter's own start is in neither side: it is timed from its first statement.
_PROBE = """
import time
started = time.process_time()
FLOOR
floor = time.process_time()
exec(compile(CODE, "<above the floor>", "exec"))
print(floor - started, time.process_time() - floor)
""".replace("FLOOR", FLOOR)


def _floor_and_above_seconds(code: str, runs: int) -> tuple[float, float]:
    """Medians of the floor's CPU time and of `code`'s above it, each run in an interpreter of its own."""
    samples = [
        [
            float(value)
            for value in subprocess.run(
                [sys.executable, "-c", _PROBE.replace("CODE", repr(code))],
                check=True,
                env=ENVIRONMENT,
                capture_output=True,
                text=True,
            ).stdout.split()
        ]
        for _ in range(runs)
    ]
    return statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples)


def compile_project() -> None:
    """Our code as it is deployed: compiled, as the installed packages are (infra_cdk/bundling.py ships the layer's
    byte code). Otherwise each run would compile it from source, 12-18 ms a module that no cold start pays."""
    for folder in ("layers", "functions"):
        compileall.compile_dir(ROOT / folder, quiet=1, workers=0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    compile_project()
    print(f"CPU of the floor and of the module above it, in one interpreter each, median of {runs} runs;")
    print("x: to the floor; fw: to the framework floor (one run of it beside each module's, their median)")
    modules = [d.module for d in registry.endpoints()] + [registry.AUTHORIZER_MODULE]
    ratios, floors, framework_ratios = {}, [], []
    for module in modules:
        floor, cost = _floor_and_above_seconds(f"import {module}", runs)
        floors.append(floor)
        ratios[module] = (floor + cost) / floor
        framework_floor, framework_cost = _floor_and_above_seconds(FRAMEWORK, 1)
        framework_ratios.append((framework_floor + framework_cost) / framework_floor)
        flag = "" if ratios[module] <= TARGET else f"  (over x{TARGET})"
        print(f"{module:50s} floor {floor * 1000:4.0f} ms  +{cost * 1000:4.0f} ms  x{ratios[module]:.2f}{flag}")
    floor = statistics.median(floors)
    framework = statistics.median(framework_ratios)
    print(f"framework floor: x{framework:.2f} the floor ({len(framework_ratios)} runs)")
    for module, ratio in ratios.items():
        print(f"{module:50s} fw x{ratio / framework:.2f}")
    worst = max(ratios, key=ratios.__getitem__)
    median = statistics.median(ratios.values())
    name = worst.removeprefix("functions.api.")
    detail = f"floor {floor * 1000:.0f} ms CPU; {len(modules)} modules, {runs} runs each"
    record("handler_import_time", "API module import CPU / floor, median", median, "x", f"≤ x{TARGET}", None, detail)
    record(
        "handler_import_time",
        f"API module import CPU / floor, worst ({name})",
        ratios[worst],
        "x",
        f"≤ x{TARGET}",
        ratios[worst] <= TARGET,
        detail,
    )
    framework_detail = f"framework floor x{framework:.2f} the floor ({len(framework_ratios)} runs); {detail}"
    record(
        "handler_import_time",
        "framework floor (Powertools resolver with validation, one pydantic model) / floor",
        framework,
        "x",
        "none (what no handler of this design avoids)",
        None,
        framework_detail,
    )
    for label, ratio in (("median", median), (f"worst ({name})", ratios[worst])):
        record(
            "handler_import_time",
            f"API module import CPU / framework floor, {label}",
            ratio / framework,
            "x",
            "none (our own code's cost)",
            None,
            framework_detail,
        )


if __name__ == "__main__":
    main()
