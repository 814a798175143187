"""The numbers of a text, as the verifier reads them (copilot/knowledge/verify.py): a value in
digits or in words ("12.50", "a hundred and fifty", "twenty-five"), the unit right after it (a
currency, a time unit, "percent", or the stem of the noun it counts) or a currency sign or code
before it, and a comparator before it ("up to", "within", "after"). Words that do not change a
time unit may stand between a number and its unit ("5 full months"); an arithmetic word after a
number is no unit ("150 minus 62.50"); "no one", "one of them", "another one when ...", "the
right one", "one email ... and another", "(an email:) you'll get one the moment it's filed" are
pronouns, not counts (the last: three correct answers of three practice answer sets, stop 41).
"""

from __future__ import annotations

from decimal import Decimal

from copilot.knowledge.fact_tokens import Num, Tok, same_clause
from copilot.knowledge.fact_words import (
    AFTER_PASSAGE,
    ARITHMETIC,
    COMPARATORS,
    CURRENCY,
    CURRENCY_CODES,
    NOT_CONTENT,
    NUMBER_WORDS,
    PRONOUN_NEXT,
    SAME_UNIT,
    SCALES,
    SMALL,
    TENS,
    TIME,
    UNITS,
    is_negator,
    singular,
    stem,
)

__all__ = ["read_numbers"]


_DETERMINERS = frozenset("the a an this that your my our their his her".split())
_GOT = frozenset("get gets getting got receive receives receiving received send sends sending "
                 "sent".split())
_FILLERS = frozenset("er erm um uh like also".split())
_PARTICLES = frozenset("down up back off".split())
_ONLY = frozenset("only just".split())
# What may follow such a "one": the clause's end, or when or how it comes ("one free month"
# counts)
_AFTER_GOT_ONE = frozenset(["", *"the as when once today now tomorrow later too also a an for "
                            "from by on in at after before and if".split()])


def _pronoun_one(toks: list[Tok], i: int) -> bool:
    """"one" standing for a thing named before, not a count: after a determiner and an
    adjective with no noun after it ("still the right one for the confirmation", "a new one"),
    or paired with a later "another" in the same sentence ("one email when it's filed and
    another when it's refunded": an email, then a second)."""
    def bare(k: int) -> bool:  # no noun after token k: its clause ends or a function word
        nxt = toks[k + 1] if k + 1 < len(toks) else None
        return nxt is None or not same_clause(toks, k, k + 1) or (
            nxt.low in NOT_CONTENT and nxt.low not in NUMBER_WORDS
            and nxt.low not in ("and", "half"))  # "the remaining one hundred dollars"

    if i >= 2 and bare(i) and toks[i - 2].low in _DETERMINERS and toks[i - 1].kind == "word" \
            and toks[i - 1].low not in NUMBER_WORDS and toks[i - 1].low not in _DETERMINERS:
        return True
    # a verb's object with its particle ("I can't take a card number or write one down", "top
    # one up"): the thing named before, as "write it down" would say (answer set 51)
    if 0 < i < len(toks) - 1 and same_clause(toks, i - 1, i + 1) and \
            toks[i + 1].low in _PARTICLES and toks[i - 1].kind == "word" and \
            toks[i - 1].low not in NOT_CONTENT and not (
                i + 2 < len(toks) and same_clause(toks, i, i + 2)
                and toks[i + 2].low in ("of", "front")):  # "one up front" is a count
        return True
    # what is got or sent, named before ("an email - you'll get one the moment it's filed",
    # "you'll get, er, one as soon as ..."); not "you'll only get one", a count
    before = [t.low for t in toks[max(0, i - 4):i] if t.kind == "word" and t.low not in _FILLERS]
    after = toks[i + 1].low if i + 1 < len(toks) and same_clause(toks, i, i + 1) else ""
    if before and before[-1] in _GOT and not (set(before[-3:-1]) & _ONLY) and \
            after in _AFTER_GOT_ONE:
        return True
    # "another" standing alone before what happens to it ("and another when it's refunded"), or
    # "a second one" ("one confirmation email when it's filed and a second one when it's
    # refunded": answer set 49); "one month and then another month", "one free month and
    # another at half price" count.
    def pair_end(k: int) -> int | None:
        if toks[k].low == "another":
            return k
        if toks[k].low == "second" and toks[k - 1].low in ("a", "the"):
            return k + 1 if k + 1 < len(toks) and toks[k + 1].low == "one" else k
        return None

    return any((e := pair_end(k)) is not None and toks[k].sent == toks[i].sent
               and (e + 1 >= len(toks) or not same_clause(toks, e, e + 1)
                    or toks[e + 1].low in PRONOUN_NEXT)
               for k in range(i + 2, min(len(toks), i + 16)))


