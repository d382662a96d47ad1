"""`cryptotalks`: run the system locally, invoke one function, apply migrations, write the OpenAPI document and
the event catalogue, work on a running stack's dead letters and action log."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from pathlib import Path
from typing import Any

from cryptotalks_dev.environment import configure_environment

DEFAULT_DATA_DIR = Path(".local")
# One API worker per core, and at least two so that requests meet as they do on AWS even on a small machine.
DEFAULT_WORKERS = max(2, os.cpu_count() or 1)


def dev(args: argparse.Namespace) -> int:
    base_url = f"http://{args.host}:{args.port}"
    os.environ["EVENT_BUS"] = args.bus
    configure_environment(Path(args.data_dir), base_url)
    from cryptotalks_dev.http_workers import serving_workers
    from cryptotalks_dev.runtime_file import recorded
    from cryptotalks_dev.server import listening_socket
    from cryptotalks_dev.services import local_services, running_pollers
    from cryptotalks_dev.signals import set_on_sigterm, wait_until_set

    stopping = set_on_sigterm()
    # Bound first: a port in use fails at once, not once the stack is up.
    with (
        listening_socket(args.host, args.port) as listening,
        local_services(Path(args.data_dir), base_url) as stack,
        running_pollers(stack),
        # Avatars are presigned URLs of the local S3, another origin than the pages'.
        serving_workers(listening, args.workers, stack.outbox_dir, image_origins=(stack.aws_endpoint_url,)) as pids,
        recorded(stack, base_url),
    ):
        print(f"Cryptotalks is ready on {base_url}", flush=True)
        print(f"  API workers: {len(pids)} processes ({', '.join(map(str, pids))})", flush=True)
        print(f"  API docs: {base_url}/docs   mailbox: {base_url}/dev/mailbox   SMS: {base_url}/dev/sms", flush=True)
        bus = f"Kafka at {stack.kafka_bootstrap_servers}" if stack.kafka_bootstrap_servers else "EventBridge"
        print(f"  events: {bus}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            wait_until_set(stopping)
        print("Stopping…", flush=True)
    return 0


def invoke(args: argparse.Namespace) -> int:
    """Run one function on a sample event and print its answer, like `sam local invoke`."""
    configure_environment(Path(args.data_dir), "http://127.0.0.1:3000")
    from cryptotalks_dev.lambda_context import LocalLambdaContext
    from cryptotalks_dev.services import local_services
    from functions import registry

    everything: list[registry.Declared[Any]] = [*registry.endpoints(), *registry.subscriptions(), *registry.jobs()]
    known = {d.function_id: d.module for d in everything}
    known["api-auth-authorizer"] = registry.AUTHORIZER_MODULE
    module = known.get(args.function) or (args.function if args.function in known.values() else None)
    if module is None:
        print(f"unknown function {args.function!r}; one of:\n  " + "\n  ".join(sorted(known)), file=sys.stderr)
        return 2
    event: dict[str, Any] = json.loads(Path(args.event).read_text())
    with local_services(Path(args.data_dir), "http://127.0.0.1:3000"):
        import importlib

        handler = importlib.import_module(module).handler
        answer = handler(event, LocalLambdaContext(args.function))
    print(json.dumps(answer, indent=2, default=str))
    return 0


def sync_coins(args: argparse.Namespace) -> int:
    """Refresh coins and market stats now, whatever their age (the bundled snapshot without a Coinranking key). On
    a running `cryptotalks dev` (same data folder) the sync's events reach its consumers: price alerts fire."""
    from datetime import timedelta

    from cryptotalks_dev.runtime_file import NotRunningError, attach

    data_dir = Path(args.data_dir)
    try:
        attach(data_dir)
    except NotRunningError:
        return _sync_coins_alone(data_dir)
    from cryptotalks.crypto import sync

    outcome = sync.sync_coins(timedelta(hours=1), force=True, progress=lambda line: print(line, flush=True))
    return _sync_outcome(outcome)


def _sync_coins_alone(data_dir: Path) -> int:
    configure_environment(data_dir, "http://127.0.0.1:3000")
    if not os.environ.get("AWS_ENDPOINT_URL"):
        # This command's own moto ends with it, and update_coin events with it: coin pages ask for descriptions.
        os.environ["COIN_DESCRIPTIONS_PER_SYNC"] = "0"
    from datetime import timedelta

    from cryptotalks.crypto import sync
    from cryptotalks_dev.services import local_services

    with local_services(data_dir, "http://127.0.0.1:3000"):
        outcome = sync.sync_coins(timedelta(hours=1), force=True, progress=lambda line: print(line, flush=True))
    return _sync_outcome(outcome)


