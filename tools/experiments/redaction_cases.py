"""The cases of tools/experiments/redaction_probe.py, first part: the test cards, how a caller
reads them as Whisper writes them, and calls of one card read in one caption, in pieces, with
partials growing, corrected and read again. Each case is added to CASES with add()."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from copilot.privacy import luhn_ok

# ---------------------------------------------------------------------------------------------
# cards


def luhn_complete(prefix: str) -> str:
    for d in "0123456789":
        if luhn_ok(prefix + d):
            return prefix + d
    raise AssertionError


CARDS = {
    "visa16": ("4111111111111111", (4, 4, 4, 4)),
    "mc": ("5555555555554444", (4, 4, 4, 4)),
    "amex": ("378282246310005", (4, 6, 5)),
    "disc": ("6011000990139424", (4, 4, 4, 4)),
    "visa2": ("4012888888881881", (4, 4, 4, 4)),
    "jcb": ("3530111333300000", (4, 4, 4, 4)),
    "visa13": ("4222222222222", (4, 4, 5)),
    "c19": (luhn_complete("622126123456789012"), (4, 4, 4, 4, 3)),
}
for _c, _g in CARDS.values():
    assert luhn_ok(_c) and sum(_g) == len(_c), _c
CODE = "737"
EXP = "0428"

UNIT = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
UNIT_OH = ["oh"] + UNIT[1:]
TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen"]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
HOMO = {"4": "for", "2": "to", "8": "ate"}


def pair_word(p: str) -> str:
    if len(p) == 1:
        return UNIT_OH[int(p)]
    a, b = int(p[0]), int(p[1])
    if a == 0:
        return f"oh {UNIT_OH[b]}"
    if a == 1:
        return TEENS[b]
    return TENS[a] + ("" if b == 0 else "-" + UNIT[b])


def repeat_words(g: str, units=UNIT_OH) -> str:
    out, i = [], 0
    while i < len(g):
        j = i
        while j < len(g) and g[j] == g[i]:
            j += 1
        n = j - i
        w = units[int(g[i])]
        while n >= 3:
            out.append(f"triple {w}")
            n -= 3
        if n == 2:
            out.append(f"double {w}")
        elif n == 1:
            out.append(w)
        i = j
    return " ".join(out)


def group_styles(g: str, gi: int) -> dict[str, str]:
    """Ways Whisper may write one group g (gi: its index in the number)."""
    pairs = [g[i:i + 2] for i in range(0, len(g), 2)]
    s = {
        "typed": g,
        "words": " ".join(UNIT[int(c)] for c in g),
        "words_oh": " ".join(UNIT_OH[int(c)] for c in g),
        "words_hy": "-".join(UNIT_OH[int(c)] for c in g),
        "pairs": " ".join(pair_word(p) for p in pairs),
        "repeats": repeat_words(g),
        "spaced": " ".join(g),
        "dashed1": "-".join(g),
        "typed_pairs": " ".join(pairs),
        "homo": (HOMO[g[0]] + " " + " ".join(UNIT_OH[int(c)] for c in g[1:]))
        if g[0] in HOMO else " ".join(UNIT_OH[int(c)] for c in g),
        "homo_typed": (HOMO[g[0]] + " " + g[1:]) if g[0] in HOMO else g,
        "mixed": g if gi % 2 == 0 else " ".join(UNIT_OH[int(c)] for c in g),
        "mixed2": " ".join(pair_word(p) for p in pairs) if gi % 2 == 0 else g,
    }
    return s


SEPS = {"sp": " ", "comma": ", ", "dash": "-", "dot": ". ", "none": "", "ellipsis": "... ",
        "semi": "; ", "um": ", um, ", "okay": " okay "}
# separator only meaningful for typed groups; for word styles ' ' / ', ' / '. ' / '... '
WORD_SEPS = ["sp", "comma", "dot", "ellipsis", "um", "okay"]
TYPED_SEPS = list(SEPS)


def render_groups(card: str, groups, style: str) -> list[str]:
    out, pos = [], 0
    for gi, n in enumerate(groups):
        out.append(group_styles(card[pos:pos + n], gi)[style])
        pos += n
    return out


def regroup(card: str, sizes) -> tuple[int, ...]:
    assert sum(sizes) == len(card)
    return tuple(sizes)


@dataclass
class Case:
    name: str
    events: list  # ("final", t, channel, text) | ("partial", t, channel, text) | ("wait", t)
    cards: list[str]
    secrets: list[str] = field(default_factory=list)
    hold: float = 4.0
    eye: bool = False  # print outputs for judgement by eye


# ---------------------------------------------------------------------------------------------
# case generators

CASES: list[Case] = []


def add(name, events, cards, secrets=(), hold=4.0, eye=False):
    CASES.append(Case(name, list(events), list(cards), list(secrets), hold, eye))


PREFIXES = ["", "It's ", "My card number is ", "Sure, it's ", "Yeah, um, ", "Okay so the number is ",
            "Let me read it. ", "The long number on the front is "]
SUFFIXES = ["", ".", "?", " okay?", ", that's it."]
STYLES = ["typed", "words", "words_oh", "words_hy", "pairs", "repeats", "spaced", "dashed1",
          "typed_pairs", "homo", "homo_typed", "mixed", "mixed2"]


def gen_single_caption():
    """Whole card in one final caption (and grown as partials word by word)."""
    for cname, (card, groups) in CARDS.items():
        for style in STYLES:
            seps = (TYPED_SEPS if style == "typed" else
                    [x for x in TYPED_SEPS if x not in ("none", "dash")]
                    if style in ("homo_typed", "mixed", "mixed2") else WORD_SEPS)
            for sep in seps:
                parts = render_groups(card, groups, style)
                body = SEPS[sep].join(parts)
                for pre, suf in itertools.product(PREFIXES[:4], SUFFIXES[:3]):
                    text = pre + body + suf
                    add(f"single/{cname}/{style}/{sep}/{pre!r}/{suf!r}",
                        [("final", 0.0, "customer", text)], [card])
                # partials growing word by word
                text = PREFIXES[2] + body
                words = text.split(" ")
                evs = [("partial", 0.1 * i, "customer", " ".join(words[:i]))
                       for i in range(1, len(words) + 1)]
                evs.append(("final", 0.1 * len(words) + 0.2, "customer", text + "."))
                add(f"partials/{cname}/{style}/{sep}", evs, [card])
    # regroupings Whisper may produce
    odd = {
        "visa2": [(3, 3, 3, 3, 4), (5, 5, 6), (8, 8), (6, 6, 4), (2,) * 8, (4, 12), (12, 4),
                  (1,) * 16, (4, 3, 5, 4)],
        "amex": [(4, 4, 4, 3), (5, 5, 5), (3,) * 5, (10, 5), (4, 11), (2, 2, 2, 2, 2, 2, 3)],
        "disc": [(3, 3, 3, 3, 4), (8, 8), (2,) * 8],
        "c19": [(4, 4, 4, 4, 3), (3, 4, 4, 4, 4), (6, 6, 7), (4,) * 4 + (3,)],
        "visa13": [(4, 4, 5), (3, 3, 3, 4), (1,) * 13, (4, 9)],
    }
    for cname, gl in odd.items():
        card = CARDS[cname][0]
        for groups in gl:
            for style in ("typed", "words_oh", "pairs", "typed_pairs"):
                for sep in ("sp", "comma", "dash", "dot"):
                    body = SEPS[sep].join(render_groups(card, groups, style))
                    add(f"regroup/{cname}/{groups}/{style}/{sep}",
                        [("final", 0.0, "customer", "It's " + body + ".")], [card])


GAPS = [1.0, 2.5, 3.9, 4.2, 6.0, 10.0, 19.0, 25.0, 40.0, 55.0, 75.0]
AGENT_BETWEEN = [None, "Mm-hm.", "Okay, go on.", "Yep.", "Sorry, can you repeat that?",
                 "And the next four?"]


def gen_split():
    """Card split over 2-4 final captions, pauses around the hold, agent captions between."""
    for cname in ("visa2", "mc", "amex", "disc", "jcb", "c19", "visa13"):
        card, groups = CARDS[cname]
        for style in ("typed", "words_oh", "pairs", "homo", "repeats", "mixed", "typed_pairs",
                      "spaced"):
            parts = render_groups(card, groups, style)
            n = len(parts)
            cuts_all = []
            for k in (1, 2, 3):
                cuts_all += list(itertools.combinations(range(1, n), k))
            for cuts in cuts_all:
                pieces, prev = [], 0
                for c in list(cuts) + [n]:
                    pieces.append(" ".join(parts[prev:c]))
                    prev = c
                for gap in GAPS:
                    for agent in AGENT_BETWEEN[:3] if gap >= 4 else AGENT_BETWEEN[:2]:
                        for pre in ("", "My card number is ", "Yeah it's "):
                            evs, t = [], 0.0
                            for i, p in enumerate(pieces):
                                txt = (pre if i == 0 else "") + p + ("." if i == len(pieces) - 1 else "")
                                evs.append(("final", t, "customer", txt))
                                if agent and i < len(pieces) - 1:
                                    evs.append(("final", t + 0.5, "agent", agent))
                                t += gap
                            add(f"split/{cname}/{style}/{cuts}/gap{gap}/{agent}/{pre!r}", evs,
                                [card])
    # mid-group cuts ("4012 88" | "88 8888 1881")
    card = CARDS["visa2"][0]
    for cut in range(2, 16):
        for gap in GAPS:
            for fmt in ("typed", "words_oh"):
                a, b = card[:cut], card[cut:]
                if fmt == "typed":
                    ta, tb = a, b
                else:
                    ta = " ".join(UNIT_OH[int(x)] for x in a)
                    tb = " ".join(UNIT_OH[int(x)] for x in b)
                add(f"midcut/{cut}/{fmt}/gap{gap}", [("final", 0, "customer", "It's " + ta),
                                                     ("final", gap, "customer", tb + ".")], [card])


def gen_growing_partials_split():
    """Partials word by word while the call has a held first half (session path)."""
    for cname in ("visa2", "mc", "amex", "disc"):
        card, groups = CARDS[cname]
        for style in ("typed", "words_oh", "pairs", "homo"):
            parts = render_groups(card, groups, style)
            first = " ".join(parts[:2])
            rest = " ".join(parts[2:])
            for gap in (1.0, 3.0, 6.0, 12.0):
                evs = [("final", 0.0, "customer", "Card number is " + first)]
                words = rest.split(" ")
                for i in range(1, len(words) + 1):
                    evs.append(("partial", gap + 0.1 * i, "customer", " ".join(words[:i])))
                evs.append(("final", gap + 0.1 * len(words) + 0.2, "customer", rest + "."))
                add(f"partsplit/{cname}/{style}/gap{gap}", evs, [card])


def gen_corrections_and_rereads():
    c = CARDS["visa2"][0]  # 4012888888881881
    wrong = "4012888888881882"
    m = CARDS["mc"][0]
    texts = [
        "4012 8888, no sorry, 4012 8888 8888 1881.",
        "4012 8888 8888 1882, no wait, 1881.",
        "4012 8888 8888 1881. I'll repeat, 4012 8888 8888 1881.",
        "four oh one two eight eight eight eight, sorry, four oh one two, eight eight eight eight, "
        "eight eight eight eight, one eight eight one",
        "It's 4012 8888 8888 1881, no, sorry, that's my old card, the new one is 5555 5555 5555 4444.",
        "4012 88, sorry, 4012 8888 8888 1881",
        "4012 8888 8888 18... 1881",
        "40128888 88881881",
        "4012888888881881",
        "4012-8888-8888-1881",
        "4012.8888.8888.1881",
        "4012/8888/8888/1881",
        "4012 - 8888 - 8888 - 1881",
        "(4012) 8888 8888 1881",
        "#4012 8888 8888 1881",
        "4012 8888 8888 1881 and it's a Visa",
        "4,012,888,888,881,881",
        "4 012 888 888 881 881",
        "40 12 88 88 88 88 18 81",
        "4012 then 8888 then 8888 then 1881",
        "4012 and 8888 and 8888 and 1881",
        "4012, uh, hold on, 8888, 8888, 1881",
        "4012. Yes. 8888. Yes. 8888. Yes. 1881.",
        "4012, 8888, let me see, 8888, 1881",
        "4012 8888 8888 1881 expires 04/28 and the CVV is 737",
        "4012 888 888 881 881",
        "4012 8888 888 81881",
        "four thousand twelve, eight eight eight eight, eight eight eight eight, eighteen eighty-one",
        "forty twelve eighty-eight eighty-eight eighty-eight eighty-eight eighteen eighty-one",
        "for 012 8888 8888 1881",
        "for oh one two, ate ate ate ate, ate ate ate ate, one ate ate one",
        "4012 ate 888 8888 1881",
        "4012 8888 ate 888 1881",
        "40 12 ate ate 88 8888 1881",
        "Four zero one two. Eight eight eight eight. Eight eight eight eight. One eight eight one.",
        "FOUR ZERO ONE TWO EIGHT EIGHT EIGHT EIGHT EIGHT EIGHT EIGHT EIGHT ONE EIGHT EIGHT ONE",
        "4 0 1 2 8 8 8 8 8 8 8 8 1 8 8 1",
        "4-0-1-2-8-8-8-8-8-8-8-8-1-8-8-1",
        "four, zero, one, two, eight, eight, eight, eight, eight, eight, eight, eight, one, eight, eight, one",
        "40128888 88881881 expires 0428",
        "4012 8888 8888 1881 1881",
        "4012 8888 8888 1881 737",
        "4012 8888 8888 1881 0428 737",
        "It ends in 1881 and starts with 4012 8888",
        "The first four are 4012, the next 8888, then 8888, then 1881.",
        "the first eight digits are 4012 8888",
        "ending 1881, the full number is 4012 8888 8888 1881",
        "the card ending 4012 8888",
        "my account number, I mean my card number, is 4012 8888 8888 1881",
        "4012 triple eight, eight triple eight eight, 1881",
        "40 twelve 88 88 88 88 18 81",
        "four zero one two eight eight eight eight eight eight eight eight one eight eight two",
        "4012 8888 8888 188",
        "4012 8888 8888 18",
        "012 8888 8888 1881",
        "4012 8888 8888 1881.",
    ]
    for i, t in enumerate(texts):
        add(f"oneliner/{i}", [("final", 0.0, "customer", t)], [c, m, wrong[:-1] + "2"],
            [CODE, EXP])
        words = t.split(" ")
        add(f"oneliner-partials/{i}",
            [("partial", 0.1 * j, "customer", " ".join(words[:j])) for j in range(1, len(words) + 1)],
            [c, m], [CODE, EXP])
    # correction over captions
    for gap in (1.0, 3.0, 5.0, 8.0):
        add(f"correction-split/gap{gap}", [
            ("final", 0, "customer", "4012 8888"),
            ("final", gap, "customer", "no sorry, 4012 8888"),
            ("final", 2 * gap, "customer", "8888 1881"),
        ], [c])
        add(f"reread-by-agent/gap{gap}", [
            ("final", 0, "customer", "4012 8888 8888 1881"),
            ("final", gap, "agent", "So that's 4012 8888 8888 1881?"),
            ("final", 2 * gap, "customer", "Yes."),
        ], [c])
        add(f"reread-by-agent-split/gap{gap}", [
            ("final", 0, "customer", "4012 8888 8888 1881"),
            ("final", gap, "agent", "Let me read it back, 4012"),
            ("final", 2 * gap, "agent", "8888 8888"),
            ("final", 3 * gap, "agent", "1881, correct?"),
        ], [c])
        add(f"reread-by-agent-words/gap{gap}", [
            ("final", 0, "customer", "four oh one two eight eight eight eight"),
            ("final", gap, "customer", "eight eight eight eight one eight eight one"),
            ("final", 2 * gap, "agent", "Four oh one two, eight eight eight eight, is that right?"),
        ], [c])
        add(f"read-twice-split/gap{gap}", [
            ("final", 0, "customer", "4012 8888"), ("final", gap, "customer", "8888 1881"),
            ("final", 2 * gap, "agent", "Can you repeat it?"),
            ("final", 3 * gap, "customer", "4012 8888"), ("final", 4 * gap, "customer", "8888 1881"),
        ], [c])
        add(f"wrong-then-right/gap{gap}", [
            ("final", 0, "customer", "4012 8888"), ("final", gap, "customer", "8888 1882"),
            ("final", 2 * gap, "agent", "That didn't go through, can you repeat it?"),
            ("final", 3 * gap, "customer", "4012 8888"), ("final", 4 * gap, "customer", "8888 1881"),
        ], [c, "4012888888881882"])
