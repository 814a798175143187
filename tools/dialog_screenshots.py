"""Render the dialogs to PNG (light and dark, at several text sizes) to look at them.

    .venv/bin/python tools/dialog_screenshots.py [OUT_DIR] [--screen 1366x768]
        (default /tmp/ui-shots; works offscreen. --screen: the offscreen screen's size, in device
        pixels, so that dialogs open as they would on that screen; QT_SCALE_FACTOR=1.5 for
        150 %. Without it, Qt's offscreen screen is 800x600.)

The calls shown are the bundled demo call (resources/calls/demo_call.json) put through the real
redaction and summary code, plus two shorter calls, in a throw-away database. The handoff note
(Transfer / escalate) is the demo call's, handed to the billing team at 49.5 s. The Reports view
reads another throw-away database: two weeks of a desk's calls with the events the report counts
(fill_report_desk; no caption is needed, the report reads none).
"""

from __future__ import annotations

import functools
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from copilot import paths
from copilot.assist.after_call import after_call_note
from copilot.assist.handoff import HandoffTracker
from copilot.assist.signals import SignalTracker
from copilot.assist.summary import RunningSummary, choose_disposition
from copilot.assist.summary_steps import Used
from copilot.events import AfterCallNote, Caption, Handoff, Summary
from copilot.privacy.redaction import Redactor
from copilot.settings import Settings
from copilot.store.db import CallStore
from copilot.store.rows import INTERRUPTED

VARIANTS = (("light", 1.0), ("dark", 1.0), ("light", 1.5), ("dark", 2.0))


def demo_captions() -> tuple[str, list[Caption]]:
    """The demo call's turns as final captions, redacted the way a live session does it."""
    doc = json.loads((paths.resources() / "calls" / "demo_call.json").read_text("utf-8"))
    turns = doc["turns"]
    redactor = Redactor()
    safe: dict[int, str] = {}
    for i, t in enumerate(turns):
        for key, red in redactor.push_final(t["speaker"], i, t["text"], t["end"]):
            safe[int(key)] = red.text  # type: ignore[call-overload]
    for _channel, key, red in redactor.flush():
        safe[int(key)] = red.text  # type: ignore[call-overload]
    captions = [Caption(id=f"c{i}", final=True, channel=t["speaker"], start=t["start"],
                        end=t["end"], at=t["end"] + 0.6, lang=t["lang"], text=safe[i])
                for i, t in enumerate(turns)]
    return str(doc.get("title", "Demo call")), captions


# The approved line of the sample knowledge base's BILL-01, which the agent used in the demo call.
BILL_LINE = ("I've filed a billing correction for the duplicate charge; the full amount will be "
             "back on your original payment method within 5 business days, and you'll get a "
             "confirmation email today.")


def demo_handoff(at: float = 49.5) -> Handoff:
    """The demo call handed to the billing team at `at`: the real running summary and customer
    signals of the turns said by then, after the agent used BILL-01's approved line."""
    _title, captions = demo_captions()
    said = [c for c in captions if c.end <= at]
    asked = next(c for c in said if "money back" in c.text)
    used = [Used(asked.id, BILL_LINE, at - 2.0)]
    summary = RunningSummary().update(said, [("BILL-01", "Duplicate or double charges")],
                                      at=at, used=used)
    tracker = HandoffTracker()
    signals = SignalTracker()
    for c in said:
        for signal in signals.feed(c):
            tracker.feed(signal)
    tracker.feed(summary)
    tracker.line_used(BILL_LINE)
    return tracker.note("Billing team", at)


