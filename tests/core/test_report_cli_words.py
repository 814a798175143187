"""`copilot report`, what a supervisor types: an agent's name where the site's code goes, and the
spans and times of day `--since` reads for a shift. Refusals are one line and exit code 2."""

from __future__ import annotations

import re
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_report_data import make_desk  # noqa: E402

from copilot import paths  # noqa: E402
from copilot.cli import main  # noqa: E402


@pytest.fixture
def home_desk(copilot_home: Path) -> Path:
    db = paths.database_path()
    make_desk(db)
    return db


def _export(tmp_path: Path, *agent: str) -> list[str]:
    return ["report", "--export", str(tmp_path / "out"), "--desk", "desk-1", *agent]


@pytest.mark.parametrize("name", ["Jane Smith", "J. Smith", "jane@example.com", "Zoë"])
def test_an_agents_name_is_refused_where_the_code_goes(home_desk, tmp_path, capsys, name):
    """A supervisor's walk-through: `--agent "Jane Smith"` was exported on every row, though
    the help asks for a code. The copilot keeps no list of agents to map a name to its code."""
    assert main(_export(tmp_path, "--agent", name)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"agent {name!r} is not an agent code" in err and "a-1042" in err
    assert not (tmp_path / "out").exists()  # nothing exported


def test_the_desks_own_agent_name_is_refused_as_a_code(home_desk, tmp_path, capsys):
    paths.settings_path().write_text('[asr]\nagent_name = "Priya"\n', encoding="utf-8")
    assert main(_export(tmp_path, "--agent", "priya")) == 2
    err = capsys.readouterr().err
    assert "this desk's agent name in the settings ([asr] agent_name)" in err
    assert main(_export(tmp_path, "--agent", "a-1042")) == 0  # a code is written as given
    assert "exported 3 calls" in capsys.readouterr().out


@pytest.mark.parametrize(("team", "says"), [
    ("jane.smith@example.com", "holds an e-mail address"),
    ("Priya", "is this desk's agent name in the settings"),
])
def test_a_team_label_that_names_a_person_is_refused(home_desk, tmp_path, capsys, team, says):
    """A supervisor's walk-through: `--team` took any text onto every de-identified row."""
    paths.settings_path().write_text('[asr]\nagent_name = "Priya"\n', encoding="utf-8")
    assert main(_export(tmp_path, "--team", team)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and says in err and "billing-2" in err
    assert not (tmp_path / "out").exists()
    assert main(_export(tmp_path, "--team", "Billing north")) == 0  # a team's own words


def test_the_help_asks_for_a_code(capsys):
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    assert "--agent CODE" in " ".join(capsys.readouterr().out.split())


@pytest.fixture
def paris(monkeypatch):
    """The desk's clock in Paris (UTC+1 in winter, +2 in summer), put back afterwards."""
    import time

    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_since_reads_minutes_and_the_local_time_a_shift_began(paris):
    """A supervisor's walk-through: a shift's report needed `--since 90m` or `--since 08:00`,
    and --since took only hours, days, weeks and dates."""
    from copilot.cli.report import parse_since

    now = datetime(2026, 3, 10, 6, 30, tzinfo=UTC)  # 07:30 in Paris
    utc = {t: parse_since(t, now) for t in ("90m", "07:00", "08:00", "today 07:15", "7:15",
                                            "yesterday 22:00", "today", "2026-01-31 22:00",
                                            "2026-01-31T22:00", "2025-07-01 08:00")}
    assert utc == {
        "90m": now - timedelta(minutes=90),
        "07:00": datetime(2026, 3, 10, 6, 0, tzinfo=UTC),
        "08:00": datetime(2026, 3, 9, 7, 0, tzinfo=UTC),  # not yet 08:00 today: yesterday's
        "today 07:15": datetime(2026, 3, 10, 6, 15, tzinfo=UTC),
        "7:15": datetime(2026, 3, 10, 6, 15, tzinfo=UTC),
        "yesterday 22:00": datetime(2026, 3, 9, 21, 0, tzinfo=UTC),
        "today": datetime(2026, 3, 9, 23, 0, tzinfo=UTC),  # local midnight
        "2026-01-31 22:00": datetime(2026, 1, 31, 21, 0, tzinfo=UTC),
        "2026-01-31T22:00": datetime(2026, 1, 31, 21, 0, tzinfo=UTC),
        "2025-07-01 08:00": datetime(2025, 7, 1, 6, 0, tzinfo=UTC),  # summer time
    }


@pytest.mark.parametrize(("since", "says"), [
    ("25:00", "no such date or time of day"), ("2026-02-30", "no such date or time of day"),
    ("today 8", "give a span (90m"), ("8am", "a time of day (08:00"),
    ("today 09:00", "is later than now (2026-03-10 07:30)"),
    ("2026-04-01", "no call started since"),
])
def test_a_since_that_cannot_be_read_is_refused_in_words(paris, since, says):
    from copilot.cli.report import parse_since
    from copilot.errors import UserError

    with pytest.raises(UserError, match=re.escape(says)):
        parse_since(since, datetime(2026, 3, 10, 6, 30, tzinfo=UTC))


def test_a_shifts_report_counts_the_calls_since_and_says_since_when(home_desk, tmp_path,
                                                                      capsys):
    # make_desk: calls 2 days, 1 day and 3 hours ago
    out = tmp_path / "shift.csv"
    assert main(["report", "--since", "200m", "--out", str(out)]) == 0
    assert "\ncalls,1\n" in out.read_text(encoding="utf-8")
    before = datetime.now(UTC)
    assert main(["report", "--since", "150m", "--out", str(out)]) == 0
    after = datetime.now(UTC)
    text = out.read_text(encoding="utf-8")
    assert "\ncalls,0\n" in text
    # the first line in local time, as the shift was typed; the report's own "now" lies between
    # the two readings of the clock, which may straddle a minute
    said = {f"calls since {(t - timedelta(minutes=150)).astimezone():%Y-%m-%d %H:%M}"
            for t in (before, after)}
    assert any(s in text for s in said), (said, text[:200])
    capsys.readouterr()
    assert main(["report", "--since", "25:00", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err == "copilot: --since '25:00': no such date or time of day\n"


def test_a_report_says_when_it_was_made_on_the_clock_of_its_since(paris, home_desk, tmp_path):
    """A supervisor's walk-through: the HTML read "since 08:00 (UTC+01:00)" but "Made 07:30
    UTC", two clocks in one line."""
    out = tmp_path / "shift.html"
    assert main(["report", "--since", "200m", "--format", "html", "--out", str(out)]) == 0
    line = re.search(r'<div class="sub">(.*?)</div>', out.read_text(encoding="utf-8"))[1]
    offset = f"{datetime.now().astimezone():%z}"
    zone = f"(UTC{offset[:3]}:{offset[3:]})"
    assert offset in ("+0100", "+0200") and line.count(zone) == 2 and " UTC." not in line
    made = datetime.now().astimezone()
    assert re.search(r"Made (\d{4}-\d\d-\d\d \d\d:\d\d)", line)[1] in (
        f"{made:%Y-%m-%d %H:%M}", f"{made - timedelta(minutes=1):%Y-%m-%d %H:%M}")


def test_the_help_lists_the_forms_of_since(capsys):
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    helped = " ".join(capsys.readouterr().out.split())
    assert "(90m, 12h, 7d, 4w)" in helped and "'today 08:00'" in helped and "08:00" in helped


def test_a_missing_database_says_where_the_copilot_looks_and_what_to_do(copilot_home, tmp_path,
                                                                        capsys):
    """A supervisor's walk-through: "or COPILOT_HOME points elsewhere" named a variable they
    did not know, and nothing to do."""
    assert main(["report", "--out", str(tmp_path / "r.html")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"the copilot's data folder, {copilot_home}:" in err
    assert "take a call with the copilot on this computer" in err and "--db FILE" in err
    assert err.index("COPILOT_HOME") > err.index("--db FILE")  # the variable only as a hint
    missing = tmp_path / "copy" / "calls.sqlite3"
    assert main(["report", "--db", str(missing), "--out", str(tmp_path / "r.html")]) == 2
    assert capsys.readouterr().err == \
        f"copilot: there is no file {missing}: check the path given to --db\n"
