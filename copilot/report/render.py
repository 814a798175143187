"""The report as one self-contained HTML page (inline CSS and SVG charts; no script, no link to
anything), as CSV (every table, one after the other) or as JSON (the same tables)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from html import escape
from typing import Any

from copilot.report import schema as S
from copilot.report.figures import Report, Table
from copilot.text.codes import code_label
from copilot.text.plural import noun, plural

FORMATS = ("html", "csv", "json")

# Figures shown as tiles at the top of the HTML page, in this order.
TILES = (("calls", "calls"), ("handle_hours", "handled (h:mm)"),
         ("mean_handle_minutes", "mean handle time (min)"),
         ("suggestions_shown", "suggested lines shown"),
         ("suggestions_taken_share", "lines copied or used"),
         ("suggestions_dismissed", "lines dismissed"), ("abstentions", "abstentions"),
         ("knowledge_shown", "knowledge cards shown"))
# A count tile's label when its figure is exactly one ("1 call", not "1 calls").
TILE_ONE = {"calls": "call", "suggestions_shown": "suggested line shown",
            "suggestions_dismissed": "line dismissed", "abstentions": "abstention",
            "knowledge_shown": "knowledge card shown"}


def tile_label(key: str, label: str, value: Any) -> str:
    """The label under a tile's figure, singular for a count of one."""
    return noun(value, TILE_ONE[key], label) if key in TILE_ONE else label


LONG = 31  # rows past which a table is folded under its chart


def _plain(value: Any) -> Any:
    """A JSON/CSV value: dates as ISO text, floats rounded."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 4)
    if hasattr(value, "item"):  # a numpy or decimal scalar
        return _plain(value.item())
    return value


def _is_share(column: str) -> bool:
    return column == "share" or column.endswith("_share")


def _cell(column: str, value: Any) -> str:
    if value is None:
        return "–"
    if column == "handle_hours" and isinstance(value, int | float):
        # "0:03", not "0.0" hours for a few short calls (the final walk-through)
        minutes = round(value * 60)
        return f"{minutes // 60:,}:{minutes % 60:02d}"
    if column == "hour" and isinstance(value, int):  # the per-hour table's: "08:00", not "8"
        return f"{value:02d}:00"
    if column == "disposition" and isinstance(value, str) and not value.startswith("("):
        return code_label(value)  # "Refund issued"; CSV and JSON keep the code
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.0%}" if _is_share(column) else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _label(column: str) -> str:
    return "handled (h:mm)" if column == "handle_hours" else column.replace("_", " ")


def _period(report: Report) -> str:
    first, last = report.figure("first_day"), report.figure("last_day")
    if first is None:
        return "no calls"
    return f"{first}" if first == last else f"{first} to {last}"


def _scope_line(report: Report) -> str:
    calls = report.figure("calls") or 0
    desks = report.figure("desks") or 0
    parts = [plural(calls, "call"), _period(report)] if calls else ["no calls"]
    if report.scope == "site":
        parts.insert(0, plural(desks, "desk"))
        parts.append(f"from {plural(report.inputs.file_count, 'metrics file')}")
        if report.inputs.repeated_calls:
            parts.append(f"{plural(report.inputs.repeated_calls, 'call')} counted more than once "
                         "(found in more than one file)")
    else:
        parts.append(f"the call database {report.inputs.database}" if report.inputs.database
                     else "this desk's call database")
    if report.since is not None:
        parts.append(f"calls since {_local(report.since)}")
    return ", ".join(parts)


def _local(when: datetime) -> str:
    """In local time, as `--since 08:00` was typed (a shift), with the offset from UTC: one
    clock for the scope and the time the report was made."""
    local = when.astimezone()
    offset = f"{local:%z}"
    return f"{local:%Y-%m-%d %H:%M} (UTC{offset[:3]}:{offset[3:]})"


# The window's Reports view (ui/dialogs/reports.py) writes figures, column names and the scope
# line in the same words as the HTML page.
def cell_text(column: str, value: Any) -> str:
    return _cell(column, value)


def column_label(column: str) -> str:
    return _label(column)


def scope_line(report: Report) -> str:
    return _scope_line(report)


def cells(t: Table, row: list[Any]) -> list[str]:
    """A table row's cells as shown. The key figures' values are written by their figure's
    name (a share as a percentage, not 0.5), the names in words."""
    if t.name == "overview":
        return [_label(str(row[0])), _cell(str(row[0]), row[1])]
    return [_cell(c, v) for c, v in zip(t.columns, row, strict=True)]


def _html_table(t: Table) -> str:
    head = "".join(f"<th>{escape(_label(c))}</th>" for c in t.columns)
    body = []
    for row in t.rows:
        tds = []
        for v, text in zip(row, cells(t, row), strict=True):
            num = isinstance(v, int | float) and not isinstance(v, bool)
            tds.append(f'<td class="{"n" if num else "t"}">{escape(text)}</td>')
        body.append("<tr>" + "".join(tds) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;
 color:#1d2329;margin:0;background:#f6f7f9}
main{max-width:1100px;margin:0 auto;padding:24px 28px 48px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:32px 0 6px}
.sub,.note{color:#5b6470}.note{margin:0 0 8px;font-size:13px}
.privacy{font-size:12px;color:#5b6470;border-left:3px solid #3b6ea8;padding:2px 8px;margin:10px 0}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(160px,1fr));gap:10px;
 margin:18px 0}
.tile{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:10px 12px}
.tile b{display:block;font-size:22px}.tile span{color:#5b6470;font-size:12px}
section{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:4px 16px 14px;
 margin:16px 0}
table{border-collapse:collapse;margin:8px 0;font-size:13px}
th,td{padding:3px 10px;border-bottom:1px solid #e8ebef}
th{text-align:left;font-weight:600;background:#f0f2f5}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.chart svg{max-width:100%;height:auto}
details summary{cursor:pointer;color:#3b6ea8;margin:6px 0}
.empty{color:#5b6470;font-style:italic}
"""

