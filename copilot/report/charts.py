"""The report's charts: matplotlib figures drawn as inline SVG for the HTML report, or as PNG for
the window's Reports view (ui/dialogs/reports.py), from the same figure code (no pyplot, no GUI
backend, no file, nothing fetched). Labels are the report's own figures, dates, codes and passage
ids and titles, never text from a call."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from copilot.report.figures import NO_NOTE, NOT_SAVED, Report
from copilot.text.codes import code_label

BLUE, ORANGE, GREEN, RED, GREY = "#3b6ea8", "#d98b2b", "#3f9b5a", "#c0443a", "#8a8f98"
MOOD_COLOURS = {"calm": GREEN, "tense": "#c9b338", "frustrated": ORANGE, "angry": RED}
_RC = {"svg.fonttype": "none",  # text stays text: small, sharp, searchable
       "svg.hashsalt": "copilot-report",  # the same report draws the same bytes
       "font.size": 9, "axes.spines.top": False, "axes.spines.right": False}


def _svg(fig: Any, n: int) -> str:
    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context(_RC):
        fig.savefig(buf, format="svg", bbox_inches="tight",
                    metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]  # no XML declaration or DOCTYPE (which names a URL)
    # Several charts in one page: give each one's ids a prefix of its own.
    svg = re.sub(r'id="([^"]+)"', rf'id="c{n}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#c{n}-\1)", svg)
    return re.sub(r'href="#([^"]+)"', rf'href="#c{n}-\1"', svg)


def _figure(width: float, height: float) -> Any:
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(width, height), layout="constrained")
        return fig, fig.subplots()


def _thousands(axis: Any) -> None:
    """Whole numbers with thousands separators (never an offset like "1e6")."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}"))


def _days(ax: Any, days: Sequence[Any]) -> None:
    """Date ticks: every day for a short period, else matplotlib's choice (never hours)."""
    import matplotlib.dates as mdates

    span = (days[-1] - days[0]).days + 1
    if span <= 14:
        ax.xaxis.set_major_locator(mdates.DayLocator())
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %d"))
    else:
        locator = mdates.AutoDateLocator(minticks=3, maxticks=10)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    # In matplotlib's day numbers: a date minus 0.6 days is the same date (a date has no
    # hours), which cut the first and last bars in half and made one day's limits equal.
    ax.set_xlim(mdates.date2num(days[0]) - 0.6, mdates.date2num(days[-1]) + 0.6)
    _thousands(ax.yaxis)


def _hours(ax: Any, hours: Sequence[int]) -> None:
    """One day's hour ticks, "08:00", the same words as the per-hour table."""
    from matplotlib.ticker import FuncFormatter, MultipleLocator

    ax.xaxis.set_major_locator(MultipleLocator(1 if len(hours) <= 12 else 2))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{int(v):02d}:00"))
    ax.set_xlim(hours[0] - 0.6, hours[-1] + 0.6)
    _thousands(ax.yaxis)


TIMELINES = {"per_day": "day", "per_hour": "hour"}  # a report has one (figures.py)


def _timeline(report: Report, name: str | None = None) -> tuple[str, list[dict]] | None:
    """The rows of the table `name` (None: whichever of TIMELINES the report has) and the
    column they go by; None when there is nothing to draw."""
    for table, key in TIMELINES.items():
        t = report.get(table)
        if name in (None, table) and t is not None and t.rows:
            return key, t.as_dicts()
    return None


def _time_axis(ax: Any, key: str, points: Sequence[Any]) -> None:
    (_days if key == "day" else _hours)(ax, points)


