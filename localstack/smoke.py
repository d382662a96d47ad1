"""`make localstack-smoke`: the CDK app deployed to LocalStack and the account slice's end-to-end tests run against
the deployed API Gateway, on this machine, without Docker.

1. LocalStack 1.4.0 (the last release that runs Python functions without Docker) into its own virtualenv,
   `.localstack/venv`, patched (localstack/patch_localstack.py), once (again when either file changes);
2. a mail sink standing in for SendGrid (localstack/mail_sink.py) and a fresh database on the PostgreSQL of
   `DATABASE_URL` (default: postgresql://postgres@127.0.0.1:5432/postgres);
3. LocalStack in host mode (`LAMBDA_EXECUTOR=local`) on a free port, its state in a temporary folder;
4. `cdklocal bootstrap` and `cdklocal deploy -c target=localstack` (pinned CDK CLI, see CDK_CLI);
5. the migrations and a coin sync (localstack/run_jobs.py);
6. `pytest -m deployed tests/e2e/test_account_slice_http.py` with `CRYPTOTALKS_E2E_BASE_URL` = the stack's
   `ApiUrl` output and the sink's mailbox.

Whatever happens, it stops what it started and removes LocalStack's state and the database. It prints each
step's time and the disk LocalStack used. `--keep` leaves LocalStack running after the tests (Ctrl-C ends it).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import patch_localstack  # beside this file
import psycopg
import requests
from psycopg import sql

from cryptotalks_dev.aws import free_port

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = ROOT / ".localstack"  # git-ignored: LocalStack's virtualenv and the CDK output (asset cache)
VENV = CACHE / "venv"
REQUIREMENTS = HERE / "host-requirements.txt"
# Installed over the requirements without their dependencies: in host mode the functions run in forks of
# LocalStack's process, where LocalStack's copy of a module it imported wins over the function's. pydantic 2 and
# Powertools need a newer typing_extensions than the 4.4 that aws-sam-translator 1.60.1 declares (SAM transforms,
# which this stack does not use, are its only user).
OVERRIDES = ["typing_extensions==4.15.0"]
# The CDK CLI and its LocalStack wrapper, pinned: the CLI must read the cloud assembly aws-cdk-lib writes (an
# older CLI refuses it), and from 2.1138 it addresses S3 by path on a loopback endpoint (no wildcard DNS needed).
CDK_CLI = ("aws-cdk-local@3.0.4", "aws-cdk@2.1148.1")
PYTHON_VERSION = f"{sys.version_info.major}.{sys.version_info.minor}"  # LocalStack's and so the functions'
ACCOUNT, REGION, STAGE = "000000000000", "us-east-1", "dev"
SERVICES = "apigateway,cloudformation,cloudwatch,events,iam,lambda,logs,s3,secretsmanager,sns,sqs,ssm,sts"
READY_WITHIN_SECONDS = 120
# One process, as the smoke was measured: each call there is a cold start in a fork of LocalStack.
TESTS = ["tests/e2e/test_account_slice_http.py", "-m", "deployed", "-n", "0"]


class Steps:
    """Each step's wall time, printed as it ends and summed up at the end."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextlib.contextmanager
    def step(self, name: str) -> Iterator[None]:
        print(f"\n== {name}", flush=True)
        started = time.monotonic()
        try:
            yield
        finally:
            self.seconds[name] = round(time.monotonic() - started, 1)
            print(f"== {name}: {self.seconds[name]} s", flush=True)

    def summary(self) -> str:
        return "\n".join(f"  {name:<34} {seconds:>7} s" for name, seconds in self.seconds.items())


def run(command: list[str], **options: Any) -> None:
    print("$", " ".join(command), flush=True)
    subprocess.run(command, check=True, **options)  # noqa: S603 (our own fixed commands)


