"""PostgreSQL access: one connection reused across Lambda invocations, or a pool in long-running processes.

`transaction()` is the unit of work. Nested calls join the open transaction (one request is one transaction, and
it costs no SAVEPOINT round trips), so logic functions can open one without knowing whether the endpoint or a
consumer wrapper already did; what must be undone alone while the rest goes on asks for `Transaction.savepoint()`.
Callbacks registered with `on_commit` run once the outermost transaction has committed (events are published there).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import psycopg
from psycopg.pq import TransactionStatus
from psycopg.rows import dict_row

from cryptotalks.config import aws_client, settings

Connection = psycopg.Connection[dict[str, Any]]

_pool: Any = None  # psycopg_pool.ConnectionPool when configured by a long-running process
_connection: Connection | None = None
_connection_lock = threading.Lock()


@dataclass
class Transaction:
    conn: Connection
    _after_commit: list[Callable[[], object]] = field(default_factory=list)
    _batches: dict[Callable[[list[Any]], Any], list[Any]] = field(default_factory=dict)

    def on_commit(self, callback: Callable[[], object]) -> None:
        """`callback` runs once the outermost transaction has committed (what it returns is ignored)."""
        self._after_commit.append(callback)

    def on_commit_batched(self, send: Callable[[list[Any]], Any], item: Any) -> None:
        """After commit, `send` is called once with every item given with it in this transaction, in order (the
        events of a request go to the bus in one call)."""
        batch = self._batches.get(send)
        if batch is None:
            batch = self._batches[send] = []
            self.on_commit(lambda: send(batch))
        batch.append(item)

    @contextmanager
    def savepoint(self) -> Iterator[Transaction]:
        """A nested transaction: if it rolls back, so do the after-commit callbacks and batched items given within
        it (the events it published are not sent once the outer transaction commits)."""
        with self._undone_on_error(), self.conn.transaction():
            yield self

    @contextmanager
    def _undone_on_error(self) -> Iterator[None]:
        """The after-commit callbacks and batched items given within the block go if it raises."""
        callbacks = len(self._after_commit)
        batched = {send: len(items) for send, items in self._batches.items()}
        try:
            yield
        except BaseException:
            del self._after_commit[callbacks:]
            for send in list(self._batches):
                if send in batched:
                    del self._batches[send][batched[send] :]
                else:
                    del self._batches[send]
            raise


_current: ContextVar[Transaction | None] = ContextVar("cryptotalks_transaction", default=None)


def connect(url: str | None = None) -> Connection:
    return psycopg.connect(url or _database_url(), autocommit=True, row_factory=dict_row)


def use_pool(min_size: int = 1, max_size: int = 10) -> None:
    """Serve connections from a pool (local runtime, benchmarks) instead of the per-process connection."""
    global _pool
    from psycopg_pool import ConnectionPool

    _pool = ConnectionPool(
        _database_url(),
        min_size=min_size,
        max_size=max_size,
        kwargs={"autocommit": True, "row_factory": dict_row},
        check=ConnectionPool.check_connection,
        open=True,
    )


def close() -> None:
    global _pool, _connection
    if _pool is not None:
        _pool.close()
        _pool = None
    if _connection is not None:
        _connection.close()
        _connection = None


def _database_url() -> str:
    config = settings()
    if config.database_url:
        return config.database_url
    if config.database_iam_url:
        return _with_iam_token(config.database_iam_url)
    raise RuntimeError("DATABASE_URL is not set")


def _with_iam_token(url: str) -> str:
    """The URL with a 15-minute IAM token as password (signed locally, no call); the proxy requires TLS."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    parts = conninfo_to_dict(url)
    token = _rds_client().generate_db_auth_token(
        DBHostname=parts["host"], Port=int(parts.get("port") or 5432), DBUsername=parts["user"]
    )
    return make_conninfo(url, password=token, sslmode="require")


@cache
def _rds_client() -> Any:
    return aws_client("rds")


@contextmanager
def _checkout() -> Iterator[Connection]:
    if _pool is not None:
        with _pool.connection() as conn:
            yield conn
        return
    global _connection
    with _connection_lock:
        # A Lambda execution environment keeps the connection between invocations; reopen it if it broke.
        if _connection is None or _connection.closed or _connection.broken:
            _connection = connect()
        yield _connection


@contextmanager
def transaction() -> Iterator[Transaction]:
    outer = _current.get()
    if outer is None:
        with _outermost(_checkout()) as tx:
            yield tx
    elif outer.conn.info.transaction_status == TransactionStatus.IDLE:
        # An after-commit callback: the connection is free again, and this is a transaction of its own on it.
        with outer.savepoint():
            yield outer
    else:
        # Joined: its events are not sent if it raises, though a caller may catch that and commit the rest.
        with outer._undone_on_error():
            yield outer


@contextmanager
def connection() -> Iterator[Connection]:
    """The open transaction's connection; outside any, a connection on which each query commits on its own (a
    query of several statements, in one transaction of their own), without BEGIN and COMMIT's two round trips."""
    outer = _current.get()
    if outer is not None:
        yield outer.conn
        return
    with _checkout() as conn:
        yield conn


def reading() -> AbstractContextManager[Connection]:
    """A connection for reads that change nothing. Under read committed, which we run, a statement in a
    transaction sees its own snapshot as one outside any does: reads outside a transaction see the same data.
    Inside an open transaction, its connection."""
    return connection()


@contextmanager
def separate_transaction() -> Iterator[Transaction]:
    """A transaction of its own, outside any open one: what it writes (and publishes) stays even if the open one
    rolls back (a failed sign-in is counted and logged although the request fails)."""
    token = _current.set(None)
    try:
        with _outermost(_pool.connection() if _pool is not None else connect()) as tx:
            yield tx
    finally:
        _current.reset(token)


@contextmanager
def _outermost(checkout: AbstractContextManager[Connection]) -> Iterator[Transaction]:
    """A transaction on the connection `checkout` gives. Once it has committed, its after-commit callbacks run on
    that same connection (a transaction they open is a new one on it): a separate transaction opened inside
    another must not ask for the connection the other one holds."""
    with checkout as conn:
        tx = Transaction(conn)
        token = _current.set(tx)
        try:
            with conn.transaction():
                yield tx
            _current.set(Transaction(conn))
            for callback in tx._after_commit:
                callback()
        finally:
            _current.reset(token)


def current() -> Transaction:
    tx = _current.get()
    if tx is None:
        raise RuntimeError("no transaction is open")
    return tx


def delete_in_batches(statement: str, parameters: tuple[Any, ...], batch_size: int) -> int:
    """Runs a DELETE whose last parameter is the batch's size, a transaction per batch (short locks, small WAL
    bursts), until a batch comes back short; returns how many rows went."""
    total = 0
    while True:
        with transaction() as tx:
            deleted = tx.conn.execute(statement, (*parameters, batch_size)).rowcount
        total += deleted
        if deleted < batch_size:
            return total
