"""Mask card numbers, security codes, SSNs and site-specific patterns in caption text.

Principle 4: nothing is stored, shown, logged or given to a model before it went through here.
Finals go through `Redactor.push_final`, which may hold a caption back for a few seconds when it
ends in digits, because people read a card number in pieces and the ASR cuts captions at pauses:
only the joined digits can be Luhn-checked. Partials go through `redact`, which has no memory and
therefore masks more (a partial is gone in a second; a leaked card number is not).

A hold is bounded (the agent must not wait long for a caption), so a number read on after a long
pause arrives when its start is already out. Two rules keep its digits from showing anyway:
- a caption whose hold expires is released with the conservative rules of partials (a run of 8+
  digits that could begin a card is masked: it was never completed, so it cannot be checked);
- a released caption whose digits a later caption turns into a card number is AMENDED: the
  redactor re-renders it with the joined text and `take_amendments` hands the safer text to the
  session, which overwrites the stored caption and shows the new text. An amendment only ever
  removes digits, never reveals any.
"""

from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

from copilot.privacy.analysis import SPREAD_WORDS, Analysis, analyze
from copilot.text.run_kinds import Mask, could_begin_card, homophone_lead, luhn_ok

__all__ = ["CARD_ENDING", "Redacted", "Redactor", "card_label", "luhn_ok"]

_LABELS = {
    "card": "[card number]",
    "security_code": "[security code]",
    "ssn": "[SSN]",
    "custom": "[REDACTED]",
    "expiry": "[expiry date]",
}
# When masks overlap (a custom pattern over a card number), the stronger kind names the mask.
_RANK = {"expiry": 4, "card": 3, "ssn": 2, "security_code": 1, "custom": 0}
_MAX_CARD = 19
# A cue heard in one caption ("What's the security code?") still applies to the first number in
# the next captions, on any channel: the agent asks, the customer answers.
_CUE_SECONDS = 20.0
# Released captions that end in digits are kept (not shown again) for a while, so that a number
# read on after a pause or an expired hold is still joined up: the earlier digits are out, but
# the rest can be recognised and masked. At most _CONTEXT_ITEMS captions, to bound the work.
_CONTEXT_SECONDS = 20.0
_CONTEXT_ITEMS = 6
# ... and for as long as a card's context lasts when the number could begin a card (by the
# issuers' ranges: "4012", not "2015" or "0770"): a caller who reads the first group and then
# has to find the card, or their glasses, reads the rest a minute later, and the first group
# must still be joined to it (the adversarial probe, BENCHMARKS.md stop 45: the rest read 25 s
# later left the first group or two in the store). A year or a phone number said before
# another number is not kept that long, so they are not taken for a card's start.
_CARD_START_SECONDS = 60.0
_WORDS = re.compile(r"[^\W\d_]+")
# A card read in this call makes a bare "code" a security code and a date after "expires" its
# expiry date, for this long after it was heard (in the same caption or an earlier one).
_CARD_CONTEXT_SECONDS = 60.0


@dataclass(frozen=True)
class Redacted:
    text: str  # safe text
    spans: tuple[tuple[int, int, str], ...]  # (start, end, kind) of each mask in `text`


@dataclass
class _Item:
    key: object
    text: str
    at: float  # when it was pushed (held captions) or released (context)
    cues: frozenset[str] = frozenset()  # cues remembered from earlier captions
    # The masks it was released with, in its own coordinates (context captions): an amendment
    # adds to them, so it can hide more but never show what was hidden.
    spans: tuple[tuple[int, int, str, str], ...] = ()
    # Context captions: the number they end with could begin a card (_CARD_START_SECONDS).
    card_start: bool = False


@dataclass
class _Channel:
    held: list[_Item] = field(default_factory=list)
    context: list[_Item] = field(default_factory=list)  # already released, read-only


