"""Practice scorecards in their own SQLite file (`$COPILOT_HOME/practice.sqlite3`).

Separate from the call database: practice is training, and its records must never be mixed with
customer calls, exported with them, or erased by their retention. Same durability as the call
store (WAL, synchronous=FULL, secure_delete) and the same migrations keyed on user_version.
Texts arrive redacted: the session redacts every answer before anything is judged or kept.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from copilot import paths
from copilot.practice.scorecard import Scorecard
from copilot.store.errors import NotADatabaseError, StoreError
from copilot.store.migrations import migrate, run_script

__all__ = ["CriterionProgress", "PracticeStore", "ScenarioProgress", "SessionRow",
           "practice_db_path"]


def practice_db_path() -> Path:
    return paths.home() / "practice.sqlite3"


def _create_schema_v1(conn: sqlite3.Connection) -> None:
    run_script(conn, resources.files("copilot.practice").joinpath("schema.sql")
               .read_text(encoding="utf-8"))


MIGRATIONS = [_create_schema_v1]  # append only, as in copilot/store/migrations.py


@dataclass(frozen=True)
class SessionRow:
    id: int
    scenario_id: str
    scenario_title: str
    started_at: str
    ended_at: str
    completed: bool
    score: float
    passed: bool
    facts_correct: int
    facts_wrong: int
    median_response: float | None


@dataclass(frozen=True)
class CriterionProgress:
    rule_id: str
    label: str
    forbidden: bool
    ok: int  # sessions where it was met / not applicable / avoided
    attempts: int
    last_status: str


@dataclass(frozen=True)
class ScenarioProgress:
    scenario_id: str
    title: str
    attempts: int
    passed: int
    first_score: float
    last_score: float
    best_score: float
    last_at: str
    criteria: tuple[CriterionProgress, ...]
    stopped: int = 0  # sessions stopped before the customer's closing line: not scored

    @property
    def trend(self) -> float:
        return self.last_score - self.first_score

    def to_dict(self) -> dict[str, Any]:
        return {"scenario": self.scenario_id, "title": self.title, "attempts": self.attempts,
                "passed": self.passed, "first_score": round(self.first_score, 3),
                "last_score": round(self.last_score, 3), "best_score": round(self.best_score, 3),
                "trend": round(self.trend, 3), "last_at": self.last_at, "stopped": self.stopped,
                "criteria": [{"id": c.rule_id, "label": c.label, "forbidden": c.forbidden,
                              "ok": c.ok, "attempts": c.attempts, "last": c.last_status}
                             for c in self.criteria]}


class PracticeStore:
    """One connection; a context manager. Opened, used and closed on one thread."""

    def __init__(self, path: str | Path | None = None, *, timeout: float = 10.0):
        self.path = Path(path) if path is not None else practice_db_path()
        try:
            conn = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
        except sqlite3.Error as e:
            raise StoreError(f"cannot open the practice database {self.path}: {e}") from e
        try:
            conn.execute("PRAGMA journal_mode = WAL")  # the first read: fails on a non-database
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA secure_delete = ON")
            conn.execute("PRAGMA foreign_keys = ON")
            migrate(conn, MIGRATIONS, name=f"The practice database {self.path}")
        except StoreError:
            conn.close()
            raise
        except sqlite3.DatabaseError as e:
            conn.close()
            raise NotADatabaseError(
                f"{self.path} is not a readable practice database ({e}). Move it aside and a "
                "new one will be created.") from e
        self._conn: sqlite3.Connection | None = conn

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError(f"the practice database {self.path} is closed")
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> PracticeStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------------------
    def save(self, card: Scorecard) -> int:
        """Store a scorecard (one transaction); returns the session id."""
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            cur = conn.execute(
                "INSERT INTO sessions (scenario_id, scenario_title, started_at, ended_at, "
                "completed, score, passed, facts_correct, facts_wrong, median_response, card) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (card.scenario_id, card.scenario_title, card.started_at, card.ended_at,
                 int(card.completed), card.score, int(card.passed), card.facts_correct,
                 card.facts_wrong, card.median_response,
                 json.dumps(card.to_dict(), ensure_ascii=False)))
            sid = int(cur.lastrowid or 0)
            conn.executemany(
                "INSERT INTO results (session_id, rule_id, label, forbidden, status, turn, "
                "detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(sid, r.id, r.label, int(r.forbidden), r.status, r.turn, r.detail)
                 for r in card.results])
            conn.executemany(
                "INSERT INTO turns (session_id, seq, role, text, source, seconds) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(sid, i, t["role"], t["text"], t.get("source", ""), t.get("seconds"))
                 for i, t in enumerate(card.transcript())])
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        return sid

    def delete_all(self) -> int:
        """Erase every practice record (secure_delete zeroes the freed pages)."""
        n = self.conn.execute("DELETE FROM sessions").rowcount
        self.conn.execute("VACUUM")
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return n

    # -- reading ---------------------------------------------------------------------------
    def sessions(self, scenario_id: str | None = None, limit: int = 100) -> list[SessionRow]:
        where, args = ("WHERE scenario_id = ?", [scenario_id]) if scenario_id else ("", [])
        rows = self.conn.execute(
            "SELECT id, scenario_id, scenario_title, started_at, ended_at, completed, score, "
            f"passed, facts_correct, facts_wrong, median_response FROM sessions {where} "
            "ORDER BY id DESC LIMIT ?", (*args, limit)).fetchall()
        return [SessionRow(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6], bool(r[7]), r[8], r[9],
                           r[10]) for r in rows]

    def card(self, session_id: int) -> dict[str, Any]:
        row = self.conn.execute("SELECT card FROM sessions WHERE id = ?",
                                (session_id,)).fetchone()
        if row is None:
            raise StoreError(f"no practice session {session_id} in {self.path}")
        return json.loads(row[0])

    def progress(self, scenario_id: str | None = None) -> list[ScenarioProgress]:
        """Per scenario, oldest to newest session: scores and how each criterion went."""
        out = []
        where, args = ("WHERE scenario_id = ?", (scenario_id,)) if scenario_id else ("", ())
        ids = [r[0] for r in self.conn.execute(
            f"SELECT DISTINCT scenario_id FROM sessions {where} ORDER BY scenario_id", args)]
        for sid in ids:
            every = self.conn.execute(
                "SELECT id, scenario_title, score, passed, started_at, completed FROM sessions "
                "WHERE scenario_id = ? ORDER BY id", (sid,)).fetchall()
            # A session stopped early (End practice, a live call) scored what had not come up
            # yet as missed: the scores and criteria are the completed sessions' (a
            # walk-through's stopped run counted as its best score, another as its worst).
            rows = [r for r in every if r[5]] or every
            scored = tuple(r[0] for r in rows)
            marks = ",".join("?" * len(scored))
            scores = [r[2] for r in rows]
            crit = []
            for rule_id, label, forbidden in self.conn.execute(
                    "SELECT r.rule_id, MAX(r.label), MAX(r.forbidden) FROM results r "
                    f"WHERE r.session_id IN ({marks}) "
                    "GROUP BY r.rule_id ORDER BY MAX(r.forbidden), MIN(r.rowid)", scored):
                statuses = [r[0] for r in self.conn.execute(
                    "SELECT r.status FROM results r "
                    f"WHERE r.session_id IN ({marks}) AND r.rule_id = ? ORDER BY r.session_id",
                    (*scored, rule_id))]
                ok = sum(s in ("met", "n/a", "clear") for s in statuses)
                crit.append(CriterionProgress(rule_id, label, bool(forbidden), ok,
                                              len(statuses), statuses[-1]))
            out.append(ScenarioProgress(sid, every[-1][1], len(every), sum(r[3] for r in every),
                                        scores[0], scores[-1], max(scores), every[-1][4],
                                        tuple(crit), sum(not r[5] for r in every)))
        return out
