"""What a digit run is (copilot/text/spoken_numbers.py finds the runs): a card number (whole,
inside a longer run, or the start of one still being read out), a security code, a social
security number, or a typed phone number or date, which is none of these. Redaction
(copilot/privacy/redaction.py) masks what this says; nothing here rewrites text."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from copilot.text.spoken_numbers import Atom

__all__ = ["HOMOPHONE_DIGIT", "Mask", "classify_run", "could_begin_card", "homophone_lead",
           "luhn_ok", "says_last_four", "typed_phone_or_date"]

# First digits of card numbers (Visa 4, Mastercard 2/5, Amex/Diners/JCB 3, Discover/UnionPay 6).
# Used only where a run is not a complete valid number and we guess whether it could become one.
_CARD_FIRST = frozenset("23456")
_CARD_LENGTHS = (16, 15, 19, 13, 14, 17, 18)  # most common first when searching inside a run


@dataclass(frozen=True)
class Mask:
    kind: str  # "card" | "security_code" | "ssn"
    parts: tuple[tuple[int, int], ...]  # the masked atoms' spans in the analysed text
    last4: str | None = None  # the digits a card mask may keep
    cue: int | None = None  # index of the cue that caused it, if any


def luhn_ok(digits: str) -> bool:
    """Luhn checksum of a string of ASCII digits (spaces and hyphens are ignored)."""
    digits = digits.replace(" ", "").replace("-", "")
    if not digits or not (digits.isascii() and digits.isdigit()):
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _mask(
    kind: str, atoms: Sequence[Atom], last4: str | None = None, cue: int | None = None
) -> Mask:
    return Mask(kind, tuple((a.start, a.end) for a in atoms), last4, cue)


# "ending in 1111", "the last four are 1111": the last four digits, which may be shown.
_LAST_FOUR = re.compile(r"\b(?:end(?:s|ing|ed)?(?:\s+(?:in|with))?|last\s+(?:four|4)(?:\s+\w+)?)"
                        r"\W*$", re.I)


def classify_run(
    text: str,
    atoms: Sequence[Atom],
    cues: Sequence[tuple[int, str]],
    *,
    conservative: bool,
    at_start: bool,
    other_cue: bool = False,
) -> list[Mask]:
    """Masks for one run. `cues` are (cue index, kind) that apply to it, nearest first;
    `other_cue` says the nearest cue names another kind of number ("order number is ...")."""
    digits = "".join(a.digits for a in atoms)
    n = len(digits)
    if 13 <= n <= 19 and luhn_ok(digits):
        return [_mask("card", atoms, digits[-4:])]
    # A typed SSN or a card may sit inside a longer run (bridged by "and", or a card followed
    # by its code): mask that stretch, then look at what is left on each side.
    found = _written_ssn(text, atoms)
    kind = "ssn"
    if found is None and n > 13:
        found, kind = _card_inside(atoms, digits), "card"
    if found is not None:
        i, j = found
        inner = atoms[i:j]
        last4 = "".join(a.digits for a in inner)[-4:] if kind == "card" else None

        def rest(part: Sequence[Atom], cues_: Sequence[tuple[int, str]], first: bool) -> list[Mask]:
            if not part:
                return []
            kw = {"at_start": first and at_start, "other_cue": first and other_cue}
            return classify_run(text, part, cues_, conservative=conservative, **kw)

        # What follows a card or an SSN is not what the cue before them was asking for.
        tail = rest(atoms[j:], (), False)
        if kind == "card" and atoms[j:] and not tail:
            # Digits read on in the same breath after a card are its code or a misheard
            # repeat of its digits ("4111 1111 1111 1111 11 1111"): nothing worth showing.
            n_tail = len("".join(a.digits for a in atoms[j:]))
            tail = [_mask("security_code" if n_tail in (3, 4) else "card", atoms[j:])]
        head = rest(atoms[:i], cues, True)
        if kind == "card" and atoms[:i] and not head and not other_cue and _false_start(
                "".join(a.digits for a in atoms[:i]), "".join(a.digits for a in inner)):
            head = [_mask("card", atoms[:i])]
        return [*head, _mask(kind, inner, last4), *tail]
    if 13 <= n <= 19 and digits[0] in _CARD_FIRST and not _bridged(text, atoms):
        # Card-shaped, read as one number, but failing Luhn: most likely a card with a digit
        # misheard. Keep none. (Bridged runs are left to the cue rules: "2024-03-14 and
        # 2024-03-15" is two dates, not a card.)
        return [_mask("card", atoms)]
    if n > 19 and could_begin_card(digits) and not _bridged(text, atoms):
        # Longer than any card, read as one number and starting as a card does: a card run into
        # its code or a repeat with the groups cut elsewhere ("353-01113333-0-000075926", a JCB
        # card and its code, where no card ends on a group boundary). Keep none.
        return [_mask("card", atoms)]
    # Thresholds: in a final, a card cue needs 8+ digits (a shorter number after "card" is
    # usually "ending in 1234"); a security code or SSN cue masks 3+ digits. A partial masks any
    # digit after any of these cues: it is the start of a number still being read out ("my card
    # number is 4111..."), and what a partial hides for a second the final shows if it may.
    last_four = says_last_four(text, atoms[0].start)
    need = {"card": 1 if conservative and not last_four else 8}
    for index, kind in cues:
        if n >= need.get(kind, 1 if conservative else 3):
            return [_mask(kind, atoms, cue=index)]
    if (conservative and not other_cue and n >= 8 and (digits[0] in _CARD_FIRST or at_start)
            and not typed_phone_or_date(text, atoms)):
        # A partial caption may be the first (or, at its start, the next) part of a card number.
        return [_mask("card", atoms)]
    return []


# Typed shapes of numbers that are not cards: a North American phone number (555 123 4567,
# 555-123-4567) and an ISO date (2024-03-14). Cards are read and written in groups of four (or
# 4-6-5); a recognizer that writes 3-3-4 or 4-2-2 heard a phone number or a date.
_PHONE_SHAPE = (3, 3, 4)
_DATE_SHAPE = (4, 2, 2)


def typed_phone_or_date(text: str, atoms: Sequence[Atom]) -> bool:
    """Whether a run is typed phone numbers or dates only (several may be joined by "and")."""
    groups: list[list[Atom]] = [[atoms[0]]]
    for a, b in zip(atoms, atoms[1:], strict=False):
        if any(c.isalpha() for c in text[a.end:b.start]):
            groups.append([b])
        else:
            groups[-1].append(b)
    for g in groups:
        shape = tuple(len(a.digits) for a in g)
        if not all(a.written for a in g):
            return False
        dashes = all(text[a.end:b.start] == "-" for a, b in zip(g, g[1:], strict=False))
        if not (shape == _PHONE_SHAPE or (shape == _DATE_SHAPE and dashes)):
            return False
    return True


def says_last_four(text: str, start: int) -> bool:
    """Whether the number at `start` is announced as a card's last four ("ending in 1111")."""
    return _LAST_FOUR.search(text[max(0, start - 24):start]) is not None