# "one" in a set phrase that counts nothing: "let's take it one step at a time", "one by one",
# "one moment" (a practice answer set flagged the first as a count).
_ONE_IDIOMS = (("at", "a", "time"), ("step", "at", "a", "time"), ("by", "one"), ("moment",))


def _idiom_one(toks: list[Tok], i: int) -> bool:
    """A set phrase (_ONE_IDIOMS), or "one X away": how close something is ("the secure line is
    one transfer away", "one click away"), unless X is a time ("one day away" says when); or
    "it's one more device": what was just named is another of them, as "another" says ("If the
    laptop runs on the plan's data, it's simply one more device": answer set 53; "you get one
    more free month" still counts)."""
    before = [t.low for t in toks[max(0, i - 3):i] if t.clause == toks[i].clause]
    if i + 1 < len(toks) and toks[i + 1].low == "more" and same_clause(toks, i, i + 1) and \
            before and before[-1] in ("it's", "that's", "is", "simply", "just") and \
            {"it's", "that's", "it", "that"} & set(before) and not any(
                singular(t.low) in TIME for t in toks[i + 2:i + 4]):  # "one more (full) month"
        return True
    if i + 2 < len(toks) and same_clause(toks, i, i + 2) and toks[i + 2].low == "away" and \
            toks[i + 1].kind == "word" and singular(toks[i + 1].low) not in TIME:
        return True
    return any(i + len(rest) < len(toks) and same_clause(toks, i, i + len(rest))
               and tuple(t.low for t in toks[i + 1:i + 1 + len(rest)]) == rest
               for rest in _ONE_IDIOMS)


def _parse_number(toks: list[Tok], i: int) -> tuple[Decimal, int] | None:
    """The number starting at token i, as (value, index after it), or None."""
    t = toks[i]
    if t.kind == "num":
        if same_clause(toks, i, i + 1) and toks[i + 1].low in SCALES:  # "5 thousand"
            return Decimal(t.low) * SCALES[toks[i + 1].low], i + 2
        return Decimal(t.low), i + 1
    if t.low == "one" and not t.hyphen and (
            i > 0 and toks[i - 1].low in {"no", "some", "any", "every", "each", "which", "this",
                                          "that"}
            or i + 1 < len(toks) and toks[i + 1].low in ("of", "another")):
        return None  # "no one", "one of them": a pronoun, not a count
    if t.low == "one" and not t.hyphen and (
            not same_clause(toks, i, i + 1) or toks[i + 1].low in PRONOUN_NEXT
            or toks[i + 1].low.endswith("ing") and toks[i + 1].kind == "word"):
        return None  # "there is one since ...", "another one when ...", "one confirming it"
    if t.low == "one" and not t.hyphen and (_pronoun_one(toks, i) or _idiom_one(toks, i)):
        return None
    total, cur, prev, j = Decimal(0), Decimal(0), "", i
    if t.low in ("a", "an") and same_clause(toks, i, i + 1) and toks[i + 1].low in SCALES:
        cur, prev, j = Decimal(1), "small", i + 1  # "a hundred", "a dozen"
    # Only well-formed cardinals join ("one hundred and fifty", "twenty-five"); "one two" or
    # "twelve fifty" stay separate numbers, which is the strict reading.
    allowed = {"": NUMBER_WORDS - SCALES.keys(), "small": SCALES.keys(),
               "tens": UNITS.keys() | SCALES.keys(), "scale": SMALL.keys() | {"and", "thousand", "million"},
               "and": SMALL.keys(), "half": set()}
    while j < len(toks) and toks[j].kind == "word" and (j == i or same_clause(toks, j - 1, j)):
        w = toks[j].low
        if w not in allowed[prev] or (w == "and" and not (
                j + 1 < len(toks) and toks[j + 1].low in SMALL)):
            break
        if w in SCALES:
            cur = (cur or 1) * SCALES[w]
            total, cur = (total + cur, Decimal(0)) if SCALES[w] >= 1000 else (total, cur)
            prev = "scale"
        elif w in ("and", "half"):
            cur, prev = (cur, "and") if w == "and" else (Decimal("0.5"), "half")
        else:
            cur, prev = cur + SMALL[w], "tens" if w in TENS else "small"
        j += 1
    return (total + cur, j) if j > i else None


