"""An adversarial probe of copilot.privacy.Redactor (text level): tens of thousands of ways a
caller reads a card, its code and expiry as Whisper writes them, judged by the independent leak
checker. Not part of the app or the suite: the figures behind BENCHMARKS.md's "Cards an
adversarial probe got past the redactor" (the cases that leaked became tests/core/
test_redaction_probe.py). Written by a helper at stop 44.

Run: .venv/bin/python tools/experiments/redaction_probe.py [-v] [filter] [--eye]

Every case is a list of events fed to one Redactor the way copilot/call/session.py does:
final captions via push_final (+ take_amendments), tick every 0.5 s of simulated time, partial
captions via both Redactor().redact(text) (stateless) and the call's redact_partial(channel,
text), flush at the end. The judge is copilot/bench/card_leaks.leaks.

Leak classes reported:
  STORED   - a digit leak in the caption text as finally stored (after all amendments)
  SHOWN    - in a text that was released/shown at some point but later amended away
  PARTIAL  - in a partial caption redacted by Redactor().redact(text) (the brief's contract)
  PARTIAL_S- in a partial caption redacted by the session's redact_partial(channel, text)
  JOINED   - only visible when the stored captions of a channel are joined with " "
  FINALTRUE- in Redactor().redact(text, final=True) of the whole caption (handoff/ask/practice)
"""

from __future__ import annotations

import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

sys.path.insert(0, str(Path(__file__).resolve().parent))

from redaction_cases import (  # noqa: E402  # noqa: E402
    CASES,
    Case,
    gen_corrections_and_rereads,
    gen_growing_partials_split,
    gen_single_caption,
    gen_split,
)
from redaction_cases_more import (  # noqa: E402
    gen_batch2,
    gen_codes_and_expiry,
    gen_false_masks,
    gen_misc_attacks,
)

from copilot.bench.card_leaks import leaks  # noqa: E402
from copilot.privacy import Redactor  # noqa: E402

VERBOSE = "-v" in sys.argv
FILTER = next((a for a in sys.argv[1:] if not a.startswith("-")), None)

# ---------------------------------------------------------------------------------------------
# simulation


@dataclass
class Result:
    case: Case
    stored: dict  # key -> (channel, text)
    shown: list  # (t, what, key, channel, text)
    partials: list  # (t, channel, raw, stateless, session)
    finaltrue: list  # (raw, redacted)
    raw: dict = field(default_factory=dict)  # key -> (channel, raw text)


def simulate(case: Case) -> Result:
    r = Redactor(hold_seconds=case.hold)
    now = [0.0]
    stored: dict = {}
    shown: list = []
    partials: list = []
    finaltrue: list = []
    raw_of: dict = {}

    def emit(what, ch, key, text):
        stored[key] = (ch, text)
        shown.append((now[0], what, key, ch, text))

    def ticks():
        for ch, k, red in r.tick(now[0]):
            emit("release", ch, k, red.text)
        for ch, k, red in r.take_amendments():
            emit("amend", ch, k, red.text)

    def advance(t):
        # session ticks every 0.5 s (TICK_SECONDS)
        step = 0.5
        nxt = (int(now[0] / step) + 1) * step
        while nxt < t:
            now[0] = nxt
            ticks()
            nxt += step
        now[0] = max(now[0], t)
        ticks()

    key = 0
    for ev in case.events:
        kind, t = ev[0], ev[1]
        advance(t)
        if kind == "final":
            ch, text = ev[2], ev[3]
            raw_of[key] = (ch, text)
            for k, red in r.push_final(ch, key, text, now[0]):
                emit("release", ch, k, red.text)
            for ch2, k, red in r.take_amendments():
                emit("amend", ch2, k, red.text)
            finaltrue.append((text, Redactor().redact(text, final=True).text))
            key += 1
        elif kind == "partial":
            ch, text = ev[2], ev[3]
            partials.append((now[0], ch, text, Redactor().redact(text).text,
                             r.redact_partial(ch, text).text))
    advance(now[0] + 30.0)
    for ch, k, red in r.flush():
        emit("release", ch, k, red.text)
    for ch, k, red in r.take_amendments():
        emit("amend", ch, k, red.text)
    missing = set(raw_of) - set(stored)
    assert not missing, (case.name, missing)
    return Result(case, stored, shown, partials, finaltrue, raw_of)