def per_day(report: Report, name: str = "per_day") -> Any:
    """Calls (bars) and mean handle time (a line) per day, or (`per_hour`) per hour of a
    single day."""
    found = _timeline(report, name)
    if found is None:
        return None
    import matplotlib

    key, rows = found
    points = [r[key] for r in rows]
    with matplotlib.rc_context(_RC):
        fig, ax = _figure(8, 2.8)
        ax.bar(points, [r["calls"] for r in rows], color=BLUE, width=0.8, label="calls")
        ax.set_ylabel("calls")
        twin = ax.twinx()
        twin.plot(points, [r["mean_handle_minutes"] for r in rows], color=ORANGE, marker=".",
                  label="mean handle time (min)")
        twin.set_ylabel("mean handle time (min)")
        twin.set_ylim(bottom=0)
        twin.spines["right"].set_visible(True)
        _time_axis(ax, key, points)
        fig.legend(loc="outside upper left", ncols=2, frameon=False)
        return fig


def assistance_per_day(report: Report) -> Any:
    """Lines shown, copied or used, dismissed, and abstentions per day (or hour of one day)."""
    found = _timeline(report)
    if found is None:
        return None
    import matplotlib

    key, rows = found
    points = [r[key] for r in rows]
    with matplotlib.rc_context(_RC):
        fig, ax = _figure(8, 2.8)
        top = 0
        for column, label, colour in (("suggestions_shown", "lines shown", BLUE),
                                      ("taken", "copied or used", GREEN),
                                      ("dismissed", "dismissed", RED),
                                      ("abstentions", "abstentions", GREY)):
            values = [(r["copied"] or 0) + (r["used"] or 0) if column == "taken" else r[column]
                      for r in rows]
            ax.plot(points, values, color=colour, marker="." if len(points) < 40 else None,
                    label=label)
            top = max(top, *(v or 0 for v in values))
        # All zero (no line shown yet): an axis up to 1, not ten ticks that all read "0".
        ax.set_ylim(bottom=0, top=None if top else 1)
        _time_axis(ax, key, points)
        fig.legend(loc="outside upper left", ncols=4, frameon=False)
        return fig


def _short(text: str, limit: int = 48) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _hbars(labels: list[str], values: list[float], colour: str | list[str], xlabel: str,
           notes: list[str] | None = None) -> Any:
    """Horizontal bars, each annotated with its value (or with `notes`, one per bar)."""
    import matplotlib

    with matplotlib.rc_context(_RC):
        # 0.27 in a bar: a day's dispositions (nine bars) and their table fit a 1366x768 screen.
        fig, ax = _figure(7, 0.27 * len(labels) + 0.8)
        ax.barh(range(len(labels)), values, color=colour)
        _thousands(ax.xaxis)
        ax.set_yticks(range(len(labels)), labels)
        ax.invert_yaxis()
        ax.set_xlabel(xlabel)
        for i, v in enumerate(values):
            ax.annotate(notes[i] if notes else f"{v:,.0f}", (v, i), xytext=(3, 0),
                        textcoords="offset points", va="center", fontsize=8)
        return fig


def passages(report: Report, name: str) -> Any:
    t = report.get(name)
    if t is None or not t.rows:
        return None
    key = "copied_or_used" if name == "passages_used" else "dismissed"
    rows = t.as_dicts()
    labels = [_short(f"{r['passage']}  {r['title'] or ''}".strip()) for r in rows]
    return _hbars(labels, [r[key] for r in rows], GREEN if key == "copied_or_used" else RED,
                  "times copied or used" if key == "copied_or_used" else "times dismissed")


def signals(report: Report) -> Any:
    t = report.get("signals")
    if t is None or not any(r[1] for r in t.rows):
        return None
    rows = [r for r in t.as_dicts() if r["signal"].startswith("peak: ")]
    labels = [r["signal"].removeprefix("peak: ") for r in rows]
    return _hbars(labels, [r["calls"] for r in rows],
                  [MOOD_COLOURS.get(x, GREY) for x in labels],
                  "calls, by the customer's peak frustration")


