"""Runs every benchmark and writes docs/benchmarks.md: the figures they record (bench.figures) with their targets,
ratios, the load average when each was measured and the command to measure it again; then each benchmark's output.

A benchmark is any module of this folder that runs as a program (`if __name__ == "__main__":`), except this one and
the data loader: a new file is picked up as it is, and its `record()` calls give it rows in the table.

    .venv/bin/python -m bench.report [--only posts_queries,crypto_list] [--output docs/benchmarks.md]

Arguments for one benchmark: BENCH_ARGS_<NAME>, e.g. BENCH_ARGS_POSTS_QUERIES="--sizes 100000".
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shlex
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.figures import FIGURES_FILE, Figure, load_average

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
NOT_BENCHMARKS = {"report", "generate_posts_data"}
OUTPUT_LINES = 150  # of each benchmark's output, the last ones go in the report


@dataclass
class Run:
    name: str
    command: str
    seconds: float
    returncode: int
    output: str
    load_before: str
    load_after: str


def benchmarks() -> list[str]:
    return sorted(
        path.stem
        for path in BENCH.glob("*.py")
        if path.stem not in NOT_BENCHMARKS and re.search(r'^if __name__ == "__main__":', path.read_text(), re.M)
    )


def run(name: str, figures_file: str) -> Run:
    arguments = shlex.split(os.environ.get(f"BENCH_ARGS_{name.upper()}", ""))
    command = [sys.executable, "-m", f"bench.{name}", *arguments]
    environment = {**os.environ, FIGURES_FILE: figures_file}
    print(f"== {name}: {shlex.join(command)}", flush=True)
    before, started = load_average(), time.perf_counter()
    finished = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, check=False)
    output = finished.stdout + (f"\n[stderr]\n{finished.stderr}" if finished.returncode else "")
    print(output[-3000:], flush=True)
    shown = " ".join([".venv/bin/python", "-m", f"bench.{name}", *map(shlex.quote, arguments)])
    return Run(name, shown, time.perf_counter() - started, finished.returncode, output, before, load_average())


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(runs: list[Run], figures: list[Figure]) -> str:
    cores = os.cpu_count() or 1
    busiest = max((float(r.load_before.split(",")[0]) for r in runs), default=0.0)
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` (`.venv/bin/python -m bench.report`) on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC,"
        f" {platform.machine()} with {cores} cores, Python {platform.python_version()}.",
        "Figures are printed by the benchmarks, never asserted. Compare ratios measured in one run rather than"
        " absolute times, and buffer counts (EXPLAIN ANALYZE, BUFFERS) before either: they do not depend on load.",
        "",
    ]
    if busiest > cores:
        lines += [
            f"**The machine was shared while these figures were taken** (load average up to {busiest:.1f} on"
            f" {cores} cores): absolute times are inflated and noisy; each figure carries its load average.",
            "",
        ]
    lines += [
        "| benchmark | figure | value | target | met | detail | load average (1, 5, 15 min) | command |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for f in figures:
        met = "-" if f.met is None else ("yes" if f.met else "**no**")
        lines.append(
            f"| {f.benchmark} | {_cell(f.name)} | {f.value:.2f} {f.unit} | {_cell(f.target)} | {met} |"
            f" {_cell(f.detail)} | {f.load_average} | `{f.command}` |"
        )
    lines.append("")
    for r in runs:
        status = "" if r.returncode == 0 else f", **exit code {r.returncode}**"
        shown = r.output.splitlines()[-OUTPUT_LINES:]
        lines += [
            f"## {r.name}",
            "",
            f"`{r.command}` — {r.seconds:.0f} s{status}; load average {r.load_before} before, {r.load_after} after.",
            "",
            "```",
            *shown,
            "```",
            "",
        ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", help="comma-separated benchmark names (default: all)")
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args()
    names = args.only.split(",") if args.only else benchmarks()
    with tempfile.NamedTemporaryFile("r", suffix=".jsonl", encoding="utf-8") as figures_file:
        runs = [run(name, figures_file.name) for name in names]
        figures = [Figure(**json.loads(line)) for line in figures_file.read().splitlines() if line]
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render(runs, figures), encoding="utf-8")
    print(f"wrote {output}")


if __name__ == "__main__":
    main()