PRIVACY = ("De-identified metrics: counts, times, codes, and the site's own passage ids and "
           "titles and checklist items. No transcript, note, summary, call title or source, "
           "suggested line or typed question is in this report.")


NO_CHARTS = "Charts are not drawn: this installation has no matplotlib. The figures are all here."


def html(report: Report, charts: dict[str, str], *, note: str = "") -> str:
    title = "Site report" if report.scope == "site" else "Desk report"
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>Agent Copilot: {escape(title)}</title><style>{CSS}</style></head><body><main>",
           f"<h1>Agent Copilot: {escape(title)}</h1>",
           f'<div class="sub">{escape(_scope_line(report))}. Made '
           f"{_local(report.generated_at)}.</div>",
           f'<div class="privacy">{escape(PRIVACY)}</div>']
    if note:
        out.append(f'<p class="note">{escape(note)}</p>')
    tiles = []
    for key, label in TILES:
        value = report.figure(key)
        label = tile_label(key, label, value)
        tiles.append(f'<div class="tile"><b>{escape(_cell(key, value))}</b>'
                     f"<span>{escape(label)}</span></div>")
    out.append(f'<div class="tiles">{"".join(tiles)}</div>')
    for name, t in report.tables.items():
        if name == "overview":
            continue
        out.append(f'<section id="{escape(name)}"><h2>{escape(t.title)}</h2>')
        if t.note:
            out.append(f'<p class="note">{escape(t.note)}</p>')
        if name in charts:
            out.append(f'<div class="chart">{charts[name]}</div>')
        if not t.rows:
            out.append('<p class="empty">Nothing in this period.</p>' if name != "checklists"
                       else "")
        elif len(t.rows) > LONG:
            out.append(f"<details><summary>The table ({plural(len(t.rows), 'row')})</summary>"
                       f"{_html_table(t)}</details>")
        else:
            out.append(_html_table(t))
        out.append("</section>")
    overview = report.tables.get("overview")
    if overview is not None:
        out.append('<section id="overview"><h2>All key figures</h2>'
                   f"{_html_table(overview)}</section>")
    out.append("</main></body></html>")
    return "\n".join(out) + "\n"


def csv_text(report: Report) -> str:
    """Every table in turn: a `# name: title` line, the header, the rows, a blank line."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    buf.write(f"# Agent Copilot {report.scope} report: {_scope_line(report)}\n\n")
    for name, t in report.tables.items():
        buf.write(f"# {name}: {t.title}\n")
        w.writerow(t.columns)
        for row in t.rows:
            w.writerow(["" if v is None else _plain(v) for v in row])
        buf.write("\n")
    return buf.getvalue()


def json_text(report: Report) -> str:
    doc = {
        "report": "agent-copilot",
        "metrics_schema_version": S.SCHEMA_VERSION,
        "scope": report.scope,
        "generated_at": report.generated_at.isoformat(timespec="seconds"),
        "since": report.since.isoformat(timespec="seconds") if report.since else None,
        "inputs": {"kind": report.inputs.kind, "files": report.inputs.file_count,
                   "skipped": len(report.inputs.skipped),
                   "repeated_calls": report.inputs.repeated_calls},
        "tables": {name: {"title": t.title, "note": t.note, "columns": t.columns,
                          "rows": [{k: _plain(v) for k, v in r.items()} for r in t.as_dicts()]}
                   for name, t in report.tables.items()},
    }
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def render(report: Report, fmt: str) -> str:
    if fmt == "html":
        try:
            import matplotlib  # noqa: F401
        except ImportError:  # a build without it: the same tables, no charts
            return html(report, {}, note=NO_CHARTS)
        from copilot.report.charts import all_charts

        return html(report, all_charts(report))
    if fmt == "csv":
        return csv_text(report)
    if fmt == "json":
        return json_text(report)
    raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
