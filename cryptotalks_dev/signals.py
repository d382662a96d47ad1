"""SIGTERM in a process that runs threads (the runtime's parent and its HTTP workers)."""

from __future__ import annotations

import signal
import threading

# The kernel hands a process's signal to any one of its threads, and Python runs the handler in the main thread only
# when that thread next runs bytecode: an `Event.wait()` without a timeout may then never return (a second SIGTERM was
# sometimes needed, or none helped). Waking up this often lets the handler run.
HANDLER_CHECK_SECONDS = 0.2


def set_on_sigterm() -> threading.Event:
    """An event that SIGTERM sets."""
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    return stopping


def wait_until_set(event: threading.Event) -> None:
    while not event.wait(HANDLER_CHECK_SECONDS):
        pass
