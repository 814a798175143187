"""The Reports dialog's report, built off the UI thread (no Qt): the store's calls over a period
to the desk report and its charts, and the report written as HTML, as `copilot report` does.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from copilot.report import NoDatabase, Report, ReportError, SourceError, desk_report
from copilot.report.render import render
from copilot.store.options import StoreOptions

__all__ = ["Built", "build", "message_for", "since_for", "write_html"]

# matplotlib's settings are process-wide and rc_context is not thread-safe: two Reports dialogs
# (or a report exported while another draws) must not interleave their chart settings.
_MATPLOTLIB = threading.Lock()


def since_for(days: int | None, now: datetime | None = None) -> datetime | None:
    """The period's start, as `copilot report --since Nd` computes it."""
    if days is None:
        return None
    return (now or datetime.now(UTC)) - timedelta(days=days)


@dataclass(frozen=True)
class Built:
    """A finished report and its charts (PNG bytes by table name)."""

    report: Report
    charts: dict[str, bytes]
    days: int | None


def build(db: Path, days: int | None, options: StoreOptions | None, *, dpi: float,
          rc: Mapping[str, str], say: Callable[[str], None] | None = None) -> Built:
    """The report over the period and its charts. Worker thread: reads the store, runs DuckDB,
    draws with matplotlib (no Qt)."""
    report = desk_report(db, since=since_for(days), store_options=options, say=say)
    if not report.figure("calls"):
        return Built(report, {}, days)
    try:
        import matplotlib  # noqa: F401
    except ImportError:  # a build without it: the same tables, no charts (as the HTML says)
        return Built(report, {}, days)
    from copilot.report.charts import png_charts

    with _MATPLOTLIB:
        return Built(report, png_charts(report, dpi=dpi, rc=rc), days)


def write_html(report: Report, path: Path) -> Path:
    """The HTML of `copilot report --format html` for this report, written to `path`."""
    with _MATPLOTLIB:
        text = render(report, "html")
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as e:
        raise ReportError(f"cannot write the report to {path}: {e.strerror or e}") from e
    return path


def message_for(error: BaseException, db: Path) -> tuple[str, bool]:
    """What the window says when the report could not be made, and whether that is an error
    (the warning look) or news. None of it names an environment variable first: a supervisor
    does not know COPILOT_HOME (a walk-through)."""
    if isinstance(error, NoDatabase):
        return (f"No calls recorded on this desk yet.\n\nThe report reads the calls the copilot "
                f"keeps on this computer, in {error.path.parent}, and none is there yet: they "
                "show here once the copilot has taken calls on this computer. (Calls kept in "
                "another folder: whoever set up this computer points the copilot there with "
                "the COPILOT_HOME environment variable.)", False)
    if isinstance(error, ReportError | SourceError):
        message = str(error)  # written for the user: names the file and what to do
    else:  # unexpected (the dialog logs the traceback): never on screen
        message = f"The report could not be made from {db}: {error or type(error).__name__}"
    return message[:1].upper() + message[1:], True
