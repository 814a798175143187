"""The `copilot` command. Each feature module registers its own sub-command."""

from __future__ import annotations

import argparse
import logging
import os
import sys

# Never reach a model hub: every model comes from a local path or an installed pack.
os.environ.setdefault("HF_HUB_OFFLINE", "1")


class UserError(Exception):
    """A problem the user can fix (bad input, missing file); printed without a traceback."""


def build_parser() -> argparse.ArgumentParser:
    from copilot import devices_cmd, transcribe_cmd
    from copilot.bench import commands as bench_commands
    from copilot.store import commands as store_commands

    parser = argparse.ArgumentParser(prog="copilot", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    transcribe_cmd.register(sub)
    devices_cmd.register(sub)
    store_commands.register(sub)
    bench_commands.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from copilot import logs

    logs.setup()
    log = logging.getLogger("copilot.cli")
    log.info("command %s", args.command)
    try:
        return int(args.func(args) or 0)
    except UserError as e:
        log.warning("refused: %s", e)
        print(f"copilot: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
