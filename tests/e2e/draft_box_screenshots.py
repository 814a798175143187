"""Screenshots of the draft box (README): the real window with the real runner (the bundled
knowledge base, SmolLM2-135M), the bundled demo call's written turns on screen, and a draft
rephrased with a fact the knowledge base does not state, flagged. Light and dark, 150 % font,
1280x800.

    Xvfb :99 -screen 0 1280x800x24 &
    DISPLAY=:99 .venv/bin/python tests/e2e/draft_box_screenshots.py [OUT_DIR]

OUT_DIR defaults to docs/screenshots (rephrase-light.png, rephrase-dark.png). Not a test: run it
by hand and look at the pictures. The status bar names the pack as the agent's window would:
the installed, active pack (and the knowledge folder when it is not the pack's), never a name
written here.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(REPO), str(REPO / "tools")]

DRAFT = ("Honestly, you should have checked your bill!! The duplicate payment is refunded "
         "within 5 business days, and I'll add a 10 dollar credit for the trouble.")
TONE = "calm"
SCALE = 1.5
SIZE = (1280, 800)


def _wait(app, until: Callable[[], bool], timeout: float, what: str) -> None:
    end = time.monotonic() + timeout
    while not until():
        if time.monotonic() > end:
            raise TimeoutError(f"waited {timeout:g} s for {what}")
        app.processEvents()
        time.sleep(0.02)


def open_window(app, look: str, make_runner: Callable[[Any], Any] | None = None):
    """The window as `copilot app` opens it (ui/app.py): the settings in force, and the pack
    label its status bar shows and every action keeps, resolved from the installed, active pack
    (copilot/active_pack.py, through copilot/resolver.py). A label written here would put a
    pack in the README's picture that the app never shows. `make_runner`: the tests' fake."""
    from copilot import resolver, site_policy
    from ui import theme
    from ui.call_runner import CallRunner, RunnerOptions
    from ui.main_window import MainWindow

    colors = theme.apply(app, look, SCALE)
    settings = site_policy.load_settings()
    opts = RunnerOptions(kb_dir="", use_llm=True, store=False)
    window = MainWindow(make_runner or (lambda post: CallRunner(post, opts, settings)),
                        colors=colors, pack_label=resolver.knowledge_label(settings, opts.kb_dir))
    window.resize(*SIZE)
    return window


def shoot(app, look: str, out: Path) -> Path:
    from dialog_screenshots import kept_look

    from copilot import paths
    from ui import call_runner as cr

    with kept_look(app):
        window = open_window(app, look)
        window.show()
        window.start_services()
        _wait(app, lambda: window.state.phase in (cr.READY, cr.NO_MODEL), 300, "the models")
        demo = paths.resources() / "calls" / "demo_call.json"
        window.start_call(cr.CallSource(cr.DEMO_SCRIPT, path=str(demo), speed=2.0))
        # Mid-call, once the refund question has its approved line on screen.
        _wait(app, lambda: any(c.event.sources for c in window.assist.visible_suggestions()),
              120, "a grounded suggested line")
        box = window.assist.draft
        window._focus_draft()
        box.edit.setPlainText(DRAFT)
        box.set_tone(TONE)
        box.go.click()
        _wait(app, lambda: window.draft is None and not window.draft_jobs.busy, 120,
              "the rephrasing")
        for _ in range(10):
            app.processEvents()
            time.sleep(0.05)
        path = out / f"rephrase-{look}.png"
        if not window.grab().save(str(path)):
            raise OSError(f"could not save {path}")
        r = box.result
        print(f"{path}: {r.origin}/{r.llm_outcome or 'no llm'} in "
              f"{window.draft_seconds[-1]:.2f} s: {r.text!r} flagged "
              f"{[f.text for f in r.unsupported]}")
        window.stop_call()
        _wait(app, lambda: window.state.phase in (cr.ENDED, cr.FAILED), 60, "the call's end")
        window.close()
        window.deleteLater()
        app.processEvents()
    return path


def main(argv: list[str]) -> int:
    from PySide6.QtWidgets import QApplication

    out = Path(argv[0]) if argv else REPO / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    for look in ("light", "dark"):
        shoot(app, look, out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
