"""The supervisor's figures: SQL over the views of copilot/report/source.py (`calls`, `events`,
`checklist`), the same for one desk's store and for a whole site's Parquet files.

Every figure is a Table (name, columns, rows); the HTML, CSV and JSON renderings show the same
tables. Nothing here reads text: the views hold none (copilot/report/schema.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from copilot.report.source import Inputs

Say = Callable[[str], None]

# The window's words for the customer's peak frustration (ui/panels/signal_indicator.py MOODS).
MOODS = ((0.75, "angry"), (0.5, "frustrated"), (0.25, "tense"))
TOP = 10  # passages listed as most used / most dismissed


@dataclass
class Table:
    name: str  # machine name: the CSV section and the JSON key
    title: str
    columns: list[str]
    rows: list[list[Any]]
    note: str = ""  # shown under the title (HTML) and kept in the JSON

    def as_dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, r, strict=True)) for r in self.rows]


@dataclass
class Report:
    scope: str  # "desk" | "site"
    generated_at: datetime
    since: datetime | None
    inputs: Inputs
    tables: dict[str, Table] = field(default_factory=dict)
    seconds: float = 0.0  # time the queries took

    def add(self, table: Table) -> None:
        self.tables[table.name] = table

    def get(self, name: str) -> Table | None:
        return self.tables.get(name)

    def figure(self, name: str) -> Any:
        """One of the overview's figures, by name."""
        overview = self.tables["overview"]
        return next((r[1] for r in overview.rows if r[0] == name), None)


def _mood_sql() -> str:
    cases = " ".join(f"WHEN frustration_max >= {floor} THEN '{word}'" for floor, word in MOODS)
    return f"CASE {cases} ELSE 'calm' END"


# name -> (title, note, SQL). Order is the report's order.
_OVERVIEW = """
SELECT count(*) AS calls,
       count(DISTINCT desk_id) AS desks,
       count(DISTINCT agent) AS agents,
       count(DISTINCT team) AS teams,
       min(day) AS first_day,
       max(day) AS last_day,
       count(DISTINCT day) AS days,
       sum(handle_seconds) / 3600 AS handle_hours,
       avg(handle_seconds) / 60 AS mean_handle_minutes,
       quantile_cont(handle_seconds, 0.5) / 60 AS median_handle_minutes,
       count(*) FILTER (WHERE status = 'interrupted') AS interrupted_calls,
       sum(suggestions_shown) AS suggestions_shown,
       sum(suggestions_copied) AS suggestions_copied,
       sum(suggestions_used) AS suggestions_used,
       sum(suggestions_dismissed) AS suggestions_dismissed,
       sum(suggestions_taken) / nullif(sum(suggestions_shown), 0) AS suggestions_taken_share,
       sum(abstentions) AS abstentions,
       sum(knowledge_shown) AS knowledge_shown,
       sum(knowledge_copied) + sum(knowledge_used) AS knowledge_copied_or_used,
       sum(knowledge_dismissed) AS knowledge_dismissed,
       sum(asks) AS searches_typed,
       count(*) FILTER (WHERE disposition IS NOT NULL) AS calls_with_note,
       count(*) FILTER (WHERE note_saved) AS notes_saved
FROM calls
"""

_PER_DAY = """
SELECT day, count(*) AS calls,
       sum(handle_seconds) / 3600 AS handle_hours,
       avg(handle_seconds) / 60 AS mean_handle_minutes,
       sum(suggestions_shown) AS suggestions_shown,
       sum(suggestions_copied) AS copied,
       sum(suggestions_used) AS used,
       sum(suggestions_dismissed) AS dismissed,
       sum(abstentions) AS abstentions
FROM calls GROUP BY day ORDER BY day
"""