def install_localstack() -> Path:
    """LocalStack's virtualenv, made again only when the requirements or the patch change."""
    inputs = REQUIREMENTS.read_bytes() + (HERE / "patch_localstack.py").read_bytes() + " ".join(OVERRIDES).encode()
    digest = hashlib.sha256(inputs).hexdigest()
    stamp = VENV / ".requirements.sha256"
    if stamp.exists() and stamp.read_text() == digest:
        print(f"LocalStack already installed in {VENV}")
        return VENV / "bin" / "localstack"
    shutil.rmtree(VENV, ignore_errors=True)
    run([sys.executable, "-m", "venv", str(VENV)])
    pip = [str(VENV / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    run([*pip, "--upgrade", "pip"])
    run([*pip, "-r", str(REQUIREMENTS)])
    run([*pip, "--no-deps", *OVERRIDES])
    [site_packages] = VENV.glob("lib/python3.*/site-packages")
    print("patched:", patch_localstack.apply(site_packages))
    stamp.write_text(digest)
    return VENV / "bin" / "localstack"


@contextlib.contextmanager
def mail_sink() -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen([sys.executable, str(HERE / "mail_sink.py"), "--port", str(port)])  # noqa: S603
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(lambda: requests.get(f"{url}/mailbox", timeout=2).ok, 20, "the mail sink")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextlib.contextmanager
def fresh_database() -> Iterator[str]:
    """A database of its own on the PostgreSQL of `DATABASE_URL`, dropped afterwards."""
    server = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    name = f"cryptotalks_localstack_{os.getpid()}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield psycopg.conninfo.make_conninfo(server, dbname=name)
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@contextlib.contextmanager
def localstack(executable: Path, state: Path, log: Path) -> Iterator[str]:
    """LocalStack 1.4 in host mode on a free port; its files (state, unpacked functions) under `state`."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    environment = {
        **os.environ,
        "EDGE_PORT": str(port),
        "EDGE_BIND_HOST": "127.0.0.1",
        "SERVICES": SERVICES,
        "LAMBDA_EXECUTOR": "local",
        "FILESYSTEM_ROOT": str(state / "filesystem"),
        "TMPDIR": str(state / "tmp"),
        "DNS_ADDRESS": "0",  # no DNS server (it would bind port 53)
        "SKIP_SSL_CERT_DOWNLOAD": "1",  # no network: a self-signed certificate
        "SKIP_INFRA_DOWNLOADS": "1",
        "DISABLE_EVENTS": "1",  # no analytics
        "DEBUG": "0",  # its log (.localstack/localstack.log) still has every request and function error
    }
    (state / "tmp").mkdir(parents=True)
    with log.open("w") as output:
        process = subprocess.Popen(  # noqa: S603 (our own command)
            [str(executable), "start", "--host", "--no-banner"],
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped with every child it starts
        )
        try:
            _wait_for(lambda: _ready(url, process, log), READY_WITHIN_SECONDS, "LocalStack")
            yield url
        finally:
            _stop(process)


def _ready(url: str, process: subprocess.Popen[bytes], log: Path) -> bool:
    if process.poll() is not None:
        raise RuntimeError(f"LocalStack exited ({process.returncode}):\n{log.read_text()[-4000:]}")
    health = requests.get(f"{url}/health", timeout=2)
    return health.ok and health.json().get("services", {}).get("cloudformation") in {"available", "running"}


def _stop(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def _wait_for(ready: Any, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(requests.RequestException):
            if ready():
                return
        time.sleep(0.5)
    raise RuntimeError(f"{what} not ready within {seconds} s")


def cdk_environment(localstack_url: str) -> dict[str, str]:
    """What cdklocal, the CDK CLI, localstack-client and the app's synth read."""
    return {
        **os.environ,
        "PATH": f"{ROOT / '.venv' / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "AWS_ENDPOINT_URL": localstack_url,
        "AWS_ENDPOINT_URL_S3": localstack_url,
        "AWS_S3_FORCE_PATH_STYLE": "1",  # cdklocal
        "CDK_S3_FORCE_PATH_STYLE": "1",  # the CDK CLI
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        "CDK_DEFAULT_ACCOUNT": ACCOUNT,
        "CDK_DEFAULT_REGION": REGION,
        "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
        "CDK_DISABLE_CLI_TELEMETRY": "true",
    }


def cdklocal(*arguments: str, environment: dict[str, str]) -> None:
    packages = [option for package in CDK_CLI for option in ("--package", package)]
    run(["npx", "--yes", *packages, "cdklocal", *arguments], cwd=ROOT, env=environment)


def deploy(environment: dict[str, str], database_url: str, sink_url: str, outputs: Path) -> str:
    """Bootstraps, deploys the LocalStack target and answers the API's URL."""
    context = {
        "target": "localstack",
        "stage": STAGE,
        "localstackUrl": environment["AWS_ENDPOINT_URL"],
        "localstackDatabaseUrl": database_url,
        "localstackPythonVersion": PYTHON_VERSION,
        "localstackSendgridHost": sink_url,
    }
    options = [option for key, value in context.items() for option in ("-c", f"{key}={value}")]
    out = ["--output", str(CACHE / "cdk.out")]
    # `--app ""`: bootstrapping an explicit environment needs no synth of the app.
    cdklocal("bootstrap", f"aws://{ACCOUNT}/{REGION}", "--app", "", environment=environment)
    cdklocal(
        "deploy",
        "--all",
        "--require-approval",
        "never",
        "--outputs-file",
        str(outputs),
        *out,
        *options,
        environment=environment,
    )
    return str(json.loads(outputs.read_text())[f"Cryptotalks-{STAGE}"]["ApiUrl"])


def disk_used(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def code_asset_size() -> int:
    """The functions' code asset unpacked (LocalStack unpacks it once per function)."""
    assets = [p for p in (CACHE / "cdk.out").glob("asset.*") if p.is_dir() and (p / "functions").is_dir()]
    return disk_used(max(assets, key=lambda p: p.stat().st_mtime))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="leave LocalStack running after the tests")
    arguments = parser.parse_args()
    # SIGTERM (CI's timeout, a kill) unwinds like Ctrl-C, so every `finally` below runs.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    steps = Steps()
    CACHE.mkdir(exist_ok=True)
    state = Path(tempfile.mkdtemp(prefix="cryptotalks-localstack-"))
    log = CACHE / "localstack.log"
    result = 1
    try:
        with steps.step("install LocalStack 1.4 (cached)"):
            executable = install_localstack()
        with contextlib.ExitStack() as stack:
            sink_url = stack.enter_context(mail_sink())
            database_url = stack.enter_context(fresh_database())
            with steps.step("start LocalStack"):
                localstack_url = stack.enter_context(localstack(executable, state, log))
            environment = cdk_environment(localstack_url)
            with steps.step("bootstrap and deploy (cdklocal)"):
                api_url = deploy(environment, database_url, sink_url, state / "outputs.json")
            print(f"API: {api_url}")
            with steps.step("migrations and coin sync"):
                run([sys.executable, str(HERE / "run_jobs.py"), "--stage", STAGE], env=environment)
            tests = {
                **environment,
                "CRYPTOTALKS_E2E_BASE_URL": api_url,
                "CRYPTOTALKS_E2E_MAILBOX_URL": f"{sink_url}/mailbox",
            }
            with steps.step("end-to-end tests against API Gateway"):
                result = subprocess.run(  # noqa: S603 (our own command)
                    [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *TESTS], cwd=ROOT, env=tests
                ).returncode
            print(f"\nLocalStack's files: {disk_used(state) / 1e6:.0f} MB in {state}")
            print(f"the functions' code asset: {code_asset_size() / 1e6:.1f} MB unpacked")
            if arguments.keep:
                print(f"LocalStack stays on {localstack_url} (Ctrl-C to stop it)")
                with contextlib.suppress(KeyboardInterrupt):
                    signal.pause()
    except (subprocess.CalledProcessError, RuntimeError) as failure:
        print(f"\nlocalstack-smoke failed: {failure}\nLocalStack's log: {log}", file=sys.stderr)
    finally:
        with steps.step("remove LocalStack's files"):
            shutil.rmtree(state, ignore_errors=True)
        print("\n" + steps.summary())
    return result


if __name__ == "__main__":
    sys.exit(main())