class Redactor:
    """Redacts captions; one instance per call (it remembers held captions and recent cues).

    Thread-safe: the ASR worker may push finals while a timer calls `tick`.
    """

    def __init__(self, extra_patterns: Sequence[str] = (), hold_seconds: float = 4.0):
        if isinstance(extra_patterns, str):
            # A bare string would be iterated character by character: almost certainly a mistake.
            extra_patterns = [extra_patterns]
        self._patterns: list[re.Pattern[str]] = []
        for p in extra_patterns:
            try:
                self._patterns.append(re.compile(p))
            except (re.error, TypeError) as e:
                raise ValueError(f"invalid redaction pattern {p!r}: {e}") from e
        if hold_seconds < 0:
            raise ValueError(f"hold_seconds must be >= 0, got {hold_seconds}")
        self._hold = float(hold_seconds)
        self._channels: dict[str, _Channel] = {}
        self._cues: dict[str, float] = {}  # cue kind -> when it was heard
        self._amended: list[tuple[str, object, Redacted]] = []
        # When a cue for another kind of number ("order number") was last left waiting: a held
        # number released after it is that number, not the start of a card.
        self._other_at: float | None = None
        self._card_at: float | None = None  # when a card was last read (any channel)
        self._lock = threading.Lock()

    # ---- stateless -------------------------------------------------------------------------

    def redact(self, text: str, *, final: bool = False) -> Redacted:
        """Redact one piece of text on its own.

        By default this is the conservative mode meant for partial captions, logs and any text:
        a run of 8+ digits that could start a card number is masked even if it is not (yet) a
        valid card. `final=True` applies only the rules used for complete final captions.
        """
        an = analyze(text, conservative=not final, partial=not final)
        return self._render(text, an, 0)

    # ---- streaming finals --------------------------------------------------------------------

    def push_final(
        self, channel: str, key: object, text: str, now: float
    ) -> list[tuple[object, Redacted]]:
        """Add a final caption; return the captions of `channel` that may be released now."""
        with self._lock:
            self._forget(now)
            ch = self._channels.setdefault(channel, _Channel())
            remembered = frozenset(self._cues)
            new = _Item(key, text, now, remembered)
            items = ch.context + ch.held + [new]
            # Counted now: asking for another kind of number empties the context below
            # (_learn_cues), and counting after it released the context's captions again.
            n_ctx, n_held = len(ch.context), len(ch.held)
            ctx, asked = self._card_context(now), self._asked_other(now)
            an, offsets = _analyze_items(items, conservative=False, card_context=ctx,
                                         other_asked=asked)
            self._learn_cues(an, offsets[-1], bool(remembered), now)
            if an.card:
                self._card_at = now

            self._amend(channel, items[:n_ctx], self._for_amends(items, an, ctx, asked), offsets)
            hold_from = _hold_from(an, offsets)
            keep = len(items) if hold_from is None else max(hold_from, n_ctx)
            careful: Analysis | None = None
            out = []
            for i in range(n_ctx, keep):
                spans = self._spans(items[i].text, an, offsets[i])
                if i < n_ctx + n_held:
                    # Held for a number the speaker did not go on with ("It's 4012 8888" |
                    # "Hang on."): as when a hold expires, it cannot be Luhn-checked, so it is
                    # masked the careful way too.
                    careful = careful or self._careful(items, an, now)
                    spans = _merge([*spans, *self._spans(items[i].text, careful, offsets[i])])
                items[i].spans = tuple(spans)
                out.append((items[i].key, _apply(items[i].text, spans)))
            ch.held = items[keep:]
            ch.context = _context(items, keep, an, offsets, now)
            return out

    def tick(self, now: float) -> list[tuple[str, object, Redacted]]:
        """Release held captions whose hold has expired."""
        with self._lock:
            self._forget(now)
            out: list[tuple[str, object, Redacted]] = []
            for name, ch in self._channels.items():
                if ch.held and now - ch.held[0].at >= self._hold:
                    out.extend(self._release(name, ch, now, keep_context=True))
            return out

    def flush(self) -> list[tuple[str, object, Redacted]]:
        """Release everything (end of call) and forget all state."""
        with self._lock:
            out: list[tuple[str, object, Redacted]] = []
            for name, ch in self._channels.items():
                out.extend(self._release(name, ch, 0.0, keep_context=False))
            self._channels.clear()
            self._cues.clear()
            self._other_at = None
            self._card_at = None
            return out

    def take_amendments(self) -> list[tuple[str, object, Redacted]]:
        """(channel, key, safer text) of released captions that later captions showed to hold
        part of a card number, since the last call; each only removes digits."""
        with self._lock:
            out, self._amended = self._amended, []
            return out

    def redact_partial(self, channel: str, text: str) -> Redacted:
        """Conservative redaction of a partial caption that also sees the channel's held digits
        and recent cues, so the second half of a card number is masked while it is spoken."""
        with self._lock:
            ch = self._channels.get(channel, _Channel())
            items = ch.context + ch.held + [_Item(None, text, 0.0, frozenset(self._cues))]
            an, offsets = _analyze_items(items, conservative=True, partial=True,
                                         card_context=self._card_context(None))
            return self._render(text, an, offsets[-1])

    # ---- internals ---------------------------------------------------------------------------

    def _release(
        self, name: str, ch: _Channel, now: float, *, keep_context: bool
    ) -> list[tuple[str, object, Redacted]]:
        items = ch.context + ch.held
        ctx = self._card_context(now if keep_context else None)
        asked_other = self._asked_other(now if keep_context else None)
        an, offsets = _analyze_items(items, conservative=False, card_context=ctx,
                                     other_asked=asked_other)
        n_ctx = len(ch.context)
        self._amend(name, ch.context, self._for_amends(items, an, ctx, asked_other), offsets)
        # The number the captions were held for was not completed in time.
        careful = self._careful(items, an, now if keep_context else None)
        out = []
        for i, it in enumerate(ch.held):
            it.spans = tuple(self._spans(it.text, careful, offsets[n_ctx + i]))
            out.append((name, it.key, _apply(it.text, list(it.spans))))
        ch.held = []
        ch.context = _context(items, len(items), an, offsets, now) if keep_context else []
        return out

    def _careful(self, items: list[_Item], an: Analysis, now: float | None) -> Analysis:
        """How held captions whose number was not completed are masked: it cannot be
        Luhn-checked, so the way a partial would be if it could begin a card (unless another
        kind of number was asked for: then as `an`, the final rules, have it)."""
        if self._asked_other(now):
            return an
        careful = _analyze_items(items, conservative=True, card_context=self._card_context(now))[0]
        if now is not None and any(m.kind == "card" for m in careful.masks):
            # Masked as the start of a card: the rest may come after a pause ("hang on", "let
            # me find my glasses"), when these digits are out of the context, and is masked as
            # more of it.
            self._card_at = now
        return careful

    @staticmethod
    def _for_amends(items: list[_Item], an: Analysis, card_context: bool,
                    other_asked: bool) -> Analysis:
        """The analysis that may amend released captions: `an`, but without the rule that a
        number after a card is more of it (analysis: `card_context`). Released captions were
        said before the newest one; any said after a card were released with that rule already,
        and one said before it is no more of it ("155 907, PIN 2283" | the agent: "the $140 will
        be back on your card": blind call set 70 showed the account number amended to a card).
        Digits that join a card across captions are still found: that is Luhn, not context."""
        if not card_context:
            return an
        return _analyze_items(items, conservative=False, other_asked=other_asked)[0]

    def _forget(self, now: float) -> None:
        # A card's code asked for is answered after the caller found the card ("hold on, let me
        # turn it over"): with a card in context, its cue lasts as long as the context does.
        card = self._card_context(now)
        self._cues = {k: t for k, t in self._cues.items() if now - t <= (
            _CARD_CONTEXT_SECONDS if card and k == "security_code" else _CUE_SECONDS)}
        for ch in self._channels.values():
            if ch.context and now - ch.context[-1].at > (
                    _CARD_START_SECONDS if ch.context[-1].card_start else _CONTEXT_SECONDS):
                ch.context = []

    def _asked_other(self, now: float | None) -> bool:
        """Another kind of number was asked for lately (`now` None: at any time this call)."""
        return self._other_at is not None and (now is None or now - self._other_at <= _CUE_SECONDS)

    def _card_context(self, now: float | None) -> bool:
        """A card was read lately (`now` None: at any time this call), and no other kind of
        number was asked for since."""
        return (self._card_at is not None
                and (now is None or now - self._card_at <= _CARD_CONTEXT_SECONDS)
                and (self._other_at is None or self._other_at < self._card_at))

    def _amend(self, channel: str, released: list[_Item], an: Analysis,
               offsets: list[int]) -> None:
        """Queue the released captions that `an` (which joins them with newer ones) masks more."""
        for i, it in enumerate(released):
            spans = _merge([*it.spans, *self._spans(it.text, an, offsets[i])])
            if _covered(spans) > _covered(it.spans):
                it.spans = tuple(spans)
                self._amended.append((channel, it.key, _apply(it.text, spans)))

    def _learn_cues(self, an: Analysis, new_offset: int, had_memory: bool, now: float) -> None:
        if (had_memory and an.virtual_consumed(new_offset)) or "other" in an.dangling:
            self._cues.clear()
        if "other" in an.dangling:
            self._other_at = now
            # Another kind of number was asked for: a number read before it is finished, and
            # the next digits must not be joined to it (nor taken for more of a card).
            for ch in self._channels.values():
                ch.context = []
        elif an.dangling:
            self._other_at = None
        for kind in an.dangling - {"other"}:
            self._cues[kind] = now

    def _render(self, text: str, an: Analysis, offset: int) -> Redacted:
        return _apply(text, self._spans(text, an, offset))

    def _spans(self, text: str, an: Analysis, offset: int) -> list[tuple[int, int, str, str]]:
        spans = _mask_spans(an.masks, offset, offset + len(text))
        for pat in self._patterns:
            for m in pat.finditer(text):
                if m.end() > m.start():  # a pattern that matches "" must not mask nothing forever
                    spans.append((m.start(), m.end(), "custom", _LABELS["custom"]))
        return _merge(spans)