# One day's calls: per hour (a lone bar per day told a supervisor nothing), every hour from the
# first call's to the last's, the quiet ones at zero so that the chart's lines do not bridge them.
_PER_HOUR = """
WITH h AS (SELECT unnest(range(min(hour), max(hour) + 1)) AS hour FROM calls)
SELECT h.hour::TINYINT AS hour, count(c.hour) AS calls,
       coalesce(sum(c.handle_seconds), 0) / 3600 AS handle_hours,
       avg(c.handle_seconds) / 60 AS mean_handle_minutes,
       coalesce(sum(c.suggestions_shown), 0) AS suggestions_shown,
       coalesce(sum(c.suggestions_copied), 0) AS copied,
       coalesce(sum(c.suggestions_used), 0) AS used,
       coalesce(sum(c.suggestions_dismissed), 0) AS dismissed,
       coalesce(sum(c.abstentions), 0) AS abstentions
FROM h LEFT JOIN calls c ON c.hour = h.hour GROUP BY h.hour ORDER BY h.hour
"""
PER_HOUR_NOTE = ("all the calls were on {day}: per hour of the day (the desk's local time of "
                 "each call's start)")

_ASSISTANCE = """
SELECT 'suggested lines' AS what,
       sum(suggestions_shown) AS shown, sum(suggestions_copied) AS copied,
       sum(suggestions_used) AS used, sum(suggestions_dismissed) AS dismissed,
       NULL::BIGINT AS opened,
       sum(suggestions_taken) / nullif(sum(suggestions_shown), 0) AS taken_share,
       sum(abstentions) AS abstentions
FROM calls
UNION ALL
SELECT 'knowledge cards', sum(knowledge_shown), sum(knowledge_copied), sum(knowledge_used),
       sum(knowledge_dismissed), sum(knowledge_opened), NULL, NULL
FROM calls
"""

# "shown" is lines shown in every table (each once per call); an abstention is no line and is
# counted apart, as in the key figures (a walk-through read "shown" two ways).
_ORIGINS = """
SELECT coalesce(origin, '(unknown)') AS origin,
       count(*) FILTER (WHERE action = 'shown') AS shown,
       count(*) FILTER (WHERE action = 'abstained') AS abstentions,
       count(*) FILTER (WHERE action = 'copied') AS copied,
       count(*) FILTER (WHERE action = 'used') AS used,
       count(*) FILTER (WHERE action = 'dismissed') AS dismissed,
       count(*) FILTER (WHERE action IN ('shown', 'abstained') AND trigger = 'ask')
           AS for_searches
FROM events WHERE kind = 'suggestion' AND action <> 'updated'
GROUP BY ALL ORDER BY shown + abstentions DESC, origin
"""

_PASSAGES = """
WITH p AS (
    SELECT unnest(passages) AS passage, kind, action, passage_title
    FROM events WHERE action <> 'updated' AND len(passages) > 0)
SELECT passage, max(passage_title) AS title,
       count(*) FILTER (WHERE kind = 'knowledge' AND action = 'shown') AS cards_shown,
       count(*) FILTER (WHERE kind = 'suggestion' AND action = 'shown') AS lines_shown,
       count(*) FILTER (WHERE action IN ('copied', 'used')) AS copied_or_used,
       count(*) FILTER (WHERE action = 'dismissed') AS dismissed,
       count(*) FILTER (WHERE action = 'opened') AS opened
FROM p GROUP BY passage
"""

_SIGNALS = f"""
WITH c AS (SELECT {_mood_sql()} AS mood, escalation_signals, offer_escalation FROM calls),
n AS (SELECT count(*) AS total FROM calls)
SELECT 'peak: ' || mood AS signal, count(*) AS calls, count(*) / any_value(n.total) AS share
FROM c, n GROUP BY mood
UNION ALL
SELECT 'asked to escalate', count(*) FILTER (WHERE escalation_signals > 0),
       count(*) FILTER (WHERE escalation_signals > 0) / nullif(any_value(n.total), 0) FROM c, n
UNION ALL
SELECT 'escalation offer suggested', count(*) FILTER (WHERE offer_escalation),
       count(*) FILTER (WHERE offer_escalation) / nullif(any_value(n.total), 0) FROM c, n
"""