def _sync_outcome(outcome: Any) -> int:
    print(f"{outcome.outcome}: {outcome.coins} coins from {outcome.source} in {outcome.seconds:.1f} s")
    return 0 if outcome.outcome == "success" else 1


def run_job(args: argparse.Namespace) -> int:
    """Run one scheduled job now on the running `cryptotalks dev` (e.g. the notification digests)."""
    from cryptotalks_dev.lambda_context import LocalLambdaContext
    from cryptotalks_dev.runtime_file import NotRunningError, attach
    from cryptotalks_dev.scheduler import scheduled_event

    try:
        attach(Path(args.data_dir))
    except NotRunningError as error:
        print(error, file=sys.stderr)
        return 2
    from functions import registry

    declared = {d.function_id: d for d in registry.jobs()}
    chosen = declared.get(args.job) or declared.get(f"jobs-{args.job}")
    if chosen is None:
        print(f"unknown job {args.job!r}; one of: {', '.join(sorted(declared))}", file=sys.stderr)
        return 2
    answer = chosen.handler(scheduled_event(chosen), LocalLambdaContext(chosen.function_id))
    print(json.dumps(answer, default=str))
    return 0


def seed(args: argparse.Namespace) -> int:
    """Demo accounts, posts, comments and votes in the local stack, through each context's logic."""
    configure_environment(Path(args.data_dir), "http://127.0.0.1:3000")
    from cryptotalks_dev.seed import seed_demo_data

    seed_demo_data(Path(args.data_dir), "http://127.0.0.1:3000", lambda line: print(line, flush=True))
    return 0


def migrate(args: argparse.Namespace) -> int:
    from cryptotalks import db, migrations

    with db.connect(args.database_url) as conn:
        applied = migrations.apply_all(conn)
    print("\n".join(f"applied {m.context}/{m.version}" for m in applied) or "up to date")
    return 0


def openapi(args: argparse.Namespace) -> int:
    from cryptotalks_dev.openapi import DOCUMENT, render

    text = render()
    if args.check:
        if not DOCUMENT.exists() or DOCUMENT.read_text() != text:
            print(f"{DOCUMENT} is stale: run `cryptotalks openapi`", file=sys.stderr)
            return 1
        return 0
    DOCUMENT.write_text(text)
    print(f"wrote {DOCUMENT}")
    return 0


def event_schemas(args: argparse.Namespace) -> int:
    from cryptotalks_dev import event_catalogue

    if args.check:
        stale = event_catalogue.stale()
        for path in stale:
            print(f"{path} is stale: run `cryptotalks schemas`", file=sys.stderr)
        return 1 if stale else 0
    for path in event_catalogue.write():
        print(f"wrote {path}" if path.exists() else f"removed {path}")
    return 0


def dead_letters(args: argparse.Namespace) -> int:
    from cryptotalks_dev.dead_letters import run

    return run(Path(args.data_dir), args.action, args.consumer, args.json)


def audit_tail(args: argparse.Namespace) -> int:
    from cryptotalks_dev.audit_tail import run

    return run(Path(args.data_dir), args.n, args.json)


def change_role(args: argparse.Namespace) -> int:
    """`grant`/`revoke`: on the running `cryptotalks dev` (its database and bus), or on `DATABASE_URL` when none runs
    (the action log entry then waits in the outbox for a relay)."""
    from cryptotalks_dev.runtime_file import NotRunningError, attach

    try:
        attach(Path(args.data_dir))
    except NotRunningError as error:
        if not os.environ.get("DATABASE_URL"):
            print(f"{error}; or set DATABASE_URL", file=sys.stderr)
            return 2
        configure_environment(Path(args.data_dir), "http://127.0.0.1:3000")
    from cryptotalks.errors import ApiError
    from cryptotalks.users import roles
    from cryptotalks.users.rules import Role

    try:
        changed = roles.change_role(args.username, Role(args.role), args.command == "grant", by=None)
    except ApiError as refused:
        print(f"{args.command} {args.role} {args.username}: {refused.code.message}", file=sys.stderr)
        return 1
    print(f"{changed.username} is now {changed.role}")
    return 0


