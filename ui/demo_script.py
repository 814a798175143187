"""The bundled demo without any speech model: the demo call's written turns, played as a call.

On a first run nothing may be installed yet, and the agent (or the person evaluating the app)
should still see what the copilot does. The demo call ships with its exact turns (a .json beside
the .wav); they are shown at the pace they were spoken, partial then final, redacted like real
captions, and fed to the same assistance pipeline (knowledge cards, approved lines) when the
knowledge base is loaded. Nothing of it is stored.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from copilot.events import Caption
from copilot.privacy.redaction import Redactor

PARTIAL_SHARE = 0.5  # a partial with the first half of the words, halfway through the turn
FINAL_LAG = 0.4  # seconds after the turn ends that its final shows (like real captions)


class _Clock:
    def __init__(self, speed: float) -> None:
        self.speed = speed
        self.t0 = time.monotonic()
        self.realtime = True

    def now(self) -> float:
        return (time.monotonic() - self.t0) * self.speed


def load_turns(path: str | Path) -> list[dict[str, Any]]:
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
        turns = [t for t in data["turns"] if t.get("text")]
    except FileNotFoundError:
        raise ValueError(f"the demo call's transcript {p} is missing; reinstall the app") from None
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise ValueError(f"the demo call's transcript {p} cannot be read: {e}") from e
    return sorted(turns, key=lambda t: float(t["start"]))


class ScriptedCall:
    """Session-like: `run()` blocks until the script ends or `stop()`; returns finals shown."""

    def __init__(self, path: str | Path, post: Callable[[Any], None], build: Any = None, *,
                 speed: float = 1.0) -> None:
        self.turns = load_turns(path)
        self.post = post
        self.build = build
        self.clock = _Clock(speed)
        self.redactor = Redactor()
        self._stop = threading.Event()
        self.result = None  # nothing stored: no call id for the audit trail

    def stop(self) -> None:
        self._stop.set()

    def set_payment_mode(self, on: bool) -> None:
        pass  # scripted text holds no live payment data; the banner still shows

    def agent_action(self, action: str, passage_ids: list[str], *, of: str = "",
                     text: str = "") -> None:
        pass  # the scripted demo keeps no summary of what the agent used

    def _emit(self, event: Any) -> None:
        self.post(event)

    def _wait_until(self, t: float) -> bool:
        return not self._stop.wait(max(0.0, (t - self.clock.now()) / self.clock.speed))

    def run(self) -> int:
        pipeline = None
        if self.build is not None:
            pipeline = self.build.pipeline(self.clock, self._emit).start()
        shown = 0
        try:
            for i, turn in enumerate(self.turns, 1):
                start, end = float(turn["start"]), float(turn["end"])
                channel, lang = str(turn["speaker"]), str(turn.get("lang") or "en")
                words = str(turn["text"]).split()
                cid = f"d{i}"
                half = start + (end - start) * PARTIAL_SHARE
                if not self._wait_until(half):
                    break
                partial = " ".join(words[: max(1, int(len(words) * PARTIAL_SHARE))])
                self.post(Caption(cid, False, channel, start, half, self.clock.now(), lang,
                                  self.redactor.redact_partial(channel, partial).text))
                if not self._wait_until(end + FINAL_LAG):
                    break
                final = Caption(cid, True, channel, start, end, self.clock.now(), lang,
                                self.redactor.redact(" ".join(words), final=True).text)
                self.post(final)
                shown += 1
                if pipeline is not None:
                    pipeline.on_event(final)
        finally:
            if pipeline is not None:
                pipeline.finish(timeout=30.0)
        return shown
