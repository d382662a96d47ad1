"""Shared fixtures: a real PostgreSQL (a fresh database per run), moto for AWS, the environment of a function."""

from __future__ import annotations

import os

# Before any function module creates its Powertools logger: quiet, and named.
os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "cryptotalks-tests")
import re
import secrets
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg.conninfo import make_conninfo

from cryptotalks import db, migrations
from cryptotalks.credentials import passwords

TEST_ENVIRONMENT = {
    "JWT_SECRET": "test-secret-that-is-long-enough-for-hs256-signing",
    "EVENT_BUS_NAME": "cryptotalks",
    "PUBLIC_BASE_URL": "http://127.0.0.1:3000",
    "POWERTOOLS_SERVICE_NAME": "cryptotalks-tests",
    "POWERTOOLS_METRICS_DISABLED": "true",
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_LOG_LEVEL": "WARNING",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    # argon2id at its lowest cost: at the library's (~0.16 s of CPU a hash) the suite's sign-ups and sign-ins take
    # minutes of its 2 cores, and no test here is about the cost (the `cryptotalks dev` runtimes of the e2e tests
    # keep the library's).
    "ARGON2_TIME_COST": "1",
    "ARGON2_MEMORY_COST_KIB": "64",
    # Tests write many posts from accounts made seconds ago; the new accounts' limit has tests of its own.
    "NEW_ACCOUNT_WRITES_PER_HOUR": "100000",
}


