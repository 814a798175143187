"""A report of a single day: its calls per hour, not one lone bar per day. The chart draws the
table's figures (the same hours, the same counts), in the same words ("09:00")."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_report_data import make_desk, quiet_call  # noqa: E402

from copilot.report import desk_report  # noqa: E402
from copilot.report.charts import all_charts, assistance_per_day, per_day  # noqa: E402
from copilot.report.render import render  # noqa: E402
from copilot.store.db import CallStore  # noqa: E402


def _one_day(db: Path) -> None:
    """Four calls on 10 March 2026, local time: two at 9, one at 11, one at 14."""
    with CallStore(db) as store:
        for hour, minute in ((9, 5), (9, 40), (11, 0), (14, 30)):
            quiet_call(store, datetime(2026, 3, 10, hour, minute).astimezone())


def test_a_single_days_report_gives_its_calls_per_hour(tmp_path):
    """A supervisor's walk-through: a day's report drew one lone bar per day."""
    db = tmp_path / "calls.sqlite3"
    _one_day(db)
    report = desk_report(db)
    assert "per_day" not in report.tables
    t = report.tables["per_hour"]
    assert t.title == "Calls and handle time per hour" and "2026-03-10" in t.note
    # every hour from the first call's to the last's, the quiet ones at zero
    calls = {r["hour"]: r["calls"] for r in t.as_dicts()}
    assert calls == {9: 2, 10: 0, 11: 1, 12: 0, 13: 0, 14: 1}
    quiet = t.as_dicts()[1]
    assert (quiet["suggestions_shown"], quiet["mean_handle_minutes"]) == (0, None)
    html = render(report, "html")
    assert "Calls and handle time per hour" in html and "per day" not in html
    assert '<td class="n">09:00</td><td class="n">2</td>' in html
    assert '<td class="n">10:00</td><td class="n">0</td>' in html
    assert render(report, "json").count('"hour": 9') == 1  # the data keeps the hour number
    # the chart draws what the table says: a bar per hour, at that hour, as tall as its calls
    fig = per_day(report, "per_hour")
    ax = fig.axes[0]
    bars = {round(b.get_x() + b.get_width() / 2): b.get_height() for b in ax.patches}
    assert bars == calls
    assert ax.xaxis.get_major_formatter()(9, 0) == "09:00"
    lines = assistance_per_day(report).axes[0].get_lines()
    assert [list(line.get_xdata()) for line in lines] == [list(calls)] * 4
    assert set(all_charts(report)) >= {"per_hour", "assistance"}
    assert "per_day" not in all_charts(report)


def test_more_than_one_day_stays_per_day(tmp_path):
    db = tmp_path / "calls.sqlite3"
    make_desk(db)  # calls 2 days, 1 day and 3 hours ago
    report = desk_report(db)
    assert "per_hour" not in report.tables and len(report.tables["per_day"].rows) >= 2
    charts = all_charts(report)
    assert "per_day" in charts and "per_hour" not in charts