def _unit(toks: list[Tok], k: int, ref: int) -> tuple[str | None, str, int, Decimal]:
    """(unit, kind, tokens it takes, value factor) for the words from token k on."""
    if not same_clause(toks, ref, k):
        return None, "number", 0, Decimal(1)
    if toks[k].kind == "sym" and k + 1 < len(toks) and toks[k + 1].kind == "num" and \
            toks[k + 1].start == toks[k].end:
        return None, "number", 0, Decimal(1)  # "62.50 = $87.50": the sign of the next one
    w, one = toks[k].low, singular(toks[k].low)
    nxt = toks[k + 1].low if same_clause(toks, k, k + 1) else ""
    if w in ("%", "percent", "pct") or (w, nxt) == ("per", "cent"):
        return "percent", "percentage", 2 if w == "per" else 1, Decimal(1)
    if one in CURRENCY or one == "cent":
        return "dollar" if one == "cent" else CURRENCY[one], "amount", 1, Decimal(
            "0.01" if one == "cent" else 1)
    # A time of day ("at 2 am", "by 6 p.m."): a clock reading, not a count of anything, so only
    # a passage's own time of day supports it (a practice answer's "added at 2 am each night"
    # passed as the caller's "two phone lines").
    if w in ("am", "pm") and nxt != "i" or w in ("a", "p") and nxt == "m" and \
            toks[k + 1].start == toks[k].end + 1:  # (not "of those 2 am I right?")
        return w[0] + "m", "number", 1 if w in ("am", "pm") else 2, Decimal(1)
    if w in ("business", "working") and singular(nxt) == "day":
        return "business day", "duration", 2, Decimal(1)
    if one in TIME:
        return TIME[one], "duration", 1, Decimal(1)
    if w in ARITHMETIC:
        return None, "number", 0, Decimal(1)  # "150 minus 62.50": an operand, no unit
    if w == "per":  # ("each", "every" are no content word either)
        return None, "number", 0, Decimal(1)  # "12.50 per full month": a rate's sum, no noun
    if toks[k].kind == "word" and w not in NOT_CONTENT:
        return stem(w), "number", 0, Decimal(1)  # "5 devices": the word stays free for names
    return None, "number", 0, Decimal(1)


def _time_unit_at(toks: list[Tok], k: int) -> bool:
    if k >= len(toks) or toks[k].kind != "word":
        return False
    nxt = singular(toks[k + 1].low) if same_clause(toks, k, k + 1) else ""
    return singular(toks[k].low) in TIME or toks[k].low in ("business", "working") and \
        nxt == "day"


def _past_same_unit(toks: list[Tok], k: int, ref: int) -> int:
    """Where the unit of the number ending at token `ref` starts: token k, or after one or two
    words that do not change a time unit ("5 *full* months", SAME_UNIT)."""
    m = k
    while m < k + 2 and same_clause(toks, ref, m) and toks[m].low in SAME_UNIT:
        m += 1
    return m if m > k and same_clause(toks, ref, m) and _time_unit_at(toks, m) else k