# Run together on one pytest-xdist worker: they share the CDK syntheses (about 20 s each), made once per worker.
ONE_WORKER_SCOPES = ("tests/infra/",)
# An end-to-end module's tests on one bus run on one worker, which starts that module's runtimes once (5-9 s each)
# rather than once on every worker a test lands on; but each of schemathesis' two runs (a minute each under load)
# gets a worker of its own.
E2E = "tests/e2e/"
E2E_TESTS_APART = ("tests/e2e/test_fuzz.py",)
E2E_BUS = re.compile(r"\[(eventbridge|kafka)\]$")
# The longest first (the browser journeys take two minutes, schemathesis over one), so none is left to run alone at
# the end; then the collection's order.
LONGEST_FIRST = ("tests/e2e/test_web_client.py", "tests/e2e/test_fuzz.py", "tests/e2e/test_races.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        return next((i for i, path in enumerate(LONGEST_FIRST) if item.nodeid.startswith(path)), len(LONGEST_FIRST))

    items.sort(key=rank)


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """`--dist loadgroup` (pyproject.toml's addopts), with each of ONE_WORKER_SCOPES as one group, each end-to-end
    module's tests on one bus as one group, every other test a group of its own; groups are handed out in the
    collection's order.

    Said here rather than with `xdist_group` marks: pytest-xdist 3.8 passes a group on by rewriting the test's node
    id, which pytest 9.2 no longer lets it do (pytest-xdist issue 1386), so marked groups are silently ignored."""
    from xdist.scheduler import LoadGroupScheduling

    if config.getvalue("dist") != "loadgroup":
        return None
    config.option.loadscopereorder = False

    class SharedResourceScheduling(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            shared = next((scope for scope in ONE_WORKER_SCOPES if nodeid.startswith(scope)), None)
            if shared:
                return shared
            if nodeid.startswith(E2E) and not nodeid.startswith(E2E_TESTS_APART):
                bus = E2E_BUS.search(nodeid)
                return nodeid.split("::")[0] + (f"[{bus.group(1)}]" if bus else "")
            return str(super()._split_scope(nodeid))

    return SharedResourceScheduling(config, log)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A server URL: `DATABASE_URL`'s server when set, else an embedded server started for this run."""
    url = os.environ.get("DATABASE_URL")
    if url:
        yield url
        return
    import pgserver

    # Not under pytest's temporary folder: as root, the server runs as a user of its own, and pytest makes its
    # folder private again (0700) whenever another worker starts, which locked that user out of its own data.
    data_dir = Path(tempfile.mkdtemp(prefix="cryptotalks-pg-"))
    server = pgserver.get_server(data_dir, cleanup_mode="delete")
    with psycopg.connect(server.get_uri(), autocommit=True) as conn:
        # A server for one run: what a crash would lose does not matter, so nothing waits for the disk.
        conn.execute("ALTER SYSTEM SET fsync = off")
        conn.execute("ALTER SYSTEM SET synchronous_commit = off")
        conn.execute("SELECT pg_reload_conf()")
    try:
        yield server.get_uri()
    finally:
        server.cleanup()


@pytest.fixture(scope="session")
def fresh_database(postgres_server: str) -> Iterator[Any]:
    """Makes empty databases on the test server; each is dropped at the end of the run."""
    made: list[str] = []

    def make() -> str:
        name = f"cryptotalks_test_{secrets.token_hex(4)}"
        with psycopg.connect(postgres_server, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        made.append(name)
        return make_conninfo(postgres_server, dbname=name)

    yield make
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        for name in made:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="session")
def outbox_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="cryptotalks-outbox-") as folder:
        yield Path(folder)


def _hash_at_the_current_cost() -> None:
    """The hasher (and the decoy hash made with it) read ARGON2_* once: forgotten when the environment changes."""
    passwords._hasher.cache_clear()
    passwords._decoy_hash.cache_clear()


@pytest.fixture(scope="session")
def database_url(fresh_database: Any, outbox_dir: Path) -> Iterator[str]:
    """The environment of a function in this process, with a migrated database."""
    url = fresh_database()
    saved = dict(os.environ)
    os.environ.update(TEST_ENVIRONMENT)
    os.environ.pop("AWS_ENDPOINT_URL", None)
    os.environ["DATABASE_URL"] = url
    os.environ["CRYPTOTALKS_DEV_OUTBOX_DIR"] = str(outbox_dir)
    _hash_at_the_current_cost()
    with db.connect(url) as conn:
        migrations.apply_all(conn)
    db.use_pool(max_size=60)
    yield url
    db.close()
    os.environ.clear()
    os.environ.update(saved)
    _hash_at_the_current_cost()


def _context_tables(conn: db.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT schemaname || '.' || tablename AS name FROM pg_tables WHERE schemaname = ANY(%s)",
        (migrations.schemas(),),
    ).fetchall()
    return [row["name"] for row in rows]


@pytest.fixture
def database(database_url: str, outbox_dir: Path) -> Iterator[db.Connection]:
    """A connection to the test database, emptied (and the dev mailbox with it) before each test."""
    with db.connect(database_url) as conn:
        # DELETE, not TRUNCATE: truncating the ~40 tables makes new files for each table and index (0.25 s a test
        # with fsync on); deleting their few rows takes a millisecond. The replica role turns the foreign keys'
        # triggers off for the transaction, so the tables are emptied in any order.
        with conn.transaction():
            conn.execute("SET LOCAL session_replication_role = replica")
            conn.execute("; ".join(f"DELETE FROM {table}" for table in _context_tables(conn)))
        for message_file in outbox_dir.glob("*"):
            message_file.unlink()
        yield conn


@pytest.fixture(scope="session")
def moto_aws(database_url: str) -> Any:
    """moto's AWS for the run, provisioned from the declarations once (in the function environment)."""
    from tests.aws_support import MotoAws

    return MotoAws(os.environ["EVENT_BUS_NAME"])


@pytest.fixture
def aws(database: db.Connection, moto_aws: Any) -> Iterator[list[Any]]:
    """moto's AWS in this process, as just provisioned from the declarations: the bus, its rules and queues."""
    from cryptotalks.events.publisher import publisher

    with moto_aws.active():
        moto_aws.clean()
        publisher.cache_clear()
        yield moto_aws.queues
    publisher.cache_clear()


@pytest.fixture
def pipeline(aws: list[Any], moto_aws: Any) -> Any:
    """Drains every consumer queue through its consumer, as Lambda's event source mappings would."""
    return moto_aws.pipeline


@pytest.fixture
def api(pipeline: Any) -> Any:
    """The API as API Gateway serves it (routes, authorizer, proxy events), called in-process."""
    from tests.support import Api

    return Api(pipeline)