def fill_demo_store(db: Path, now: datetime | None = None) -> tuple[int, Summary, AfterCallNote]:
    """Three calls; returns the demo call's id, its summary and its AI draft note."""
    now = now or datetime.now(UTC)
    title, captions = demo_captions()
    summary = RunningSummary().update(captions)
    assert summary is not None  # the demo call has a reason to summarise
    code = choose_disposition(captions, [], Settings().assist.disposition_codes)
    draft = AfterCallNote(after_call_note(summary), code, at=captions[-1].end + 1)
    with CallStore(db) as store:
        older = store.start_call("device-limit.wav", title="How many devices on one plan",
                                 started_at=now - timedelta(days=3, hours=2))
        for n, (ch, text) in enumerate([
                ("agent", "Northwind Mobile, this is Alex."),
                ("customer", "How many phones can I add to the family plan?")]):
            store.add_segment(older, Caption(f"c{n}", True, ch, n * 4.0, n * 4.0 + 3, n * 4.0 + 3.5,
                                             "en", text))
        store.end_call(older, INTERRUPTED)
        short = store.start_call("headset", title="",
                                 started_at=now - timedelta(days=1, minutes=20))
        store.add_segment(short, Caption("c0", True, "customer", 0.4, 3.2, 3.8, "fr",
                                         "Bonjour, je voudrais résilier mon abonnement."))
        store.add_event(short, "translation", 4.0, {"of": "c0", "lang": "en",
                                                    "text": "Hello, I would like to cancel my plan."})
        store.end_call(short)
        call = store.start_call("demo_call.wav", title=title, started_at=now - timedelta(minutes=5))
        for cap in captions:
            store.add_segment(call, cap)
        store.add_event(call, "summary", summary.at, summary.to_dict())
        store.add_event(call, "after_call", draft.at, draft.to_dict())
        store.end_call(call)
        # end_call stamps the current time; give the demo calls their real lengths.
        for call_id, seconds in ((older, 8), (short, 4), (call, captions[-1].end)):
            row = store.get_call(call_id)
            assert row is not None
            ended = datetime.fromisoformat(row.started_at) + timedelta(seconds=seconds)
            store.conn.execute("UPDATE calls SET ended_at = ? WHERE id = ?",
                               (ended.isoformat(timespec="milliseconds"), call_id))
    return call, summary, draft


# The sample knowledge base's passages a desk's cards and lines cite (resources/kb/northwind).
REPORT_PASSAGES = (("BILL-01", "Duplicate or double charges"), ("BILL-02", "Late payment fees"),
                   ("BILL-07", "Disputing a charge"), ("CAN-01", "Cancellation and early "
                   "termination"), ("DEV-01", "Number of devices per plan"),
                   ("DEV-06", "Lost or stolen phone"), ("ACCT-01", "Resetting the account PIN"),
                   ("BILL-05", "Autopay discount"))
# The bundled checklist's items (resources/checklists/northwind_support.toml): (id, required,
# how often an agent does it); the retention offer applies to cancellations only.
REPORT_ITEMS = (("recorded-line", True, 0.93), ("agent-name", False, 0.8),
                ("verify-identity", True, 0.97), ("account-details", False, 0.6),
                ("retention-offer", True, 0.75), ("anything-else", True, 0.85))


def fill_report_desk(db: Path, now: datetime | None = None, days: int = 14,
                     seed: int = 16) -> int:
    """A desk's last `days` days of calls for the Reports view: cards, lines (some abstentions),
    the agent's copies, uses and dismissals, customer signals, notes with dispositions and the
    live checklist's state at hang-up. Seeded: the same calls every time. Returns the count."""
    now = now or datetime.now(UTC)
    rnd = random.Random(seed)
    codes = Settings().assist.disposition_codes
    # A support desk's usual mix (a code not named here: rare).
    mix = {"resolved": 30, "refund_issued": 14, "escalated": 5, "callback_scheduled": 6,
           "information_given": 22, "transferred": 5, "cancelled": 6, "other": 4}
    weights = [mix.get(code, 1) for code in codes]
    count = 0
    with CallStore(db) as store:
        for back in range(days, -1, -1):
            day = (now - timedelta(days=back)).replace(hour=9, minute=0, second=0,
                                                       microsecond=0)
            if day.weekday() >= 5 or day > now:
                continue  # the desk is closed at weekends
            for _ in range(rnd.randint(3, 9)):
                started = day + timedelta(minutes=rnd.randint(0, 8 * 60))
                if started > now:
                    continue
                _report_call(store, rnd, started, rnd.choices(codes, weights)[0])
                count += 1
    return count


@functools.cache  # the same checklist for every call of the desk
def _checklist_items() -> dict[str, Any]:
    """The bundled checklist's `items` event, from the tracker that writes it in a call."""
    from copilot.assist.checklist import load_checklists
    from copilot.assist.checklist.tracker import Checklists

    (checklist,) = load_checklists(paths.sample_checklists() / "northwind_support.toml")
    (event,) = Checklists([checklist], None).call().start(0.0)
    return event.to_dict()