def _analyze_items(items: list[_Item], *, conservative: bool, card_context: bool = False,
                   partial: bool = False, other_asked: bool = False) -> tuple[Analysis, list[int]]:
    """Analyse captions of one speaker as one text, so digit runs join across captions.

    A newline stands for the caption boundary: it may sit inside a number like any space."""
    offsets, pos = [], 0
    for it in items:
        offsets.append(pos)
        pos += len(it.text) + 1
    virtual = [(off, it.cues) for off, it in zip(offsets, items, strict=True) if it.cues]
    joined = "\n".join(it.text for it in items)
    return analyze(joined, conservative=conservative, virtual=virtual,
                   card_context=card_context, partial=partial, other_asked=other_asked), offsets


def _hold_from(an: Analysis, offsets: list[int], *, any_length: bool = False) -> int | None:
    """Index of the first caption to keep holding, or None to release everything.

    Hold while the text ends in a run that could still grow into a card number: 4+ digits, or
    any digits right after a card or SSN cue (a security code: fewer than 3), unless it is a
    sum of money or already a complete card (15 digits: Amex; 16: most cards)."""
    tail = an.tail
    if tail is None:
        return None
    if any_length:
        return bisect.bisect_right(offsets, tail.start) - 1
    n, cues = len(tail.digits), an.tail_cues
    complete = n >= _MAX_CARD or (n >= 15 and luhn_ok(tail.digits))
    cued = "card" in cues or "ssn" in cues or ("security_code" in cues and n < 3)
    if an.tail_amount or complete or (n < 4 and not cued):
        return None
    return bisect.bisect_right(offsets, tail.start) - 1


