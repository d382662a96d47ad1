"""The API served by several processes at once, as Lambda runs many execution environments against one
database: each worker accepts connections on the one listening socket and, like an execution environment,
runs one invocation at a time (the gateway's lock). The pollers, the scheduler and the AWS stand-in stay in
the parent; the workers reach them through the environment they inherit (DATABASE_URL, AWS_ENDPOINT_URL, ...)."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import socket
import threading
import time
from collections.abc import Iterator
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from cryptotalks.notifications.dev_box import DevBox
from cryptotalks.notifications.email import DevMailbox
from cryptotalks.notifications.sms import DevSmsBox
from cryptotalks_dev.gateway import Gateway
from cryptotalks_dev.server import LocalServer
from cryptotalks_dev.signals import set_on_sigterm, wait_until_set
from functions import registry

READY_WITHIN_SECONDS = 90
STOPPED_WITHIN_SECONDS = 10


@contextlib.contextmanager
def serving_workers(
    listening: socket.socket, count: int, outbox_dir: Path, image_origins: tuple[str, ...]
) -> Iterator[list[int]]:
    """Starts `count` workers serving `listening` and yields their process ids once each one serves; on exit
    stops them all at once. `outbox_dir`: the dev mailbox's and SMS box's folder; `image_origins`: see LocalServer."""
    # Spawned, not forked: this process already runs threads (the AWS stand-in, the pollers), and a fork would
    # copy the locks they hold.
    context = multiprocessing.get_context("spawn")
    workers: list[tuple[BaseProcess, Connection]] = []
    try:
        for number in range(1, count + 1):
            ready, ready_sent = context.Pipe(duplex=False)
            worker = context.Process(
                target=serve,
                args=(listening, ready_sent, outbox_dir, image_origins),
                name=f"http-worker-{number}",
                daemon=True,
            )
            worker.start()
            ready_sent.close()
            workers.append((worker, ready))
        deadline = time.monotonic() + READY_WITHIN_SECONDS
        yield [_started(process, ready, deadline) for process, ready in workers]
    finally:
        for process, _ in workers:
            process.terminate()
        for process, _ in workers:
            process.join(STOPPED_WITHIN_SECONDS)
            if process.is_alive():
                process.kill()
                process.join()


def _started(worker: BaseProcess, ready: Connection, deadline: float) -> int:
    if not ready.poll(max(0.0, deadline - time.monotonic())):
        raise RuntimeError(f"{worker.name} did not start within {READY_WITHIN_SECONDS} s")
    try:
        return int(ready.recv())
    except EOFError:
        raise RuntimeError(f"{worker.name} exited while starting (exit code {worker.exitcode})") from None


def serve(listening: socket.socket, ready: Connection, outbox_dir: Path, image_origins: tuple[str, ...]) -> None:
    """A worker: the gateway and the local server on the shared socket, until SIGTERM or the parent's end."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group: the parent stops us
    stopping = set_on_sigterm()
    parent = multiprocessing.parent_process()
    if parent is not None:  # a parent killed outright leaves no orphan serving its port

        def stop_with_parent() -> None:
            wait([parent.sentinel])
            stopping.set()

        threading.Thread(target=stop_with_parent, name="parent-watch", daemon=True).start()
    server = _local_server(listening, outbox_dir, image_origins)
    threading.Thread(target=server.serve_forever, name="http", daemon=True).start()
    ready.send(os.getpid())
    ready.close()
    wait_until_set(stopping)
    server.shutdown()
    server.server_close()


def _local_server(listening: socket.socket, outbox_dir: Path, image_origins: tuple[str, ...]) -> LocalServer:
    from functions.api.auth.authorizer import handler as authorizer  # here, where DATABASE_URL is set

    dev_boxes: dict[str, DevBox[Any]] = {
        "/dev/mailbox": DevMailbox(str(outbox_dir)),
        "/dev/sms": DevSmsBox(str(outbox_dir)),
    }
    return LocalServer(listening, Gateway(registry.endpoints(), authorizer), dev_boxes, image_origins=image_origins)
