"""The HTML report's charts: matplotlib figures drawn as inline SVG (no pyplot, no GUI backend,
no file, nothing fetched). Labels are the report's own figures, dates, codes and passage ids and
titles, never text from a call."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

from copilot.report.figures import Report

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
    from datetime import timedelta

    import matplotlib.dates as mdates

    span = (days[-1] - days[0]).days + 1
    if span <= 14:
        ax.xaxis.set_major_locator(mdates.DayLocator())
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %d"))
    else:
        locator = mdates.AutoDateLocator(minticks=3, maxticks=10)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set_xlim(days[0] - timedelta(days=0.6), days[-1] + timedelta(days=0.6))
    _thousands(ax.yaxis)


def _per_day(report: Report) -> list[dict] | None:
    """The per-day table's rows, or None when there is nothing to draw."""
    t = report.get("per_day")
    return t.as_dicts() if t is not None and t.rows else None


def per_day(report: Report, n: int) -> str | None:
    rows = _per_day(report)
    if rows is None:
        return None
    import matplotlib

    days = [r["day"] for r in rows]
    with matplotlib.rc_context(_RC):
        fig, ax = _figure(8, 2.8)
        ax.bar(days, [r["calls"] for r in rows], color=BLUE, width=0.8, label="calls")
        ax.set_ylabel("calls")
        twin = ax.twinx()
        twin.plot(days, [r["mean_handle_minutes"] for r in rows], color=ORANGE, marker=".",
                  label="mean handle time (min)")
        twin.set_ylabel("mean handle time (min)")
        twin.set_ylim(bottom=0)
        twin.spines["right"].set_visible(True)
        _days(ax, days)
        fig.legend(loc="outside upper left", ncols=2, frameon=False)
        return _svg(fig, n)


def assistance_per_day(report: Report, n: int) -> str | None:
    rows = _per_day(report)
    if rows is None:
        return None
    import matplotlib

    days = [r["day"] for r in rows]
    with matplotlib.rc_context(_RC):
        fig, ax = _figure(8, 2.8)
        for key, label, colour in (("suggestions_shown", "lines shown", BLUE),
                                   ("taken", "copied or used", GREEN),
                                   ("dismissed", "dismissed", RED),
                                   ("abstentions", "abstentions", GREY)):
            values = [(r["copied"] or 0) + (r["used"] or 0) if key == "taken" else r[key]
                      for r in rows]
            ax.plot(days, values, color=colour, marker="." if len(days) < 40 else None,
                    label=label)
        ax.set_ylim(bottom=0)
        _days(ax, days)
        fig.legend(loc="outside upper left", ncols=4, frameon=False)
        return _svg(fig, n)


def _short(text: str, limit: int = 48) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _hbars(labels: list[str], values: list[float], colour: str | list[str], n: int,
           xlabel: str) -> str:
    import matplotlib

    with matplotlib.rc_context(_RC):
        fig, ax = _figure(7, 0.35 * len(labels) + 0.8)
        ax.barh(range(len(labels)), values, color=colour)
        _thousands(ax.xaxis)
        ax.set_yticks(range(len(labels)), labels)
        ax.invert_yaxis()
        ax.set_xlabel(xlabel)
        for i, v in enumerate(values):
            ax.annotate(f"{v:,.0f}", (v, i), xytext=(3, 0), textcoords="offset points",
                        va="center", fontsize=8)
        return _svg(fig, n)


def passages(report: Report, name: str, n: int) -> str | None:
    t = report.get(name)
    if t is None or not t.rows:
        return None
    key = "copied_or_used" if name == "passages_used" else "dismissed"
    rows = t.as_dicts()
    labels = [_short(f"{r['passage']}  {r['title'] or ''}".strip()) for r in rows]
    return _hbars(labels, [r[key] for r in rows], GREEN if key == "copied_or_used" else RED, n,
                  "times copied or used" if key == "copied_or_used" else "times dismissed")


def signals(report: Report, n: int) -> str | None:
    t = report.get("signals")
    if t is None or not any(r[1] for r in t.rows):
        return None
    rows = [r for r in t.as_dicts() if r["signal"].startswith("peak: ")]
    labels = [r["signal"].removeprefix("peak: ") for r in rows]
    return _hbars(labels, [r["calls"] for r in rows],
                  [MOOD_COLOURS.get(x, GREY) for x in labels], n,
                  "calls, by the customer's peak frustration")


def dispositions(report: Report, n: int) -> str | None:
    t = report.get("dispositions")
    if t is None or not t.rows:
        return None
    rows = t.as_dicts()[:12]
    return _hbars([_short(r["disposition"]) for r in rows], [r["calls"] for r in rows], BLUE, n,
                  "calls")


def breakdown(report: Report, name: str, n: int) -> str | None:
    """Calls and the share of lines taken, per team (a site's teams fit on one chart)."""
    t = report.get(name)
    if t is None or not t.rows or len(t.rows) > 40:
        return None
    rows = t.as_dicts()
    key = "team" if name == "per_team" else "desk_id"
    return _hbars([_short(str(r[key])) for r in rows], [r["calls"] for r in rows], BLUE, n,
                  "calls")


def all_charts(report: Report) -> dict[str, str]:
    """Chart SVGs by the name of the table they illustrate (the HTML puts each above it)."""
    makers = {
        "per_day": lambda n: per_day(report, n),
        "assistance": lambda n: assistance_per_day(report, n),
        "passages_used": lambda n: passages(report, "passages_used", n),
        "passages_dismissed": lambda n: passages(report, "passages_dismissed", n),
        "signals": lambda n: signals(report, n),
        "dispositions": lambda n: dispositions(report, n),
        "per_team": lambda n: breakdown(report, "per_team", n),
    }
    out = {}
    for n, (name, make) in enumerate(makers.items(), 1):
        svg = make(n)
        if svg is not None:
            out[name] = svg
    return out