# Only a disposition the agent saved is an outcome: an unsaved note's is the AI draft's guess,
# counted in one row of its own (a walk-through read the guesses as what agents chose).
NO_NOTE, NOT_SAVED, NONE_CHOSEN = "(no note)", "(not saved by the agent)", "(saved, none chosen)"
_DISPOSITIONS = f"""
SELECT CASE WHEN note_saved THEN coalesce(disposition, '{NONE_CHOSEN}')
            WHEN disposition IS NULL THEN '{NO_NOTE}'
            ELSE '{NOT_SAVED}' END AS disposition,
       count(*) AS calls,
       count(*) / sum(count(*)) OVER () AS share,
       count(*) FILTER (WHERE note_edited) AS edited,
       avg(handle_seconds) / 60 AS mean_handle_minutes
FROM calls GROUP BY ALL ORDER BY calls DESC, disposition
"""

_BREAKDOWN = """
SELECT {keys}, count(DISTINCT desk_id) AS desks, count(*) AS calls,
       sum(handle_seconds) / 3600 AS handle_hours,
       avg(handle_seconds) / 60 AS mean_handle_minutes,
       sum(suggestions_shown) AS suggestions_shown,
       sum(suggestions_taken) / nullif(sum(suggestions_shown), 0) AS taken_share,
       sum(suggestions_dismissed) AS dismissed,
       sum(abstentions) AS abstentions,
       sum(knowledge_shown) AS cards_shown
FROM calls {where} GROUP BY ALL ORDER BY {order}
"""

# An item in its checklist's words (a walk-through read ids like "verify-identity"), as the
# newest call recorded them (a checklist reworded since), else its id; the id beside it. The
# checklist by its title likewise, and its items in the checklist's own order (the newest
# call's), not by id: "Greet", "Verify", ... as the agent sees them in the window.
_CHECKLISTS = """
WITH titles AS (
    SELECT checklist, arg_max(checklist_title, started_at)
                          FILTER (WHERE checklist_title IS NOT NULL) AS title
    FROM checklist GROUP BY checklist),
items AS (
    SELECT checklist,
           coalesce(arg_max(item_text, started_at) FILTER (WHERE item_text IS NOT NULL), item)
               AS item_text,
           item AS item_id,
           arg_max(item_place, started_at) FILTER (WHERE item_place IS NOT NULL) AS place,
           bool_or(required) AS required, count(*) AS calls,
           count(*) FILTER (WHERE done) AS done,
           avg(done::INTEGER) AS done_share,
           count(*) FILTER (WHERE out_of_order) AS out_of_order
    FROM checklist GROUP BY checklist, item)
SELECT coalesce(t.title, i.checklist) AS checklist, item_text, item_id, required, calls, done,
       done_share, out_of_order
FROM items i LEFT JOIN titles t USING (checklist)
ORDER BY i.checklist, place NULLS LAST, item_id
"""

CHECKLIST_NOTE = ("No call in this period had a live checklist (docs/checklists.md): this "
                  "table and the calls' checklist_items / checklist_done columns stay empty.")


def _query(con: Any, sql: str) -> tuple[list[str], list[list[Any]]]:
    cur = con.execute(sql)
    columns = [d[0] for d in cur.description]
    return columns, [list(r) for r in cur.fetchall()]


