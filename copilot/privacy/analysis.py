"""What one text holds to mask (copilot/privacy/redaction.py keeps the state across captions):
each digit run judged with the cues before it (copilot/privacy/cues.py, copilot/text/run_kinds.py),
the expiry dates and letter-glued digits around a card, and what the text's end leaves open (a
number still being read, a cue still waiting for its number)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from copilot.privacy.cues import (
    CUE_REACH,
    DIGITS_AND_LETTER,
    READ_OUT,
    Cue,
    expiry_masks,
    find_cues,
    reach_of,
)
from copilot.privacy.homophones import with_homophones
from copilot.text.run_kinds import (
    Mask,
    classify_run,
    could_begin_card,
    homophone_lead,
    luhn_ok,
    says_last_four,
    typed_phone_or_date,
)
from copilot.text.spoken_numbers import Run, find_runs, is_amount

__all__ = ["Analysis", "analyze"]


@dataclass
class Analysis:
    masks: list[Mask]
    tail: Run | None  # the run the text ends with (only fillers/punctuation after it)
    tail_cues: frozenset[str]  # sensitive cue kinds that apply to the tail run
    tail_amount: bool  # the tail run is a sum of money ("$49.99"): nothing to wait for
    dangling: set[str]  # cue kinds with no number after them yet ({"other"}: asked for another)
    consumed_virtual: set[int]  # offsets of remembered cues that masked something
    card: bool = False  # a card number or a card cue is in the text
    runs: tuple[tuple[int, int], ...] = ()  # every digit run's (start, end) in the text
    run_digits: tuple[str, ...] = ()  # and its digits, in the same order

    def virtual_consumed(self, offset: int) -> bool:
        return offset in self.consumed_virtual


def analyze(
    text: str, *, conservative: bool, virtual: Sequence[tuple[int, frozenset[str]]] = (),
    card_context: bool = False, partial: bool = False, other_asked: bool = False,
) -> Analysis:
    """Masks for `text`. `card_context`: a card was read in this call recently (see
    redaction._CARD_CONTEXT_SECONDS), so a bare "code" is a security code and "expires ..." a
    card's.
    `partial`: a caption still being spoken, whose last number may be the start of a card.
    `other_asked`: another kind of number was asked for lately ("and your account number?"), so
    a number read out without a name is that one."""
    found = find_cues(text)
    real = [c for c in found if c.kind != "code"]
    runs, words = with_homophones(text, *find_runs(text, [(c.start, c.end) for c in found]))
    card_here = card_context or any(c.kind in ("card", "security_code") for c in real) or any(
        len(r.digits) >= 12 for r in runs)
    if card_here:
        real = sorted(real + [Cue("security_code", c.start, c.end) for c in found
                              if c.kind == "code"], key=lambda c: c.end)
    cues = sorted(
        real + [Cue(k, off, off, True) for off, kinds in virtual for k in sorted(kinds)],
        key=lambda c: c.end,
    )
    word_starts = [w.start for w in words]
    cue_ends = [c.end for c in cues]

    def reach(a: int, b: int) -> int:
        return bisect.bisect_left(word_starts, b) - bisect.bisect_left(word_starts, a)

    used: set[int] = set()
    masks: list[Mask] = []
    named: set[int] = set()  # runs a cue names as another kind of number, or sums of money
    tail_cues: frozenset[str] = frozenset()
    tail_amount = False
    for run in runs:
        # Cues before this run, nearest first, up to the nearest "other" cue (which shadows).
        near: list[tuple[int, str]] = []
        other = is_amount(text, run)  # "$49.99", "1,249 dollars": never a card or a code
        last = -1 if other else bisect.bisect_right(cue_ends, run.start) - 1
        for i in range(last, -1, -1):
            c = cues[i]
            if i in used:
                continue
            far = reach(c.end, run.start)
            if far > reach_of(c.kind) or (far > CUE_REACH and len(run.digits) > 4):
                break
            if c.kind == "other":
                other = not near
                break
            near.append((i, c.kind))
        found = classify_run(
            text,
            run.atoms,
            near,
            conservative=conservative,
            at_start=run.at_start,
            other_cue=other,
        )
        # "read it for 012": the "for" may be the card's first digit (see homophone_lead).
        lead = homophone_lead(text, run.start) if not found and not other else None
        digits = (lead[0] if lead else "") + run.digits
        if not found and not other and len(digits) >= 4 and not is_amount(text, run) \
                and not says_last_four(text, run.start) and (
                    card_context or _card_before(text, masks, run.start)
                    or _maybe_card_unnamed(text, run, digits, partial, other_asked)):
            # Right after a card (a correction, a re-read, its code without a cue: "no wait,
            # that's 5105 ..."), any number of 4+ digits is taken for more of it.
            spans = tuple((a.start, a.end) for a in run.atoms)
            found = [Mask("card", (((lead[1], run.start),) if lead else ()) + spans)]
        if other:
            named.add(run.start)
        used.update(m.cue for m in found if m.cue is not None)
        masks.extend(found)
        if run.at_end:
            tail_cues = frozenset(kind for _, kind in near)
            tail_amount = is_amount(text, run)
    masks.extend(_code_named_after(text, runs, masks, real))
    masks.extend(_spread_card(text, [r for r in runs if r.start not in named], masks, reach,
                              other_asked=other_asked))
    # Cues still waiting for their number at the end of the text. A later "other" cue
    # ("...or do you want the account number?") cancels the earlier ones.
    last_digit = runs[-1].end if runs else -1
    # An everyday noun ("Northwind Mobile, how can I help?") cancels them too, but is not
    # itself a question waiting for its number (cues._EVERYDAY_KINDS), unless the caption ends
    # on it and may have been cut mid-phrase ("My account" | "number is ...").
    waiting = [c for c in real
               if c.start > last_digit and reach(c.end, len(text)) <= reach_of(c.kind)]
    others = [c for c in waiting if c.kind == "other"]
    dangling = {c.kind for c in waiting if not others or c.start > others[-1].start}
    if not dangling and others and (others[-1].waits or reach(others[-1].end, len(text)) == 0):
        dangling = {"other"}
    consumed = {cues[i].start for i in used if cues[i].virtual}
    tail = runs[-1] if runs and runs[-1].at_end else None
    if card_here:
        masks.extend(expiry_masks(text))
    # Digits the recognizer ran into a letter ("No wait, that's 0510 510L"): not a number to
    # the run finder, but more of the card to a reader.
    masks.extend(Mask("card", ((m.start(), m.end()),))
                 for m in DIGITS_AND_LETTER.finditer(text)
                 if m.group(2).lower() not in ("st", "nd", "rd", "th")
                 and (card_context or _card_before(text, masks, m.start())))
    return Analysis(masks, tail, tail_cues, tail_amount, dangling, consumed,
                    any(m.kind == "card" for m in masks) or any(c.kind == "card" for c in real),
                    tuple((r.start, r.end) for r in runs), tuple(r.digits for r in runs))


# Digits shown in a final caption of a number read out with no kind named ("let me read it
# ..."): more than this and it may be most of a card whose first digits the recognizer lost
# ("four oh one two" heard as "for all one two" and the rest as one run, 11 digits of a Visa).
# An account or order number read out this way is masked too unless a cue names it (the
# agent's "and your account number?" does): a hidden number costs a re-read, a shown card more.
_READ_OUT_FINAL_DIGITS = 8


def _maybe_card_unnamed(text: str, run: Run, digits: str, partial: bool,
                        other_asked: bool) -> bool:
    """Whether a number that no cue names may be (part of) a card, to be masked as one.

    A partial holding what may be the first digits of a card hides them until the final caption
    can tell: at its end, or anywhere (a partial decoded early may hold the first group and a
    misheard rest, "353-0. 353-No": four digits of a JCB card). A number announced as read out
    hides its digits in a partial at its end, and in a final when it is long; a typed phone
    number or date is neither."""
    if typed_phone_or_date(text, run.atoms):
        return False
    read_out = READ_OUT.search(text[max(0, run.start - 40):run.start]) is not None
    if partial:
        return could_begin_card(digits) or (run.at_end and read_out)
    return read_out and not other_asked and len(digits) >= _READ_OUT_FINAL_DIGITS


# Words a card's groups may be read apart by ("the first four are 4012, the next 8888, then
# 8888, then 1881", "4012, got it? 8888 ..."), and a false start may come before it by ("4012
# 8888, no sorry, 4012 8888 8888 1881").
SPREAD_WORDS = 4


def _spread_card(text: str, runs: Sequence[Run], masks: list[Mask],
                 reach: Callable[[int, int], int], *, other_asked: bool = False) -> list[Mask]:
    """Cards read in groups with words between them, and numbers said just before a card, as
    card masks. A run finder ends a number at any word that is not a filler, so each group was
    judged alone, too short to be a card, and all of them shown (an adversarial probe of the
    redactor: BENCHMARKS.md). Runs no mask covers, each of 3+ digits, with at most SPREAD_WORDS
    words between neighbours, are read together: as a card when their digits make one (Luhn,
    13-19 digits: its last four kept) or look like one failing Luhn (13-19 digits from a card's
    first digits: none kept); and a run of 4+ digits within SPREAD_WORDS words before a card is
    more of it (a false start, a correction). When another kind of number was asked for lately
    (`other_asked`: "the account number and the PIN?"), groups that fail Luhn are that number,
    read in groups ("552 910, PIN 8036"), and shown, as one group read alone is (see
    _maybe_card_unnamed); a valid card is masked all the same."""
    covered = [p for m in masks for p in m.parts]
    free = [r for r in runs if len(r.digits) >= 3 and not typed_phone_or_date(text, r.atoms)
            and not any(a < r.end and r.start < b for a, b in covered)]
    out: list[Mask] = []
    chain: list[Run] = []
    for run in [*free, None]:
        if run is not None and chain and reach(chain[-1].end, run.start) <= SPREAD_WORDS:
            chain.append(run)
            continue
        digits = "".join(r.digits for r in chain)
        if len(chain) > 1 and 13 <= len(digits) <= 19 and (
                luhn_ok(digits) or (could_begin_card(digits) and not other_asked)):
            atoms = [a for r in chain for a in r.atoms]
            out.append(Mask("card", tuple((a.start, a.end) for a in atoms),
                            digits[-4:] if luhn_ok(digits) else None))
        chain = [run] if run is not None else []
    cards = [m.parts[0][0] for m in (*masks, *out) if m.kind == "card"]
    read = _card_digits(runs, (*masks, *out))
    for run in free:
        if len(run.digits) >= 4 and not any(p for m in out for p in m.parts if p[0] == run.start) \
                and (any(run.end <= c and reach(run.end, c) <= SPREAD_WORDS for c in cards)
                     or any(_beyond_last_four(run.digits, card) for card in read)):
            out.append(Mask("card", tuple((a.start, a.end) for a in run.atoms)))
    return out


def _card_digits(runs: Sequence[Run], masks: Sequence[Mask]) -> list[str]:
    """The digits of each card masked in the text (of the atoms its mask covers)."""
    atoms = {a.start: a.digits for r in runs for a in r.atoms}
    cards = ["".join(atoms.get(a, "") for a, _b in m.parts) for m in masks if m.kind == "card"]
    return [c for c in cards if len(c) >= 13]


def _beyond_last_four(digits: str, card: str) -> bool:
    """Whether `digits` are the card's own beyond its last four: a false start, a correction or
    a group read again, however far from the card ("4012 8888, wait no, let me start again,
    4012 8888 8888 1881"). The last four alone may show, as they do in the card's mask."""
    at = card.find(digits)
    while at >= 0:
        if at < len(card) - 4:
            return True
        at = card.find(digits, at + 1)
    return False


# "737 is the security code", "737's the CVV": a code said first and named right after it.
_NAMED_AFTER = re.compile(r"\s*,?\s*(?:is|'s|was)\s+(?:the|my|its)\s+", re.I)


def _code_named_after(text: str, runs: Sequence[Run], masks: list[Mask],
                      cues: Sequence[Cue]) -> list[Mask]:
    """Security-code masks for runs of 3-4 digits that a security cue names right after them
    (an adversarial probe of the redactor: the cue had to come first)."""
    covered = [p for m in masks for p in m.parts]
    out = []
    for run in runs:
        if not 3 <= len(run.digits) <= 4 or any(a < run.end and run.start < b
                                                for a, b in covered):
            continue
        cue = next((c for c in cues if c.start >= run.end), None)
        if cue is not None and cue.kind == "security_code" and \
                _NAMED_AFTER.fullmatch(text, run.end, cue.start):
            out.append(Mask("security_code", tuple((a.start, a.end) for a in run.atoms)))
    return out


def _card_before(text: str, masks: list[Mask], at: int) -> bool:
    """Whether a card number was masked earlier in the same caption (captions are joined with
    a newline for analysis; a card in an earlier one counts through `card_context`)."""
    return any(m.kind == "card" and m.parts[-1][1] <= at and "\n" not in text[m.parts[-1][1]:at]
               for m in masks)