def _context(items: list[_Item], keep: int, an: Analysis, offsets: list[int],
             now: float) -> list[_Item]:
    """The released captions (items[:keep]) that a digit run lives in which may go on: the
    run the released text ends with. A caption cut after "It's four" is released (too few
    digits to hold), but the next caption's digits are still joined to it; and when the newest
    caption is held for a later number ("825-0 expires 0927"), the released ones whose digits
    its first run continues ("5 6 1 0 ... 0 1") stay joined to it too."""
    if keep <= 0:
        return []
    joined = "\n".join(it.text for it in items)
    starts = _card_starts(joined, an)
    if keep == len(items):  # all released: the run the whole text ends with
        start = an.tail.start if an.tail is not None else None
        if start is None and an.runs:
            # or one a few words before its end: a card's groups read apart by words may go
            # on in the next caption ("The first four are 4012, the" | "next 8888, ...")
            a, b = an.runs[-1]
            if len(_WORDS.findall(joined, b)) <= SPREAD_WORDS and \
                    sum(c.isdigit() for c in joined[a:b]) >= 3:
                start = a
        if start is None:
            # or a number in the newest caption that could begin a card, however far from its
            # end: a false start ("4012 8888, wait no, let me start again,") is masked once the
            # card is read (analysis: a card's own digits, wherever they are said)
            start = next((a for a in reversed(starts) if a >= offsets[-1]), None)
    else:  # a run that crosses from the released captions into the held ones
        end = offsets[keep - 1] + len(items[keep - 1].text)
        start = next((a for a, b in reversed(an.runs) if a < end <= b), None)
    if start is None:
        return []
    first = max(bisect.bisect_right(offsets, start) - 1, keep - _CONTEXT_ITEMS)
    return [_Item(it.key, it.text, now, it.cues, it.spans, start in starts)
            for it in items[first:keep]]


