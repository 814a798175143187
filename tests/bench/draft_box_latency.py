"""Time from asking to seeing a rephrased draft in the window's draft box, with the bundled models:

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/draft_box_latency.py [--rounds 3]

The real window and runner (ui/main_window.py, ui/call_runner.py): the bundled knowledge base and
SmolLM2-135M, in three setups: the tone rules only (the window started with --no-llm), with the
LLM between calls, and with the LLM during the bundled demo call (its written turns played at
speed 2), asked right after the customer's refund question brought its line: the call's own
suggested-line rewording and summary then share the model. Each time is
from the Rephrase click to the result set in the box (the window's `draft_seconds`: the job
thread, the queued result and the widgets' update; the paint follows in the same event-loop
pass). The first rephrasing of a window is printed apart: it pays for first imports and, with
the LLM, its first prompt.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

# (draft, tone): what agents write, with and without facts the knowledge base does not state.
DRAFTS = [
    ("Obviously you should have checked your bill!! The duplicate amount is refunded in full "
     "within 5 business days.", "calm"),
    ("Don't worry, you'll get a full refund within 90 days, I promise!!", "calm"),
    ("Yeah, you can cancel at any time, and after 12 months there's no fee.", "formal"),
    ("um so basically your plan lets you use up to 5 devices at the same time, so your phone "
     "and tablet are both fine.", "brief"),
    ("I can give you 30 percent off for students, it's a special deal.", "formal"),
    ("As I already said, the Travel Day Pass costs 12 dollars per day of use.", "brief"),
]


def _wait(app, until: Callable[[], bool], timeout: float, what: str) -> None:
    end = time.monotonic() + timeout
    while not until():
        if time.monotonic() > end:
            raise TimeoutError(f"waited {timeout:g} s for {what}")
        app.processEvents()
        time.sleep(0.002)


def run(app, name: str, use_llm: bool, in_call: bool, rounds: int) -> None:
    from copilot import paths
    from ui import call_runner as cr
    from ui.call_runner import CallRunner, RunnerOptions
    from ui.main_window import MainWindow

    opts = RunnerOptions(kb_dir="", use_llm=use_llm, store=False)
    window = MainWindow(lambda post: CallRunner(post, opts), pack_label="bench")
    window.resize(1280, 800)
    window.show()
    window.start_services()
    _wait(app, lambda: window.state.phase in (cr.READY, cr.NO_MODEL), 300, "the models")
    if use_llm:
        window.runner.llm.wait_ready(120)
    box = window.assist.draft
    box.set_expanded(True)
    outcomes: Counter[str] = Counter()
    times: list[float] = []
    first = None
    for n in range(rounds):
        if in_call:
            demo = paths.resources() / "calls" / "demo_call.json"
            window.start_call(cr.CallSource(cr.DEMO_SCRIPT, path=str(demo), speed=2.0))
            # Asked when the call keeps the model busy: the refund question has just brought
            # its approved line, which the LLM now rewords, and the summary follows.
            _wait(app, lambda: any(c.event.sources
                                   for c in window.assist.visible_suggestions()),
                  120, "the refund question's line")
        for draft, tone in DRAFTS:
            box.edit.setPlainText(draft)
            box.set_tone(tone)
            box.go.click()
            _wait(app, lambda: window.draft is None and not window.draft_jobs.busy, 120,
                  "the rephrasing")
            seconds = window.draft_seconds[-1]
            r = box.result
            outcomes[r.llm_outcome or "rules only"] += 1
            if first is None:
                first = seconds
                print(f"  first: {seconds:.3f} s ({r.origin}/{r.llm_outcome or '-'})")
                continue
            times.append(seconds)
            if n == 0:
                print(f"  {seconds:6.3f} s {tone:6} {r.origin:5} {r.llm_outcome or '-':9} "
                      f"flagged={[f.text for f in r.unsupported]}")
        if in_call:
            window.stop_call()
            _wait(app, lambda: window.state.phase in (cr.ENDED, cr.FAILED), 120, "the call's end")
    times.sort()
    p90 = times[min(len(times) - 1, int(round(0.9 * (len(times) - 1))))]
    print(f"{name}: n={len(times)} median {statistics.median(times):.3f} s, p90 {p90:.3f} s, "
          f"max {times[-1]:.3f} s, first {first:.3f} s; LLM outcomes {dict(outcomes)}")
    window.close()
    window.deleteLater()
    app.processEvents()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="times each draft is rephrased")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["COPILOT_HOME"] = tempfile.mkdtemp(prefix="draft-bench-")  # no user settings
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    print(f"{os.cpu_count()} CPUs; {len(DRAFTS)} drafts x {args.rounds} rounds per setup")
    for name, use_llm, in_call in (("rules only", False, False),
                                   ("with SmolLM2-135M, between calls", True, False),
                                   ("with SmolLM2-135M, during the demo call", True, True)):
        print(name)
        run(app, name, use_llm, in_call, args.rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
