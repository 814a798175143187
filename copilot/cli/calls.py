"""`copilot calls list | show | export | delete`: the stored calls from the command line.

Each command opens its own CallStore (a reader beside any live session; WAL allows both).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from copilot.store import export
from copilot.store.db import CallStore
from copilot.store.errors import StoreError
from copilot.store.export import call_label, duration, local_time
from copilot.store.rows import ACTIVE, CallRow
from copilot.text.plural import plural


def register(subparsers: argparse._SubParsersAction) -> None:
    calls = subparsers.add_parser(
        "calls", help="list, show, export and delete stored calls",
        description="Work with the calls stored on this machine.",
    )
    sub = calls.add_subparsers(dest="calls_command", required=True, metavar="COMMAND")

    p = sub.add_parser("list", help="list stored calls")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("show", help="show one call's details and transcript")
    p.add_argument("id", type=int, metavar="ID")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("export", help="export a call as json, txt, srt or vtt")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--format", choices=export.FORMATS, default=None,
                   help="output format (default: from --out's suffix, else txt)")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("delete", help="delete a call and erase its text from the database")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(func=cmd_delete)


@contextmanager
def _open_store() -> Iterator[CallStore]:
    """The user's database (plain or encrypted, as the settings say), with store problems
    turned into UserError (exit code 2)."""
    from copilot.cli.common import load_settings
    from copilot.errors import UserError  # lazy: cli imports this module
    from copilot.paths import database_path
    from copilot.store.options import options_from_settings

    try:
        with CallStore(database_path(),
                       options=options_from_settings(load_settings().store)) as store:
            yield store
    except StoreError as e:
        raise UserError(str(e)) from e


def _require_call(store: CallStore, call_id: int) -> CallRow:
    from copilot.errors import UserError

    call = store.get_call(call_id)
    if call is None:
        raise UserError(f"no call with id {call_id} (see `copilot calls list`)")
    return call


# --- formatting -----------------------------------------------------------------------------

def _table(header: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    """Aligned columns; the last column is left ragged so long titles do not pad every line."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for r in [header, *rows]:
        cells = [
            r[i].rjust(widths[i]) if i in right else r[i].ljust(widths[i])
            for i in range(len(r) - 1)
        ]
        lines.append("  ".join([*cells, r[-1]]).rstrip())
    return lines


# --- commands -------------------------------------------------------------------------------

def cmd_list(args: argparse.Namespace) -> int:
    with _open_store() as store:
        calls = store.list_calls()
    if not calls:
        print("No calls stored yet.")
        return 0
    rows = [
        [str(c.id), local_time(c.started_at), duration(c.duration), c.status,
         str(c.segment_count), call_label(c)]
        for c in calls
    ]
    header = ["ID", "STARTED", "DURATION", "STATUS", "SEGMENTS", "TITLE / SOURCE"]
    for line in _table(header, rows, right={0, 2, 4}):
        print(line)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    with _open_store() as store:
        call = _require_call(store, args.id)
        segments = store.segments(call.id)
        events = store.events(call.id)
    # The txt export itself: every view of a call shows the same record (header, transcript
    # with the agent's questions, rephrased drafts and handoffs, summary, notes).
    sys.stdout.write(export.call_txt(call, segments, events))
    return 0


def _pick_format(fmt: str | None, out: str | None) -> str:
    if fmt:
        return fmt
    suffix = Path(out).suffix.lower().lstrip(".") if out else ""
    return suffix if suffix in export.FORMATS else "txt"


def cmd_export(args: argparse.Namespace) -> int:
    from copilot.errors import UserError

    with _open_store() as store:
        call = _require_call(store, args.id)
        text = export.render(_pick_format(args.format, args.out), call,
                             store.segments(call.id), store.events(call.id))
    if not args.out:
        sys.stdout.write(text)
        return 0
    out = Path(args.out)
    replaced = out.is_file()
    # Written beside it, then moved over it: a failed write (a full disk) never leaves an
    # earlier export half overwritten.
    part = out.with_name(out.name + ".part")
    try:
        part.write_text(text, encoding="utf-8")
        os.replace(part, out)
    except OSError as e:
        part.unlink(missing_ok=True)
        raise UserError(f"cannot write {args.out}: {e.strerror or e}") from e
    print(f"Exported call {call.id} to {args.out}"
          + (" (it replaced the file of that name)" if replaced else ""), file=sys.stderr)
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    from copilot.errors import UserError

    with _open_store() as store:
        call = _require_call(store, args.id)
        if call.status == ACTIVE:
            # A running copilot is recording it (a crashed recording was marked interrupted
            # when this store opened): deleting it under the writer would break that session.
            raise UserError(
                f"call {call.id} is still active: a running copilot is recording it; stop that "
                "call first, then delete it"
            )
        if not args.yes:
            if not sys.stdin.isatty():
                raise UserError(
                    f"not deleting call {call.id}: confirmation is needed and standard input "
                    "is not a terminal; pass --yes to delete without asking"
                )
            prompt = (f"Delete call {call.id} ({call_label(call)}, "
                      f"{plural(call.segment_count, 'segment')})? "
                      "This cannot be undone. [y/N] ")
            try:
                answer = input(prompt)
            except EOFError:
                answer = ""
            if answer.strip().lower() not in ("y", "yes"):
                print("Not deleted.")
                return 1
        store.delete_call(call.id)
    print(f"Deleted call {call.id}.")
    return 0