# Whisper writes a digit word as its homophone when it starts a number: "for 012" for "four oh
# one two", "to 222" for "two two two two". Only right before digits, so "waiting for 20
# minutes" is read this way too: callers use it where a false mask costs little (a partial, or
# digits said right after a card).
_HOMOPHONE_LEAD = re.compile(r"\b(for|too?|ate)[ ,]{1,2}$", re.I)
# ("though" for the "oh" of a zero read between digits: "353 though 1113 33" for "three five
# three oh, one one one three, three three", a partial caption that showed six digits of a JCB
# under load; only between two runs, never as a lead, copilot/privacy/homophones.py)
HOMOPHONE_DIGIT = {"for": "4", "to": "2", "too": "2", "ate": "8", "though": "0"}


def homophone_lead(text: str, start: int) -> tuple[str, int] | None:
    """The digit and start offset of a homophone ("for", "to", "too", "ate") written right
    before the number at `start`, or None."""
    m = _HOMOPHONE_LEAD.search(text[max(0, start - 6):start])
    if m is None:
        return None
    return HOMOPHONE_DIGIT[m.group(1).lower()], max(0, start - 6) + m.start(1)


def could_begin_card(digits: str) -> bool:
    """Whether a card number may start with these digits, by the issuers' number ranges (Visa
    4; Mastercard 51-55 and 2221-2720; Amex 34, 37; Discover, UnionPay, Maestro 6, 50, 56-58;
    JCB 3528-3589; Diners 300-305, 36, 38, 39). "2024" or "7429" cannot; "6011" or "4111" can."""
    d = digits
    if not d:
        return False
    if d[0] in "46":
        return True
    if d[0] == "5":
        return len(d) < 2 or d[1] in "012345678"
    if d[0] == "2":
        return len(d) < 4 or 2221 <= int(d[:4]) <= 2720
    if d[0] == "3":
        if len(d) < 2:
            return True
        if d[1] in "4789" or d[1] == "6":
            return True
        if d[1] == "0":
            return len(d) < 3 or d[2] in "012345"
        if d[1] == "5":
            return len(d) < 4 or 3528 <= int(d[:4]) <= 3589
    return False


def _bridged(text: str, atoms: Sequence[Atom]) -> bool:
    """Whether filler words sit between the atoms of a run."""
    return any(
        any(c.isalpha() for c in text[a.end : b.start])
        for a, b in zip(atoms, atoms[1:], strict=False)
    )


def _false_start(head: str, card: str) -> bool:
    """Whether digits read in the same breath right before a card, only fillers between ("4012
    8888, sorry, 4012 8888 8888 1881": the run finder takes "sorry" as a filler, so one run), are
    more of it: a false start (the card's own first digits) or any group of four or more (a
    misread first try, "4012 8889, sorry, ..."). A short number before it ("it's 12, 4012 ...")
    is left, and so is one a cue names as another kind (classify_run's `other_cue`)."""
    return len(head) >= 4 or (len(head) >= 3 and head in card[:-4])


def _card_inside(atoms: Sequence[Atom], digits: str) -> tuple[int, int] | None:
    """A Luhn-valid card-length stretch inside a longer run ("4111...1111 123": card + code),
    starting and ending on atom boundaries. Returns atom indices [i, j)."""
    bounds, pos = {0: 0}, 0
    for k, a in enumerate(atoms):
        pos += len(a.digits)
        bounds[pos] = k + 1
    for start in sorted(bounds):
        if start >= len(digits) or digits[start] not in _CARD_FIRST:
            continue
        for length in _CARD_LENGTHS:
            end = start + length
            if end in bounds and luhn_ok(digits[start:end]):
                return bounds[start], bounds[end]
    return None


def _written_ssn(text: str, atoms: Sequence[Atom]) -> tuple[int, int] | None:
    """Atom indices [i, i + 3) of a typed 3-2-4 group ("123-45-6789", "123 45 6789")."""
    for k in range(len(atoms) - 2):
        trio = atoms[k : k + 3]
        if [len(a.digits) for a in trio] != [3, 2, 4] or not all(a.written for a in trio):
            continue
        gaps = [text[trio[0].end : trio[1].start], text[trio[1].end : trio[2].start]]
        if all(g in ("-", " ", "\u2013") for g in gaps):
            return k, k + 3
    return None