def judge(res: Result) -> dict[str, list]:
    c = res.case
    out: dict[str, list] = defaultdict(list)
    keys = sorted(res.stored)
    stored_texts = [res.stored[k][1] for k in keys]
    for lk in leaks(stored_texts, c.cards, c.secrets):
        out["STORED"].append((lk.kind, lk.of, lk.shown, lk.excerpt))
    stored_set = {(lk[1], lk[2], lk[3]) for lk in out["STORED"]}
    for _t, _what, _k, _ch, text in res.shown:
        for lk in leaks([text], c.cards, c.secrets):
            if (lk.of, lk.shown, lk.excerpt) not in stored_set:
                out["SHOWN"].append((lk.kind, lk.of, lk.shown, lk.excerpt))
    for _t, _ch, _raw, a, b in res.partials:
        for lk in leaks([a], c.cards, c.secrets):
            out["PARTIAL"].append((lk.kind, lk.of, lk.shown, lk.excerpt))
        for lk in leaks([b], c.cards, c.secrets):
            out["PARTIAL_S"].append((lk.kind, lk.of, lk.shown, lk.excerpt))
    if not out["STORED"]:
        by_ch = defaultdict(list)
        for k in keys:
            by_ch[res.stored[k][0]].append(res.stored[k][1])
        for _ch, texts in by_ch.items():
            if len(texts) > 1:
                for lk in leaks([" ".join(texts)], c.cards, c.secrets):
                    out["JOINED"].append((lk.kind, lk.of, lk.shown, lk.excerpt))
    for _raw, red in res.finaltrue:
        for lk in leaks([red], c.cards, c.secrets):
            out["FINALTRUE"].append((lk.kind, lk.of, lk.shown, lk.excerpt))
    # dedupe
    return {k: list(dict.fromkeys(v)) for k, v in out.items() if v}


def main():
    gen_single_caption()
    gen_split()
    gen_growing_partials_split()
    gen_corrections_and_rereads()
    gen_codes_and_expiry()
    gen_false_masks()
    gen_misc_attacks()
    gen_batch2()
    cases = [c for c in CASES if FILTER is None or FILTER in c.name]
    by_class: dict[str, list] = defaultdict(list)
    eyes = []
    for case in cases:
        res = simulate(case)
        j = judge(res)
        for cls, lks in j.items():
            by_class[cls].append((case, res, lks))
        if case.eye:
            eyes.append(res)
    print(f"cases: {len(cases)}")
    order = ["STORED", "SHOWN", "PARTIAL", "PARTIAL_S", "JOINED", "FINALTRUE"]
    for cls in order:
        items = by_class.get(cls, [])
        print(f"\n===== {cls}: {len(items)} cases")
        fam = defaultdict(list)
        for case, res, lks in items:
            fam["/".join(case.name.split("/")[:1])].append((case, res, lks))
        for f, lst in sorted(fam.items()):
            print(f"--- {f}: {len(lst)}")
            for case, res, lks in lst[: (10**6 if VERBOSE else 4)]:
                print(f"  {case.name}")
                for ev in case.events:
                    print(f"      in  {ev}")
                if cls in ("STORED", "SHOWN", "JOINED"):
                    for t, what, k, ch, text in res.shown:
                        print(f"      out t={t:5.1f} {what:7s} #{k} {ch}: {text!r}")
                for lk in lks[:4]:
                    print(f"      LEAK {lk}")
    if "--eye" in sys.argv:
        print("\n===== by eye")
        for res in eyes:
            print(f"  {res.case.name}")
            for k in sorted(res.stored):
                print(f"      {res.raw[k][1]!r:60s} -> {res.stored[k][1]!r}")
            for _t, _ch, raw, a, b in res.partials[-1:]:
                print(f"      partial {raw!r} -> {a!r} | {b!r}")


if __name__ == "__main__":
    main()