def build(con: Any, inputs: Inputs, *, scope: str, since: datetime | None = None,
          say: Say | None = None) -> Report:
    """Every figure of the report, from the views on `con`."""
    started = time.perf_counter()
    report = Report(scope=scope, generated_at=datetime.now(UTC), since=since, inputs=inputs)
    steps: list[tuple[str, Callable[[], None]]] = []

    def step(title: str) -> Callable[[Callable[[], None]], Callable[[], None]]:
        def add(fn: Callable[[], None]) -> Callable[[], None]:
            steps.append((title, fn))
            return fn
        return add

    @step("key figures")
    def _overview() -> None:
        cols, rows = _query(con, _OVERVIEW)
        report.add(Table("overview", "Key figures", ["figure", "value"],
                         [[c, v] for c, v in zip(cols, rows[0], strict=True)]))

    @step("calls per day")
    def _per_day() -> None:
        if report.figure("days") == 1:
            cols, rows = _query(con, _PER_HOUR)
            report.add(Table("per_hour", "Calls and handle time per hour", cols, rows,
                             PER_HOUR_NOTE.format(day=report.figure("first_day"))))
            return
        cols, rows = _query(con, _PER_DAY)
        report.add(Table("per_day", "Calls and handle time per day", cols, rows))

    @step("suggestions and knowledge cards")
    def _assistance() -> None:
        cols, rows = _query(con, _ASSISTANCE)
        report.add(Table("assistance", "Suggestions and knowledge cards", cols, rows,
                         "shown: each line and each passage's card once per call, however "
                         "often it was offered; taken: lines the agent copied or marked used, "
                         "of the lines shown; an abstention is the copilot saying it is not "
                         "sure instead of a line (one per question)"))
        cols, rows = _query(con, _ORIGINS)
        report.add(Table("origins", "Suggested lines by origin", cols, rows,
                         "approved_line: an approved line as written; adapted: with a passage's "
                         "sentence; reworded: by the LLM, verified; abstain: not sure, no line "
                         "(its abstentions are not lines shown); for searches: the lines shown "
                         "and abstentions that answered the agent's typed searches"))

    @step("passages")
    def _passages() -> None:
        cols, rows = _query(con, _PASSAGES)
        used = sorted((r for r in rows if r[4]), key=lambda r: (-r[4], r[0]))[:TOP]
        dismissed = sorted((r for r in rows if r[5]), key=lambda r: (-r[5], r[0]))[:TOP]
        report.add(Table("passages_used", "Knowledge passages most used", cols, used,
                         "copied or marked used, as a card or as the source of a line"))
        report.add(Table("passages_dismissed", "Knowledge passages most dismissed", cols,
                         dismissed))

    @step("customer signals")
    def _signals() -> None:
        cols, rows = _query(con, _SIGNALS)
        order = {f"peak: {w}": i for i, w in enumerate(["calm", *[w for _, w in MOODS][::-1]])}
        rows.sort(key=lambda r: order.get(r[0], len(order)))
        report.add(Table("signals", "Customer signals", cols, rows,
                         "calls by the customer's peak frustration (read from the words, never "
                         "the voice); customer signals only, nothing scores the agent"))

    @step("dispositions")
    def _dispositions() -> None:
        cols, rows = _query(con, _DISPOSITIONS)
        report.add(Table("dispositions", "Dispositions", cols, rows,
                         "the disposition the agent saved with each call's after-call note "
                         "in the wrap-up; a note not saved is counted apart, its AI draft's "
                         "guess never as an outcome; edited: changed from the AI draft"))

    @step("breakdowns")
    def _breakdowns() -> None:
        overview = report.tables["overview"]
        counts = {r[0]: r[1] for r in overview.rows}
        if counts.get("teams"):
            cols, rows = _query(con, _BREAKDOWN.format(
                keys="coalesce(team, '(no team)') AS team", where="", order="team"))
            report.add(Table("per_team", "Per team", cols, rows))
        if counts.get("agents"):
            cols, rows = _query(con, _BREAKDOWN.format(
                keys="coalesce(team, '(no team)') AS team, coalesce(agent, '(no agent)') AS agent",
                where="", order="team, agent"))
            report.add(Table("per_agent", "Per agent", cols, rows,
                             "the agent and team labels the desks were exported with"))
        if (counts.get("desks") or 0) > 1:
            cols, rows = _query(con, _BREAKDOWN.format(keys="desk_id", where="",
                                                       order="desk_id"))
            report.add(Table("per_desk", "Per desk", cols, rows))

    @step("checklists")
    def _checklists() -> None:
        cols, rows = _query(con, _CHECKLISTS)
        report.add(Table("checklists", "Checklists", cols, rows,
                         "out of order: done before the item it must follow, or without it"
                         if rows else CHECKLIST_NOTE))

    for i, (title, fn) in enumerate(steps, 1):
        t = time.perf_counter()
        fn()
        if say is not None:
            say(f"{i}/{len(steps)} {title} ({time.perf_counter() - t:.1f} s)")
    report.seconds = time.perf_counter() - started
    return report
