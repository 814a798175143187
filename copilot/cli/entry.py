"""The `copilot` command. Each feature module registers its own sub-command."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from copilot.cli.printing import silence_stdout
from copilot.errors import UserError

# Never reach a model hub: every model comes from a local path or an installed pack.
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def build_parser() -> argparse.ArgumentParser:
    from copilot.cli import (
        app,
        bench,
        calls,
        devices,
        kb,
        packs,
        practice,
        rephrase,
        replay,
        report,
        suggest,
        transcribe,
    )

    parser = argparse.ArgumentParser(
        prog="copilot",
        description="Agent Copilot: live call captions on this computer, redacted and stored "
                    "locally. Nothing leaves the machine.",
        epilog="Data (settings, calls, models): $COPILOT_HOME, by default "
               "~/.local/share/agent-copilot.")
    sub = parser.add_subparsers(dest="command", required=True)
    app.register(sub)
    transcribe.register(sub)
    replay.register(sub)
    devices.register(sub)
    calls.register(sub)
    bench.register(sub)
    kb.register(sub)
    suggest.register(sub)
    rephrase.register(sub)
    packs.register(sub)
    practice.register(sub)
    report.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or argv[0] == "app":  # the window runs in its own process (copilot/cli/app.py)
        from copilot.cli import app as app_cmd
        return app_cmd.run(argv[1:]) if argv else app_cmd.open_or_help(build_parser)
    parser = build_parser()
    args = parser.parse_args(argv)
    from copilot import logs

    try:
        log_path = logs.setup()
    except OSError as e:  # e.g. COPILOT_HOME on a read-only or foreign-owned folder
        print(f"copilot: cannot use the data folder (set COPILOT_HOME to change it): {e}",
              file=sys.stderr)
        return 2
    log = logging.getLogger("copilot.cli")
    log.info("command %s", args.command)
    try:
        # Every command reads the site policy first: a broken one stops them all, as a
        # regulated site prefers no copilot to an unlocked one (copilot/site_policy.py).
        from copilot import site_policy

        site_policy.load()
        return int(args.func(args) or 0)
    except UserError as e:
        log.warning("refused: %s", e)
        print(f"copilot: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `copilot calls show 3 | head`: the reader has all it wanted
        silence_stdout()
        return 0
    except Exception as e:
        # A bug or an unforeseen failure: the traceback goes to the log, the user gets one line.
        logging.getLogger("copilot").exception("unexpected error in %s", args.command)
        print(f"copilot: unexpected error: {type(e).__name__}: {e}; details in {log_path}",
              file=sys.stderr)
        return 1
