"""`copilot report`: the supervisor's view of this desk, the desk's metrics for the site, and
the site's report over many desks' metrics (copilot/report/, docs/reports.md).

    copilot report [--since 7d] [--format html|csv|json] --out FILE
    copilot report --export DIR --desk ID [--agent CODE] [--team LABEL] [--since 30d]
    copilot report --from 'SHARE/*/*.parquet' [--since 7d] --out site.html
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import TYPE_CHECKING

from copilot.errors import UserError
from copilot.text.plural import plural

if TYPE_CHECKING:
    from copilot.store.options import StoreOptions

SPAN = re.compile(r"(\d+)\s*([mhdw])")
UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
# A moment: a time of day (the last time the clock read it), `today`, `yesterday` or a date,
# each optionally with a time (local time, as the agent's shift is planned).
MOMENT = re.compile(r"(?:(?P<day>today|yesterday|\d{4}-\d{2}-\d{2})(?: |t|$))?"
                    r"(?:(?P<hour>\d{1,2}):(?P<minute>\d{2}))?")
SINCE_FORMS = ("a span (90m, 12h, 7d, 4w), a time of day (08:00: the last time the clock read "
               "it), today or yesterday with or without a time (today 08:00), or a date with "
               "or without a time (2026-01-31, 2026-01-31 22:00)")

def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "report", help="supervisor reports: this desk, its metrics for the site, a site",
        description="The supervisor's view: calls and handle time per day, suggestions shown, "
                    "copied, used and dismissed, abstentions, the passages most used and "
                    "dismissed, customer signals, dispositions, per team and agent. De-identified: "
                    "no transcript, note, title or name is in any report or export. "
                    "See docs/reports.md.",
        epilog="Examples:  copilot report --since 7d --out week.html  |  copilot report "
               "--export /mnt/share/desk-17 --desk desk-17 --team billing  |  copilot report "
               "--from 'SHARE/*/*.parquet' --out site.html")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--export", metavar="DIR",
                      help="write this desk's de-identified metrics as Parquet files into DIR "
                           "(merged: exporting the same calls again never duplicates rows)")
    what.add_argument("--from", dest="sources", nargs="+", metavar="GLOB",
                      help="build the report from desks' exported metrics files (globs, files "
                           "or folders; quote globs: 'SHARE/*/*.parquet')")
    p.add_argument("--out", metavar="FILE",
                   help="the report file ('-' for standard output)")
    p.add_argument("--format", choices=("html", "csv", "json"),
                   help="report format (default: from --out's suffix, else html)")
    p.add_argument("--since", metavar="SPAN",
                   help="only calls that started in the last SPAN (90m, 12h, 7d, 4w) or since a "
                        "local time: 08:00 (the last time the clock read it: a shift), "
                        "'today 08:00', 'yesterday 22:00', a date (2026-01-31: its midnight) or "
                        "'2026-01-31 22:00'")
    p.add_argument("--desk", metavar="ID",
                   help="this desk's id, chosen by the site (needed with --export; letters, "
                        "digits, '-', '_')")
    p.add_argument("--agent", metavar="CODE",
                   help="the site's code for the agent, on the exported rows (a-1042: letters, "
                        "digits, '-', '_'; never a name)")
    p.add_argument("--team", metavar="LABEL", help="a team label for the exported rows")
    p.add_argument("--db", metavar="FILE",
                   help="the call database to read (default: this desk's, in COPILOT_HOME)")
    p.set_defaults(func=cmd_report)


def parse_since(text: str | None, now: datetime | None = None) -> datetime | None:
    """'90m' -> ninety minutes ago; '08:00' -> the last time the local clock read 08:00;
    'today 08:00', 'yesterday', '2026-01-31 22:00' -> that local time (a date alone: its
    midnight). Aware, in UTC; a moment still to come is refused (no call started since)."""
    if text is None:
        return None
    said = " ".join(text.split()).lower()
    if not said:  # ("--since ''" read as every call, without a word)
        raise UserError(f"--since '': give {SINCE_FORMS}, or leave it out for every call")
    now = now or datetime.now(UTC)
    m = SPAN.fullmatch(said)
    if m:
        try:
            return now - timedelta(**{UNITS[m[2]]: int(m[1])})
        except OverflowError:  # ("99999999d": before the first day a calendar has)
            raise UserError(f"--since {text!r} reaches back further than any date; leave "
                            "--since out for every call") from None
    m = MOMENT.fullmatch(said)
    if not m or not (m["day"] or m["hour"]):
        raise UserError(f"--since {text!r}: give {SINCE_FORMS}")
    return _moment(text, m, now)


def _moment(text: str, m: re.Match[str], now: datetime) -> datetime:
    """The local moment MOMENT matched, in UTC."""
    local = now.astimezone()  # this desk's clock
    day = {"today": local.date(), "yesterday": local.date() - timedelta(days=1)}.get(
        m["day"] or "today")
    try:
        if day is None:
            day = datetime.strptime(m["day"], "%Y-%m-%d").date()
        at = clock(int(m["hour"] or 0), int(m["minute"] or 0))
    except ValueError:  # 2026-02-30, 25:00, 08:75
        raise UserError(f"--since {text!r}: no such date or time of day") from None
    # Naive, then astimezone(): read as local time, with the daylight-saving offset of that day.
    moment = datetime.combine(day, at).astimezone()
    if m["day"] is None and moment > now:  # 08:00 said at 06:30: yesterday's (a night shift)
        moment = datetime.combine(day - timedelta(days=1), at).astimezone()
    if moment > now:
        raise UserError(f"--since {text!r} is later than now ({local:%Y-%m-%d %H:%M}): no call "
                        "started since; give an earlier time")
    return moment.astimezone(UTC)


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return args.format
    suffix = Path(args.out or "").suffix.lower().lstrip(".")
    known = {"htm": "html", "html": "html", "csv": "csv", "json": "json"}
    if suffix and suffix not in known:
        # (a supervisor's walk-through: `--out report.pdf` wrote HTML without a word)
        _say(f"{args.out} does not name a report format (html, csv, json): writing HTML; "
             "--format chooses another")
    return known.get(suffix, "html")


def _say(message: str) -> None:
    print(f"copilot report: {message}", file=sys.stderr, flush=True)


def _db(args: argparse.Namespace) -> Path:
    if args.db:
        return Path(args.db).expanduser()
    from copilot.paths import database_path

    return database_path()


def _store_options(args: argparse.Namespace) -> StoreOptions:
    """The settings' store options; another desk's file (--db) is only read: never encrypted
    in place, migrated or otherwise written by a report (it may be a copy on read-only
    media, or not a call database at all)."""
    import dataclasses

    from copilot.cli.common import load_settings
    from copilot.store.options import options_from_settings

    options = options_from_settings(load_settings().store)
    return dataclasses.replace(options, migrate_plain=False, read_only=True) if args.db \
        else options


def _who(args: argparse.Namespace, *, required: bool) -> object:
    from copilot.cli.common import load_settings
    from copilot.report import Who
    from copilot.report.schema import check_agent, check_desk_id, check_label

    if not args.desk:
        if required:
            raise UserError("--export needs --desk ID: the id the site gives this desk (it "
                            "names the files and every row)")
        desk = "this-desk"
    else:
        desk = args.desk
    try:
        names = (load_settings().asr.agent_name,) if args.agent or args.team else ()
        return Who(check_desk_id(desk), check_agent(args.agent, names),
                   check_label("team", args.team, names))
    except ValueError as e:
        raise UserError(str(e)) from e


def _checked_out(out: str) -> Path:
    """Where the report goes, refused before any work if its folder does not exist."""
    path = Path(out).expanduser()
    if not path.parent.is_dir():
        raise UserError(f"cannot write the report to {path}: there is no folder {path.parent}")
    return path


def _write(text: str, out: str) -> None:
    if out == "-":
        sys.stdout.write(text)
        return
    path = _checked_out(out)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as e:
        raise UserError(f"cannot write the report to {path}: {e.strerror or e}") from e


def _refusal(error: Exception, args: argparse.Namespace) -> UserError:
    """The engine's error in the command's terms: a missing database says where the command
    looked and what to do (a walk-through did not know what COPILOT_HOME was)."""
    from copilot.report import NoDatabase

    if not isinstance(error, NoDatabase):
        return UserError(str(error))
    if args.db:
        return UserError(f"there is no file {error.path}: check the path given to --db")
    return UserError(f"{error}. This desk's calls are kept in the copilot's data folder, "
                     f"{error.path.parent}: take a call with the copilot on this computer, or "
                     "report another desk's database with --db FILE (the COPILOT_HOME "
                     "environment variable moves the data folder)")


def cmd_report(args: argparse.Namespace) -> int:
    from copilot import report as R

    started = time.perf_counter()
    since = parse_since(args.since)
    if args.export:
        if args.out or args.format:
            raise UserError("--export writes Parquet files into DIR; --out and --format are "
                            "for reports")
        who = _who(args, required=True)
        try:
            result = R.export_desk(_db(args), Path(args.export).expanduser(), who, since=since,
                                   say=_say, store_options=_store_options(args))
        except (R.ReportError, R.ExportError) as e:
            raise _refusal(e, args) from e
        rows = result.rows.get("events", 0)
        print(f"exported {plural(result.calls, 'call')} "
              f"({plural(rows, 'suggestion and card event')}) of desk {who.desk_id} to "
              f"{args.export}: {plural(len(result.written), 'file')} written "
              f"({time.perf_counter() - started:.1f} s)")
        return 0
    if not args.out:
        raise UserError("say where the report goes: --out FILE (or --out - for standard output)")
    if args.agent or args.team or args.desk:
        raise UserError("--desk, --agent and --team label an --export; a report shows the "
                        "labels its desks were exported with")
    if args.sources and args.db:
        raise UserError("--db reads one desk's call database and --from reads metrics files: "
                        "give one of them")
    if args.out != "-":
        _checked_out(args.out)
    fmt = _format(args)
    try:
        if args.sources:
            report = R.site_report(args.sources, since=since, say=_say)
        else:
            report = R.desk_report(_db(args), since=since, say=_say,
                                   store_options=_store_options(args))
    except (R.ReportError, R.SourceError) as e:
        raise _refusal(e, args) from e
    from copilot.report.render import render

    text = render(report, fmt)
    _write(text, args.out)
    calls = report.figure("calls") or 0
    where = "standard output" if args.out == "-" else args.out
    line = (f"{fmt} report of {plural(calls, 'call')} written to {where} "
            f"({time.perf_counter() - started:.1f} s)")
    print(line, file=sys.stderr if args.out == "-" else sys.stdout)
    return 0
