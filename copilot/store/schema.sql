-- Schema version 1 of the call database (PRAGMA user_version = 1).
-- Applied by copilot/store/db.py inside one transaction; later changes go in new migration steps,
-- never by editing this file, so databases created by older versions can be brought forward.

-- One row per call. Times are wall-clock ISO 8601 in UTC; segment and event times are seconds on
-- the call clock (0 = start of the call audio), as in the event contract.
CREATE TABLE calls (
    id          INTEGER PRIMARY KEY,
    started_at  TEXT    NOT NULL,
    ended_at    TEXT,
    -- 'interrupted' = the app stopped (crash, power loss) while the call was still 'active'.
    status      TEXT    NOT NULL DEFAULT 'active'
                        CHECK (status IN ('active', 'completed', 'interrupted')),
    source      TEXT    NOT NULL DEFAULT '',  -- an audio file path or the capture device names
    title       TEXT    NOT NULL DEFAULT '',
    meta        TEXT    NOT NULL DEFAULT '{}' -- JSON object
);

CREATE INDEX calls_by_status ON calls (status);

-- Final captions only, already redacted by the session (DESIGN Principle 4).
CREATE TABLE segments (
    id          INTEGER PRIMARY KEY,
    call_id     INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    caption_id  TEXT    NOT NULL,
    channel     TEXT    NOT NULL,
    start       REAL    NOT NULL,
    "end"       REAL    NOT NULL,
    lang        TEXT    NOT NULL DEFAULT '',
    text        TEXT    NOT NULL
);

CREATE INDEX segments_by_call ON segments (call_id, start);

-- Everything else worth keeping about a call (translations, suggestions shown, notices...).
CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    call_id     INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    type        TEXT    NOT NULL,
    at          REAL    NOT NULL,
    payload     TEXT    NOT NULL DEFAULT '{}' -- JSON object
);

CREATE INDEX events_by_call ON events (call_id, at);