def _card_starts(joined: str, an: Analysis) -> list[int]:
    """Where the runs of 4+ digits that could begin a card start (by the issuers' ranges,
    counting a homophone before a run: "for oh one two" is 4012)."""
    out = []
    for (a, _b), digits in zip(an.runs, an.run_digits, strict=True):
        lead = homophone_lead(joined, a)
        digits = (lead[0] if lead else "") + digits
        if len(digits) >= 4 and could_begin_card(digits):
            out.append(a)
    return out


def _covered(spans) -> int:
    """How many characters of the caption the (merged) masks hide."""
    return sum(e - s for s, e, _kind, _label in spans)


def _mask_spans(masks: list[Mask], lo: int, hi: int) -> list[tuple[int, int, str, str]]:
    """The part of each mask that falls in the caption text[lo:hi], in caption coordinates.

    A card read across captions is masked in each of them; only the caption that holds its last
    digit says which four digits it ended with."""
    out = []
    for m in masks:
        inside = [(s, e) for s, e in m.parts if s < hi and e > lo]
        if not inside:
            continue
        start, end = max(inside[0][0], lo) - lo, min(inside[-1][1], hi) - lo
        label = _LABELS[m.kind]
        if m.kind == "card" and m.last4 and lo < m.parts[-1][1] <= hi:
            label = card_label(m.last4)
        out.append((start, end, m.kind, label))
    return out


# The label a card mask keeps its last four digits in, and its pattern (so a reader of masked
# text, such as practice's fact-check, can tell those digits from a figure someone said).
CARD_ENDING = re.compile(r"\[card ending (\d{4})\]")


def card_label(last4: str) -> str:
    return f"[card ending {last4}]"


def _merge(spans: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    merged: list[tuple[int, int, str, str]] = []
    for s, e, kind, label in sorted(spans):
        if merged and s < merged[-1][1]:
            ps, pe, pkind, plabel = merged[-1]
            if _RANK[kind] > _RANK[pkind] or (kind == pkind and len(label) > len(plabel)):
                pkind, plabel = kind, label
            merged[-1] = (ps, max(pe, e), pkind, plabel)
        else:
            merged.append((s, e, kind, label))
    return merged


def _apply(text: str, spans: list[tuple[int, int, str, str]]) -> Redacted:
    parts, out_spans, pos, out_len = [], [], 0, 0
    for s, e, kind, label in spans:
        parts.append(text[pos:s])
        out_len += s - pos
        parts.append(label)
        out_spans.append((out_len, out_len + len(label), kind))
        out_len += len(label)
        pos = e
    parts.append(text[pos:])
    return Redacted("".join(parts), tuple(out_spans))