def _at_least_one(text: str) -> int:
    number = int(text)
    if number < 1:
        raise argparse.ArgumentTypeError("at least 1")
    return number


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cryptotalks", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("dev", help="run the whole system locally")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=3000)
    run.add_argument("--data-dir", default=str(DEFAULT_DATA_DIR))
    run.add_argument(
        "--bus",
        choices=["eventbridge", "kafka"],
        default=os.environ.get("EVENT_BUS", "eventbridge"),
        help="kafka: a tansu broker (or KAFKA_BOOTSTRAP_SERVERS) instead of EventBridge and SQS",
    )
    run.add_argument(
        "--workers",
        type=_at_least_one,
        default=DEFAULT_WORKERS,
        help="processes serving the API at once, each one request at a time like a Lambda (default: one per core, "
        "at least 2)",
    )
    run.set_defaults(command_function=dev)

    one = commands.add_parser("invoke", help="run one function on a sample event")
    one.add_argument("function", help="function id (api-user-sign-up) or module (functions.api.user.sign_up)")
    one.add_argument("--event", required=True, help="a JSON file, e.g. events/api-user-sign-up.json")
    one.add_argument("--data-dir", default=str(DEFAULT_DATA_DIR))
    one.set_defaults(command_function=invoke)

    coins = commands.add_parser("sync-coins", help="refresh coins and market stats now, showing progress")
    coins.add_argument("--data-dir", default=str(DEFAULT_DATA_DIR))
    coins.set_defaults(command_function=sync_coins)

    job = commands.add_parser("job", help="run one scheduled job now on the running `cryptotalks dev`")
    job.add_argument(
        "job", help="its function id or name, e.g. jobs-send-notification-digests or send-notification-digests"
    )
    job.add_argument("--data-dir", default=str(DEFAULT_DATA_DIR))
    job.set_defaults(command_function=run_job)

    demo = commands.add_parser("seed", help="load demo accounts, posts, comments and votes, showing progress")
    demo.add_argument("--data-dir", default=str(DEFAULT_DATA_DIR))
    demo.set_defaults(command_function=seed)

    schema = commands.add_parser("migrate", help="apply database migrations")
    schema.add_argument("--database-url", default=None, help="defaults to DATABASE_URL")
    schema.set_defaults(command_function=migrate)

    document = commands.add_parser("openapi", help="write schemas/openapi.json from the declarations")
    document.add_argument("--check", action="store_true", help="fail if the file is stale")
    document.set_defaults(command_function=openapi)

    catalogue = commands.add_parser("schemas", help="write schemas/events/*.schema.json and schemas/asyncapi.json")
    catalogue.add_argument("--check", action="store_true", help="fail if a file is stale")
    catalogue.set_defaults(command_function=event_schemas)

    letters = commands.add_parser("dlq", help="list or redrive the dead letters of the running `cryptotalks dev`")
    letters.add_argument("action", choices=["list", "redrive"])
    letters.add_argument("--consumer", help="one consumer's function id, e.g. consumers-users-user-created")
    letters.add_argument("--json", action="store_true")
    letters.add_argument("--data-dir", default=str(DEFAULT_DATA_DIR))
    letters.set_defaults(command_function=dead_letters)

    audit = commands.add_parser("audit", help="the action log of the running `cryptotalks dev`")
    audit.add_argument("action", choices=["tail"])
    audit.add_argument("-n", type=int, default=20, help="how many records (default 20)")
    audit.add_argument("--json", action="store_true")
    audit.add_argument("--data-dir", default=str(DEFAULT_DATA_DIR))
    audit.set_defaults(command_function=audit_tail)

    for verb, what in (("grant", "give an account a role"), ("revoke", "take a role back (the account is a member)")):
        role = commands.add_parser(verb, help=f"{what}, on the running `cryptotalks dev` or DATABASE_URL")
        role.add_argument("role", choices=["moderator", "admin"])
        role.add_argument("username")
        role.add_argument("--data-dir", default=str(DEFAULT_DATA_DIR))
        role.set_defaults(command_function=change_role)

    args = parser.parse_args(argv)
    return int(args.command_function(args))


if __name__ == "__main__":
    sys.exit(main())
