"""One meaning per word: "shown" is the lines (or cards) shown, each once per call, in every
table of the report; abstentions are counted apart, never as lines shown."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_report_data import make_desk  # noqa: E402

from copilot.report import desk_report  # noqa: E402
from copilot.report.render import render  # noqa: E402


def test_shown_counts_lines_shown_in_every_table_and_abstentions_apart(tmp_path):
    """A supervisor's walk-through: "shown" was the lines shown in one table and the lines
    plus the abstentions in the origins table."""
    db = tmp_path / "calls.sqlite3"
    make_desk(db)  # 3 lines shown, 1 abstention
    report = desk_report(db)
    overview = {r[0]: r[1] for r in report.tables["overview"].rows}
    assert (overview["suggestions_shown"], overview["abstentions"]) == (3, 1)
    lines = report.tables["assistance"].as_dicts()[0]
    per_day = report.tables["per_day"].as_dicts()
    origins = report.tables["origins"].as_dicts()
    assert lines["shown"] == sum(r["suggestions_shown"] for r in per_day) == 3
    assert sum(r["shown"] for r in origins) == 3  # not 4: the abstention is no line shown
    assert sum(r["abstentions"] for r in origins) == lines["abstentions"] == 1
    abstain = next(r for r in origins if r["origin"] == "abstain")
    assert (abstain["shown"], abstain["abstentions"]) == (0, 1)
    # the note says what the columns count, in the same words as the other tables'
    note = report.tables["origins"].note
    assert "not lines shown" in note and "for searches" in note
    assert "<th>abstentions</th>" in render(report, "html").split('id="origins"')[1]
