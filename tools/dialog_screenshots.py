"""Render the dialogs to PNG (light and dark, at several text sizes) to look at them.

    .venv/bin/python tools/dialog_screenshots.py [OUT_DIR]   (default /tmp/ui-shots; works offscreen)

The calls shown are the bundled demo call (resources/calls/demo_call.json) put through the real
redaction and summary code, plus two shorter calls, in a throw-away database.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from copilot import paths
from copilot.assist.summary import RunningSummary, after_call_note, choose_disposition
from copilot.events import AfterCallNote, Caption, Summary
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


def fill_demo_store(db: Path, now: datetime | None = None) -> tuple[int, Summary, AfterCallNote]:
    """Three calls; returns the demo call's id, its summary and its AI draft note."""
    now = now or datetime.now(UTC)
    title, captions = demo_captions()
    summary = RunningSummary().update(captions)
    assert summary is not None  # the demo call has a reason to summarise
    code = choose_disposition(captions, [], Settings().assist.disposition_codes)
    draft = AfterCallNote(after_call_note(summary, captions), code, at=captions[-1].end + 1)
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


def render_all(out_dir: Path, variants: tuple[tuple[str, float], ...] = VARIANTS) -> list[Path]:
    """Every dialog (and every settings page) per (theme, font scale); returns the PNGs."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication, QWidget

    from ui import theme
    from ui.dialogs.history import HistoryDialog
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

    with tempfile.TemporaryDirectory() as tmp, kept_look(app):
        db = Path(tmp) / "calls.sqlite3"
        call, summary, draft = fill_demo_store(db)
        for name, scale in variants:
            theme.apply(app, name, scale)
            tag = f"{name}-{round(scale * 100)}"

            wrap = WrapUpDialog(db, call, draft=draft, summary=summary,
                                title="Duplicate charge", codes=Settings().assist.disposition_codes)
            shot(wrap, f"wrap_up-{tag}")
            wrap.jobs.wait()
            wrap.deleteLater()

            hist = HistoryDialog(db)
            hist.jobs.wait()
            app.processEvents()
            hist.jobs.wait()  # the list load queues the detail load
            app.processEvents()
            shot(hist, f"history-{tag}")
            hist.tabs.setCurrentIndex(1)
            shot(hist, f"history_summary-{tag}")
            hist.deleteLater()

            dlg = SettingsDialog(Settings(), None, list_devices=list, apply_appearance=False)
            dlg.jobs.wait()
            app.processEvents()
            for i in range(dlg.tabs.count()):
                dlg.tabs.setCurrentIndex(i)
                shot(dlg, f"settings{i}-{tag}")
            dlg.deleteLater()
            app.processEvents()
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else Path("/tmp/ui-shots")
    for p in render_all(out):
        print(p)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
