"""moto's server as a process of its own (`python -m cryptotalks_dev.moto_server PORT`), with the speed-ups of
`cryptotalks_dev.moto_speedups`: in the runtime's process it took half of the interpreter from the pollers and
consumers (bench/events_throughput.py). It stops when its parent does: its standard input is a pipe from the
parent, and the pipe's end is the signal."""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

READY = "moto is ready"


def main() -> None:
    from moto.moto_server.werkzeug_app import MotoRequestHandler
    from moto.server import ThreadedMotoServer

    from cryptotalks_dev.moto_speedups import speed_up_moto

    speed_up_moto()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's server logs every call otherwise
    # ... and formats each call's line (address, date, request line) before asking whether it is logged.
    MotoRequestHandler.log_request = _no_request_log  # type: ignore[assignment,method-assign]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=int(sys.argv[1]), verbose=False)
    server.start()
    print(READY, flush=True)
    sys.stdin.buffer.read()
    os._exit(0)  # the parent has gone (or closed the pipe): no cleanup of moto's state is worth waiting for


def _no_request_log(_handler: Any, _code: int | str = "-", _size: int | str = "-") -> None:
    """Errors are still logged (`log_error`)."""


if __name__ == "__main__":
    main()
