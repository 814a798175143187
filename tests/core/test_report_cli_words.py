"""`copilot report`, what a supervisor types: an agent's name where the site's code goes, and the
spans and times of day `--since` reads for a shift. Refusals are one line and exit code 2."""

from __future__ import annotations

import sys
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


def test_the_help_asks_for_a_code(capsys):
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    assert "--agent CODE" in " ".join(capsys.readouterr().out.split())
