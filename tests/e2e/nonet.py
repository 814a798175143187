"""Run the `copilot` command with every network socket refused (principle 3: nothing leaves the
machine). Usage: python tests/e2e/nonet.py ARGS... ; exits 97 if anything tried to open a socket."""

from __future__ import annotations

import os
import socket
import sys


class NetworkUsed(RuntimeError):
    pass


def _refuse(*args, **kwargs):
    sys.stderr.write(f"NETWORK ATTEMPT: socket{args}\n")
    sys.stderr.flush()
    os._exit(97)


class _NoSocket(socket.socket):
    def __init__(self, family=-1, *args, **kwargs):
        # AF_UNIX socketpairs are local plumbing, never a network connection.
        if family in (socket.AF_INET, socket.AF_INET6, -1):
            _refuse(family, *args)
        super().__init__(family, *args, **kwargs)


socket.socket = _NoSocket  # type: ignore[misc]
socket.create_connection = _refuse  # type: ignore[assignment]
socket.getaddrinfo = _refuse  # type: ignore[assignment]

if __name__ == "__main__":
    from copilot.cli import main

    sys.exit(main(sys.argv[1:]))
