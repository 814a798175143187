-- Schema version 1 of the practice database (PRAGMA user_version = 1), kept apart from the call
-- database on purpose: practice calls are training, never customer records.
-- Applied by copilot/practice/store.py inside one transaction; later changes go in new steps.

-- One row per practice session. Times are wall-clock ISO 8601 in UTC.
CREATE TABLE sessions (
    id              INTEGER PRIMARY KEY,
    scenario_id     TEXT    NOT NULL,
    scenario_title  TEXT    NOT NULL DEFAULT '',
    started_at      TEXT    NOT NULL,
    ended_at        TEXT    NOT NULL,
    completed       INTEGER NOT NULL,  -- the simulated customer ended the conversation
    score           REAL    NOT NULL,  -- share of criteria met / forbidden moves avoided
    passed          INTEGER NOT NULL,
    facts_correct   INTEGER NOT NULL DEFAULT 0,
    facts_wrong     INTEGER NOT NULL DEFAULT 0,
    median_response REAL,              -- seconds; NULL when not measured
    card            TEXT    NOT NULL DEFAULT '{}'  -- the whole scorecard, JSON, redacted
);

CREATE INDEX sessions_by_scenario ON sessions (scenario_id, started_at);

-- How each criterion and forbidden move went, for progress across sessions.
CREATE TABLE results (
    session_id  INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    rule_id     TEXT    NOT NULL,
    label       TEXT    NOT NULL,
    forbidden   INTEGER NOT NULL,
    status      TEXT    NOT NULL,  -- met | missed | n/a | violated | clear
    turn        INTEGER,
    detail      TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (session_id, rule_id)
);

-- The conversation, redacted: customer and agent lines in order.
CREATE TABLE turns (
    session_id  INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    role        TEXT    NOT NULL CHECK (role IN ('customer', 'agent')),
    text        TEXT    NOT NULL,
    source      TEXT    NOT NULL DEFAULT '',  -- customer lines: opening|reveal|script|llm|closing
    seconds     REAL,                         -- agent lines: response time
    PRIMARY KEY (session_id, seq)
);