def _report_call(store: CallStore, rnd: random.Random, started: datetime, code: str) -> None:
    cid = store.start_call("headset", title="", started_at=started)
    add = store.add_event
    at = 5.0
    for q in range(1, rnd.randint(2, 4)):
        of = f"c{q * 2}"
        cards = rnd.sample(REPORT_PASSAGES, rnd.choice((1, 1, 2)))
        add(cid, "knowledge", at, {"type": "knowledge", "of": of, "at": at, "passages": [
            {"id": i, "title": t, "confident": n == 0} for n, (i, t) in enumerate(cards)]})
        if rnd.random() < 0.12:
            add(cid, "suggestion", at, {"type": "suggestion", "of": of, "rank": 1,
                                        "origin": "abstain", "sources": [], "grounded": False})
        else:
            origin = rnd.choices(("approved_line", "adapted", "reworded"), (6, 2, 1))[0]
            line = {"of": of, "rank": 1, "origin": origin, "sources": [cards[0][0]],
                    "grounded": True, "pack": "northwind-demo@1"}
            add(cid, "suggestion", at, {"type": "suggestion", **line})
            for action, p in (("copied", 0.35), ("used", 0.3), ("dismissed", 0.12)):
                if rnd.random() < p:
                    add(cid, "suggestion_action", at + 3, {**line, "action": action})
        for i, t in cards:
            for action, p in (("opened", 0.15), ("copied", 0.1), ("dismissed", 0.08)):
                if rnd.random() < p:
                    add(cid, "knowledge_action", at + 4, {"of": of, "passage": i, "title": t,
                                                          "action": action})
        at += rnd.uniform(40, 120)
    if rnd.random() < 0.45:
        add(cid, "signal", at, {"type": "signal", "kind": "frustration",
                                "level": round(rnd.uniform(0.2, 0.95), 2), "at": at})
    if rnd.random() < 0.07:
        add(cid, "signal", at + 1, {"type": "signal", "kind": "escalation", "level": 0.9,
                                    "at": at + 1})
    # The checklist laid out as the call began, as the window records it: the report names
    # each item in these words.
    add(cid, "checklist", 0.0, _checklist_items())
    items = [{"id": i, "required": req, "applies": i != "retention-offer" or code == "cancelled",
              "done": rnd.random() < p, "by": "copilot", "at": 10.0}
             for i, req, p in REPORT_ITEMS]
    for it in items:  # the account discussed before the caller was verified, now and then
        if it["id"] == "account-details" and it["done"] and rnd.random() < 0.15:
            it["out_of_order"] = True
    add(cid, "checklist", at + 2, {"type": "checklist", "kind": "end",
                                   "checklist": "northwind-support", "items": items,
                                   "open": [it["id"] for it in items if it["required"]
                                            and it["applies"] and not it["done"]]})
    add(cid, "after_call", at + 5, {"type": "after_call", "disposition": code, "at": at + 5,
                                    "saved": rnd.random() < 0.85,
                                    "edited": rnd.random() < 0.3})
    store.end_call(cid)
    ended = started + timedelta(seconds=at + rnd.uniform(30, 90))
    store.conn.execute("UPDATE calls SET ended_at = ? WHERE id = ?",
                       (ended.isoformat(timespec="milliseconds"), cid))


@contextmanager
def kept_look(app: Any) -> Iterator[None]:
    """Restore the application's palette, style sheet, font and theme name afterwards
    (rendering variants inside a running app, or a test, must not leave it restyled)."""
    saved = (app.palette(), app.styleSheet(), app.font(), app.property("copilot_colors"))
    style = app.style().name()
    try:
        yield
    finally:
        palette, sheet, font, colors = saved
        app.setStyle(style)
        app.setPalette(palette)
        app.setStyleSheet(sheet)
        app.setFont(font)
        app.setProperty("copilot_colors", colors)


@contextmanager
def data_home(folder: Path) -> Iterator[None]:
    """COPILOT_HOME set to `folder` for a while, then as it was."""
    saved = os.environ.get("COPILOT_HOME")
    os.environ["COPILOT_HOME"] = str(folder)
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("COPILOT_HOME", None)
        else:
            os.environ["COPILOT_HOME"] = saved


