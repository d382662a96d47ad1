"""What a benchmark reports: a figure with its target, and the machine's load when it was measured.

A benchmark prints its figures as it always did, and also calls `record()` for those worth a row in
docs/benchmarks.md: run under `bench.report`, each is kept (one JSON line in the file named by BENCH_FIGURES);
run alone, `record()` only prints.
"""

from __future__ import annotations

import json
import os
import shlex
import sys
from dataclasses import asdict, dataclass

FIGURES_FILE = "BENCH_FIGURES"


@dataclass(frozen=True)
class Figure:
    benchmark: str
    name: str
    value: float
    unit: str
    target: str  # as the issue or the benchmark states it, e.g. "≤ 15 ms" or "≤ x1.3"
    met: bool | None  # None: the figure has no target of its own
    detail: str = ""  # what the figure is made of: a ratio's two sides, buffers read, n
    load_average: str = ""
    command: str = ""


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


def command() -> str:
    module = sys.modules["__main__"].__spec__
    program = f"-m {module.name}" if module is not None else shlex.quote(sys.argv[0])
    return " ".join([".venv/bin/python", program, *map(shlex.quote, sys.argv[1:])])


def record(
    benchmark: str, name: str, value: float, unit: str, target: str, met: bool | None, detail: str = ""
) -> Figure:
    figure = Figure(benchmark, name, value, unit, target, met, detail, load_average(), command())
    verdict = "" if met is None else ("  target met" if met else "  TARGET MISSED")
    print(f"  [figure] {name}: {value:.2f} {unit} (target {target}){verdict}  load {figure.load_average}", flush=True)
    path = os.environ.get(FIGURES_FILE)
    if path:
        with open(path, "a", encoding="utf-8") as figures:
            figures.write(json.dumps(asdict(figure)) + "\n")
    return figure