def _denied(toks: list[Tok], lead: int) -> bool:
    """Is the number starting at token `lead` what its clause says there is none of: "no
    one-device limit", "not a 30-day wait", "isn't a 12-month contract"?"""
    before = [t for t in toks[max(0, lead - 2):lead] if t.clause == toks[lead].clause]
    if before and before[-1].low in ("a", "an"):
        before = before[:-1]
    return bool(before) and is_negator(before[-1].low)


# A year said without a numeral where it bounds a time: "after a year", "over a year", "less
# than a year", "in the first year", "once you pass your first year". It is the 12 months a
# passage states, as any number of years is that many twelves of months (below): seven correct
# practice answers of six answer sets were failed on such a year against "the first 12 months".
# Not a rate ("12 dollars a year", "twice a year") nor a time from now or ago ("in a year").
_YEAR_BOUNDS = frozenset("after over within inside under past than into".split())
_YEAR_DETERMINERS = frozenset("a an the your their his her my our".split())


def _bare_year(toks: list[Tok], i: int) -> int | None:
    """The index of the first token of such a year, its comparator left before it, or None."""
    if toks[i].low != "year":
        return None
    k = i
    while k > 0 and toks[k - 1].low in ("full", "whole", "entire") and same_clause(toks, k - 1, i):
        k -= 1
    if k > 0 and toks[k - 1].low == "first" and same_clause(toks, k - 1, i):
        return k  # "first" is the comparator
    if k > 1 and toks[k - 1].low in _YEAR_DETERMINERS and toks[k - 2].low in _YEAR_BOUNDS and \
            same_clause(toks, k - 2, i):
        return k - 1
    return None


def read_numbers(toks: list[Tok]) -> tuple[list[Num], set[int]]:
    """The numbers of a text with their units, and the token indices they take."""
    out: list[Num] = []
    used: set[int] = set()
    i = 0
    while i < len(toks):
        parsed = _parse_number(toks, i)
        year_from = _bare_year(toks, i) if parsed is None else None
        if parsed is None and year_from is None:
            i += 1
            continue
        value, j = parsed or (Decimal(1), i)
        first, k = (i, j) if year_from is None else (year_from, i)
        if k < len(toks) and toks[k].low in ("st", "nd", "rd", "th") and \
                toks[k].start == toks[k - 1].end:
            k += 1  # "1st": an ordinal suffix, not a unit
        if year_from is not None:
            unit, kind, took, factor = _unit(toks, i, i)
        elif i > 0 and (toks[i - 1].kind == "sym" or toks[i - 1].low in CURRENCY_CODES) and \
                toks[i - 1].low in CURRENCY and same_clause(toks, i - 1, i):
            first, (unit, kind, took, factor) = i - 1, (CURRENCY[toks[i - 1].low], "amount", 0,
                                                        Decimal(1))
        else:
            k = _past_same_unit(toks, k, j - 1)
            unit, kind, took, factor = _unit(toks, k, j - 1)
        end = k + took
        if kind == "duration" and unit == "year":
            unit, factor = "month", factor * 12  # "2 years" is "24 months"
        took_before, comparator = next(
            ((n, COMPARATORS[key]) for n in (3, 2, 1)
             if first - n >= 0 and toks[first - n].clause == toks[first].clause
             and (key := tuple(t.low for t in toks[first - n:first])) in COMPARATORS),
            (0, None))
        window = frozenset(stem(toks[m].low) for m in range(j, j + AFTER_PASSAGE)
                           if same_clause(toks, j - 1, m) and toks[m].kind == "word")
        lead = first - took_before
        out.append(Num(format((value * factor).normalize(), "f"), unit, kind, comparator,
                        window, (toks[first].start, toks[end - 1].end), i, toks[i].sent,
                        lead, _denied(toks, lead),
                        any(t.clause == toks[i].clause and is_negator(t.low) for t in toks)))
        # The comparator is checked with the number: it is not what a term is about
        # ("refunded within 5 days" is about the refund's timing, already a fact).
        used.update(range(first - took_before, end))
        i = max(end, i + 1)
    return out, used