def render_all(out_dir: Path, variants: tuple[tuple[str, float], ...] = VARIANTS) -> list[Path]:
    """Every dialog (and every settings page) per (theme, font scale); returns the PNGs."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication, QWidget

    from ui import theme
    from ui.dialogs.handoff import HandoffDialog
    from ui.dialogs.history import HistoryDialog
    from ui.dialogs.reports import ReportsDialog
    from ui.dialogs.settings_dialog import SettingsDialog
    from ui.dialogs.wrap_up import WrapUpDialog

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def shot(widget: QWidget, name: str) -> None:
        widget.show()
        for _ in range(5):
            app.processEvents()
        path = out_dir / f"{name}.png"
        widget.grab().save(str(path))
        written.append(path)

    with tempfile.TemporaryDirectory() as tmp, kept_look(app), data_home(Path(tmp) / "home"):
        db = Path(tmp) / "calls.sqlite3"
        call, summary, draft = fill_demo_store(db)
        # The desk's own database (the report's first line says "this desk's call database",
        # not a temporary file's name), in the throw-away data folder.
        report_db = paths.database_path()
        fill_report_desk(report_db)
        for name, scale in variants:
            theme.apply(app, name, scale)
            tag = f"{name}-{round(scale * 100)}"

            wrap = WrapUpDialog(db, call, draft=draft, summary=summary,
                                title="Duplicate charge", codes=Settings().assist.disposition_codes)
            shot(wrap, f"wrap_up-{tag}")
            wrap.jobs.wait()
            wrap.deleteLater()

            handoff = HandoffDialog(demo_handoff(),
                                    destinations=Settings().handoff.destinations,
                                    refresh=lambda _d: demo_handoff())
            shot(handoff, f"handoff-{tag}")
            handoff.deleteLater()

            hist = HistoryDialog(db)
            # The list, then the newest call's detail: each a job whose answer comes back as
            # a queued callback (two waits were sometimes one answer short: an empty list).
            deadline = time.monotonic() + 30
            while hist.detail is None and not hist.status.text():
                if time.monotonic() > deadline:
                    raise TimeoutError("the history never showed the demo call")
                hist.jobs.wait()
                app.processEvents()
            shot(hist, f"history-{tag}")
            hist.tabs.setCurrentIndex(1)
            shot(hist, f"history_summary-{tag}")
            hist.deleteLater()

            reports = ReportsDialog(report_db, days=30)
            while reports.report is None and reports.error is None:
                reports.jobs.wait()  # the report, then its callback on this thread
                app.processEvents()
            shot(reports, f"reports-{tag}")
            for index in range(1, reports.tabs.count()):  # Checklists, Suggestions, ...
                reports.tabs.setCurrentIndex(index)
                name = reports.tabs.tabText(index).replace("&", "").lower().replace(" ", "_")
                shot(reports, f"reports_{name}-{tag}")
            reports.deleteLater()

            dlg = SettingsDialog(Settings(), None, list_devices=list, apply_appearance=False)
            dlg.jobs.wait()
            app.processEvents()
            for i in range(dlg.tabs.count()):
                dlg.tabs.setCurrentIndex(i)
                shot(dlg, f"settings{i}-{tag}")
            dlg.deleteLater()
            app.processEvents()
    return written


def offscreen_screen(size: str, folder: Path) -> None:
    """Qt's offscreen platform with one screen of `size` ("1366x768", device pixels), for the
    QApplication still to be made (its configuration file goes in `folder`)."""
    width, height = (int(n) for n in size.lower().split("x"))
    config = folder / "offscreen-screen.json"
    config.write_text(json.dumps({"screens": [{
        "name": f"screen-{size}", "x": 0, "y": 0, "width": width, "height": height,
        "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}), encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if "--screen" in args:
        i = args.index("--screen")
        size = args[i + 1]
        del args[i:i + 2]
        offscreen_screen(size, Path(tempfile.mkdtemp(prefix="ui-shots-")))
    out = Path(args[0]) if args else Path("/tmp/ui-shots")
    for p in render_all(out):
        print(p)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