def dispositions(report: Report) -> Any:
    """Calls by the disposition the agent saved in the wrap-up, the rest in grey bars: an
    unsaved note (its disposition the AI draft's guess, never counted as an outcome) and no
    note at all (figures._DISPOSITIONS)."""
    t = report.get("dispositions")
    if t is None or not t.rows:
        return None
    rows = t.as_dicts()
    apart = (NOT_SAVED, NO_NOTE)
    saved = sorted(((r["disposition"], r["calls"]) for r in rows if r["disposition"] not in apart),
                   key=lambda x: (-x[1], x[0]))[:10]
    extra = [(d, sum(r["calls"] for r in rows if r["disposition"] == d)) for d in apart]
    labels = [_short(code_label(d)) for d, _ in saved] + [x for x, n in extra if n]
    values = [n for _, n in saved] + [n for _, n in extra if n]
    colours = [BLUE] * len(saved) + [GREY for _, n in extra if n]
    return _hbars(labels, values, colours, "calls, by the disposition the agent saved")


def breakdown(report: Report, name: str) -> Any:
    """Calls and the share of lines taken, per team (a site's teams fit on one chart)."""
    t = report.get(name)
    if t is None or not t.rows or len(t.rows) > 40:
        return None
    rows = t.as_dicts()
    key = "team" if name == "per_team" else "desk_id"
    return _hbars([_short(str(r[key])) for r in rows], [r["calls"] for r in rows], BLUE,
                  "calls")


def checklists(report: Report) -> Any:
    """Live checklist completion: per item, the share of the calls it applied to that did it."""
    t = report.get("checklists")
    if t is None or not t.rows or len(t.rows) > 40:
        return None
    rows = t.as_dicts()
    several = len({r["checklist"] for r in rows}) > 1
    labels = [_short(f"{r['checklist']}: {r['item_text']}" if several else str(r["item_text"]))
              for r in rows]
    shares = [100 * float(r["done_share"] or 0) for r in rows]
    fig = _hbars(labels, shares, GREEN, "done, % of the calls the item applied to",
                 [f"{s:.0f}% ({r['done']:,} of {r['calls']:,})"
                  for s, r in zip(shares, rows, strict=True)])
    fig.axes[0].set_xlim(0, 100)
    return fig


def _makers(report: Report) -> dict[str, Callable[[], Any]]:
    """Chart makers by the name of the table they illustrate (None: nothing to draw). New
    charts go last: an SVG's ids are numbered by its place here."""
    return {
        "per_day": lambda: per_day(report),
        "assistance": lambda: assistance_per_day(report),
        "passages_used": lambda: passages(report, "passages_used"),
        "passages_dismissed": lambda: passages(report, "passages_dismissed"),
        "signals": lambda: signals(report),
        "dispositions": lambda: dispositions(report),
        "per_team": lambda: breakdown(report, "per_team"),
        "checklists": lambda: checklists(report),
        "per_hour": lambda: per_day(report, "per_hour"),  # instead of per_day, for one day
    }


def all_charts(report: Report) -> dict[str, str]:
    """Chart SVGs by the name of the table they illustrate (the HTML puts each above it)."""
    out = {}
    for n, (name, make) in enumerate(_makers(report).items(), 1):
        fig = make()
        if fig is not None:
            out[name] = _svg(fig, n)
    return out


def png_charts(report: Report, *, dpi: float = 100.0,
               rc: Mapping[str, Any] | None = None) -> dict[str, bytes]:
    """The same charts as PNG images, by table name (the window shows them). `dpi`: pixels per
    inch (the window scales it with its font and screen); `rc`: matplotlib settings laid over
    the charts' own, for colours (the window's dark theme)."""
    import matplotlib

    out = {}
    with matplotlib.rc_context(dict(rc or {})):  # around drawing too: ticks are made then
        for name, make in _makers(report).items():
            fig = make()
            if fig is None:
                continue
            buf = io.BytesIO()
            with matplotlib.rc_context(_RC):
                fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight",
                            metadata={"Software": None})
            out[name] = buf.getvalue()
    return out
