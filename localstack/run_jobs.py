"""Runs the jobs a LocalStack deploy does not run by itself: the migrations (on AWS a CDK trigger runs them during
the deploy; LocalStack 1.4's CloudFormation skips `Custom::Trigger`), then the coin sync once (on AWS its hourly
schedule's first run; offline there, it loads the bundled snapshot), so that coins can be listed and kept.

    python localstack/run_jobs.py [--stage dev]

AWS clients come from localstack-client: `AWS_ENDPOINT_URL` (or `LOCALSTACK_HOST`) says where LocalStack is.
"""

from __future__ import annotations

import argparse
import json
import time

from localstack_client.session import Session

JOBS = ("jobs-migrate", "jobs-sync-coins")


def run_jobs(stage: str, session: Session | None = None) -> dict[str, float]:
    """Invokes each job's function and waits for its answer; a failed job raises. Returns seconds per job."""
    client = (session or Session()).client("lambda")
    seconds = {}
    for job in JOBS:
        started = time.monotonic()
        answer = client.invoke(FunctionName=f"cryptotalks-{stage}-{job}", Payload=b"{}")
        payload = answer["Payload"].read().decode()
        if answer.get("FunctionError") or answer["StatusCode"] >= 300:
            raise RuntimeError(f"{job} failed: {payload[:3000]}")
        seconds[job] = round(time.monotonic() - started, 1)
        print(f"{job}: {payload[:200] or 'done'} ({seconds[job]} s)", flush=True)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stage", default="dev")
    print(json.dumps(run_jobs(parser.parse_args().stage)))


if __name__ == "__main__":
    main()
