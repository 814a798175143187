"""How the fact-check (copilot/practice/factcheck.py) reads where a fact stands in an answer:
the clause it is in and whether that clause promises something (a benefit term, money back, a
delivery), the time words around a time unit and whether it is said as a rate, a number glued to
the noun it describes ("4-digit PIN"), a promise word used as a noun or after a plain verb, and a
term fact's promise group. Private to copilot.practice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from copilot.knowledge.fact_words import TERM_PHRASES, TERMS
from copilot.knowledge.parse import Passage
from copilot.knowledge.query import STOPWORDS, fold
from copilot.knowledge.verify import BENEFITS, Fact, stem
from copilot.practice.answer_text import _COMPARATOR

# Clause boundaries, as the verifier draws them.
_CLAUSE = re.compile(r"[.!?;:]+(?=\s|$)|\n|[,()\u2013\u2014\"]|\s-\s"
                     r"|\s(?:and|but|so|then|et|mais|donc)\s(?=(?:you|we|i|it|they|your|the|this|"
                     r"that|there|vous|nous|je|j'|on|les|la|le|ce|c')\b)", re.I)
# A promise word used as a noun, and a plain verb before one ("pay no fee"): see
# FactChecker._reread (factcheck.py).
_NOUN_BEFORE = re.compile(r"\b(?:the|your|ur|yr|a|an|my|our|this|that|full|whole|no|any|its|"
                          r"their)\s+$", re.I)
# What a promise noun is for, when the answer says it: "a refund *of the fee*", "a credit *for
# the outage*". Without it the noun only names the topic ("the refund goes back to your card").
_NOUN_OBJECT = re.compile(r"\s+(?:of|for)\b", re.I)
# "Your refund *of 49 dollars*", "ur refund of the $49" say how much, not what it is for: the
# amount is a fact of its own, checked as such (two answer sets flagged "ur refund of 49 bucks
# lands back on ur original payment method" for the words after the amount).
_NOUN_AMOUNT = re.compile(r"\s+(?:of|for)\s+(?:the\s+|your\s+|ur\s+)?(?:[$\u20ac\u00a3]|"
                          r"(?:usd|eur|gbp)\s+)?\d", re.I)
# A number glued to the word after it and, through it, to a noun: "4-digit PIN", "two-factor
# check", "24-hour line", "12-month period". The number describes that noun.
_COMPOUND = re.compile(r"(?:\d+(?:\.\d+)?|[^\W\d_]+)-([^\W\d_]+)(?=\s+([^\W\d_]+))")
_PLAIN_VERB_BEFORE = re.compile(
    r"\b(pay|paying|get|getting|have|receive|see|owe|be|being|is|are)\s+"
    r"(?:(?:no|not|any|a|an|the|your)\s+)?$", re.I)
# The timing words of each timing group, as the verifier reads them (copilot/knowledge/
# fact_words.py: its words and phrases), to find the same timing in a passage.
_TIMING_WORDS = {g: (*(w for w, t in TERMS.items() if t == g),
                     *(" ".join(p) for p, t in TERM_PHRASES.items() if t == g))
                 for g in ("today", "immediately", "tomorrow")}
# "Now" that says no time of ours: the caller's own move in a condition ("the fee would apply if
# you cancel now"), or "currently" after what the company has ("no one-device limit on any plan
# now", "any plan we have now", "there's no cap now"). Eleven correct answers of nine sets were
# failed on it; "I'll file it now", "the refund goes out now" stay timings to check.
_CALLERS_NOW = re.compile(r"\b(?:if|when|once|unless|before|should)\s+you\s+(?:[\w'-]+\s+){1,4}"
                          r"$", re.I)
_CURRENT_NOW = re.compile(r"\b(?:plans?|tariffs?|offers?|(?:we|you)\s+(?:have|offer|sell)"
                          r"|available)\s+$|^\s*there(?:\s+is|\s+are|'s|\s+isn't|\s+aren't)\b",
                          re.I)


def now_is_no_time(text: str, span: tuple[int, int]) -> bool:
    """Is the word at `span` a "now" that promises no time (above)?"""
    if text[span[0]:span[1]].lower() != "now":
        return False
    if re.match(r"\s+that\b", text[span[1]:], re.I):
        return True  # a conjunction: "now that the ticket's filed" (answer set 29)
    if re.match(r",?\s+if\s+you(?:'d)?\s+(?:want|like|wish|prefer)\b", text[span[1]:], re.I):
        return True  # the caller's choice: "we can process it together now if you want" (set 50)
    a, _ = _clause_of(text, span)
    before = text[a:span[0]]
    return bool(_CALLERS_NOW.search(before) or _CURRENT_NOW.search(before)
                and not re.search(r"\b(?:will|'ll|can|going to|gonna)\b", before, re.I))


# Words too general to say what a time phrase is about ("you'll *get* it today").
_GENERIC = frozenset("get gets got getting will would can could be is are was were have has "
                     "had make made go goes going come comes see take takes give gives do does "
                     "done you your we our i my it its this that there here one another also "
                     "just still yes no ok okay sure the and for with when".split())
_RATE = re.compile(r"(?:\b(?P<each>per|each|every)\s+(?:full\s+|single\s+|calendar\s+)?"
                   r"|(?:\d|\b(?:dollars?|euros?|pounds?|percent|once|twice|times))\s+an?\s+)$",
                   re.I)


# The words that make a time unit without a number say something ("per week", "next week", "by
# the end of the day"): shown with it when it is wrong.
_TIME_WORDS_BEFORE = re.compile(
    r"(?:\b(?:per|each|every|a|an|one|next|last|this|that|the|same|end|of|whole|full|within|"
    r"by|in|for|until|till|from)\s+){1,5}$",
    re.I)


def _time_phrase(text: str, span: tuple[int, int]) -> str:
    m = _TIME_WORDS_BEFORE.search(text[:span[0]])
    return text[m.start() if m else span[0]:span[1]]


def enclosing(stops: re.Pattern[str], text: str, span: tuple[int, int]) -> tuple[int, int]:
    """The stretch of `text` around `span` between the matches of `stops` before and after it:
    its clause (_CLAUSE) or its sentence (_SENTENCE_END)."""
    start, end = 0, len(text)
    for m in stops.finditer(text):
        if m.end() <= span[0]:
            start = m.end()
        elif m.start() >= span[1]:
            end = m.start()
            break
    return start, end


def _clause_of(text: str, span: tuple[int, int]) -> tuple[int, int]:
    return enclosing(_CLAUSE, text, span)


def _group(fact: Fact) -> str:
    """A term fact's promise group, without its polarity ("not waive" -> "waive")."""
    parts = fact.key.split()
    return (parts[1] if parts[:1] == ["not"] and len(parts) > 1 else parts[0]) if parts else ""


def _with_comparator(text: str, start: int) -> int:
    """Where a number starting at `start` starts with the comparator before it ("*within* 5")."""
    m = re.search(rf"(?:{_COMPARATOR.pattern})\s+$", text[:start], re.I)
    return m.start() if m else start


def _promise(fact: Fact) -> str:
    """A term fact's promise with its polarity ("not waive", "free"), as term_keys() lists it."""
    parts = fact.key.split()
    return " ".join(parts[:2] if parts[:1] == ["not"] else parts[:1])


def _stems(text: str) -> set[str]:
    timing = {stem(w) for words in _TIMING_WORDS.values() for w in words}
    return {stem(w) for w in re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", fold(text))
            if w not in _GENERIC and len(w) > 2} - timing


def _is_rate(text: str, span: tuple[int, int], facts: Sequence[Fact], strict: bool) -> bool:
    """A bare time unit said as a rate, a policy fact of its own: of a value or a frequency
    right before it ("12.50 dollars a week", "once a month"), or "per / each / every" with
    something in its clause it is the rate of: a value or a policy term ("12.50 dollars off
    every week", "the fee goes down every month"). With nothing to be the rate of ("you can use
    both every day") it is a time phrase. `strict`: every "per / each / every" is a rate (the
    words around it cannot be read: a French answer checked for its values only, or a clause
    that promises something)."""
    m = _RATE.search(text[:span[0]])
    if m is None:
        return False
    if strict or not m.group("each"):
        return True
    a, b = _clause_of(text, span)
    return any(a <= f.span[0] < b and not m.start() <= f.span[0] < span[1] for f in facts)


# Words that make a clause promise money back or a delivery, with no policy term in it ("the
# money will be back tomorrow"): stems, as copilot.knowledge.verify.stem writes them.
_PROMISE_STEMS = frozenset({"money", "fund", "deposit", "revers", "arriv", "deliver",
                            "ship", "complet", "appear", "reimburs", "compensat",
                            # what will happen to the account or the service, and when: "the
                            # payment will show by tonight", "it's processed by Friday", "your
                            # service will be back to normal tonight" (three later answer sets
                            # missed these timings as the agent's own)
                            "show", "process", "apply", "activat", "restor", "reconnect",
                            "unblock", "normal", "post",
                            # French
                            "rembours", "remboursement", "credit", "remis", "gratuit",
                            "virement", "argent", "retour", "apparait", "apparaitra",
                            "apparaitre", "effectue", "traite",
                            # "vous recevrez un e-mail aujourd'hui", "vous verrez la correction ce
                            # soir": what the caller will receive or see, and when (two sets)
                            "recevrez", "recevra", "verrez", "verra"})
# When the company takes, clears or issues something, said as what happens, not as what
# happened: "it's charged the same day you cancel", "we collect it the moment the number
# leaves", "your overdue status will be cleared by tomorrow", "the refund is issued the moment
# the ticket is filed"; not the caller's case ("you were charged twice on the same day"), a
# noun ("the second charge"), nor the caller's wish ("you'd like to clear it today").
_EVENT = re.compile(r"\b(?:(?:is|are|it's|they're|gets?|(?:will|'ll|would|'d) be)\s+(?:\w+ly\s+)?"
                    r"(?:charged|collected|billed|cleared|issued|removed|taken)"
                    r"|(?:we|we'll|we will|it|it'll|it will|they|they'll)\s+(?:\w+ly\s+)?"
                    r"(?:charges?|collects?|bills?|clears?|issues?|removes?)"
                    r"|takes? effect"
                    # what the caller will receive or see, as in French ("vous recevrez"): "you'll
                    # get the confirmation email tomorrow morning" (answer set 49)
                    r"|you(?:'ll| will)\s+(?:\w+ly\s+)?(?:get|receive|see)\b"
                    r"(?!\s+(?:back|through)\b))\b", re.I)
_BACK = re.compile(r"\bback\b", re.I)
_NOT_MONEY_BACK = re.compile(r"\b(?:call|ring|phone|text|email|write|get|come|go|be|"
                             r"report|check|circle)\w* (?:you |me |them |him |her )?back\b"
                             r"(?! (?:on|to|in|into) (?:your|the|my))", re.I)


def _promises(text: str, facts: Sequence[Fact],
              terms_fr: Sequence[tuple[tuple[int, int], str, tuple[str, ...]]]
              ) -> dict[tuple[int, int], bool]:
    """Each clause of the answer, and whether it promises something: a benefit term
    (refund, credit, waive, free...), money back, or a delivery."""
    out: dict[tuple[int, int], bool] = {}
    bounds, start = [], 0
    for m in _CLAUSE.finditer(text):
        bounds.append((start, m.start()))
        start = m.end()
    bounds.append((start, len(text)))
    for a, b in bounds:
        words = text[a:b]
        benefit = any(f.kind == "term" and _group(f) in BENEFITS and a <= f.span[0] < b
                      for f in facts) or any(g in BENEFITS and a <= s[0] < b
                                             for s, g, _ in terms_fr)
        stems = {stem(w) for w in re.findall(r"[^\W\d_]+", words)}
        back = bool(_BACK.search(words)) and not _NOT_MONEY_BACK.search(words)
        out[(a, b)] = (benefit or back or bool(stems & _PROMISE_STEMS)
                       or bool(_EVENT.search(words)))
    return out


# -- quantifiers: "all", "any" (their groups in copilot.knowledge.verify) ----------------------
# They set a rule's scope ("all your late fees", "at any store"), except where the grammar
# gives them none: under a negation, "any" is the negation's ("I haven't written *any* of it
# down", "I won't need *any* card details": no more than "I won't need card details"); in a
# question nothing is stated ("Does that *all* make sense?"); floating after a list of the
# answer's, "all" ranges over that list (copilot/practice/counts.py). Four answer sets written
# apart from the checker flagged these as invented scopes.
QUANTIFIERS = frozenset({"all", "any"})
# A negation of the verb phrase ("won't need any", "no need for any"): not the determiner "no",
# as in "no charge at any store", which still says where (a scope).
# (four words between: "I wouldn't be able to use *any* digits")
_NEGATED = re.compile(r"(?:\b(?:not|no need|never|without|nothing|none|cannot|nor)|n['\u2019]t)"
                      r"\s+(?:[^\s.,;:!?]+\s+){0,4}$", re.I)
_SENTENCE_END = re.compile(r"[.!?]+(?=[\s\"')\u201d]|$)|\n")


def _negated(text: str, span: tuple[int, int]) -> bool:
    """A negation within four words before `span`, in its clause."""
    a, _ = _clause_of(text, span)
    return bool(_NEGATED.search(text[a:span[0]]))


# A tag that turns a statement into a question only for the listener's assent: "You can pay
# at any Northwind store, okay?" still states the rule.
_TAG = re.compile(r",\s*(?:okay|ok|alright|all right|right|yeah|yes|is that ok(?:ay)?|"
                  r"does that (?:help|work|sound good)|you know|sound good)\s*$", re.I)


def _in_question(text: str, span: tuple[int, int]) -> bool:
    """Is `span` in a sentence that ends with a question mark (not a mere tag, _TAG)?"""
    m = _SENTENCE_END.search(text, span[1])
    return m is not None and "?" in m.group() and not _TAG.search(text, span[1], m.start())


# The words a universal quantifier ranges over, read as the passages read them: "*all our*
# plans" and "*every* Northwind plan" range over plans; "all the devices" does not.
_UNIVERSAL = re.compile(r"\b(?:all|every|each|any)\s+", re.I)


# Verbs that end what a quantifier ranges over ("every Northwind plan *allows*"): the range's
# head is the noun before them, never the verb ("all our phones allow" is not about plans).
_RANGE_VERBS = frozenset(stem(w) for w in "allow let include cover come count get give cost "
                         "need qualify work share apply permit support take have offer "
                         "accept provide".split())


def _ranges_over(text: str, end: int) -> tuple[str, ...]:
    """The stems of the content words right after a quantifier ending at `end`, function words
    before them skipped, up to the next function word, verb or punctuation (at most three):
    "all *our* plans let" -> ("plan",), "every Northwind plan allows up" -> ("northwind",
    "plan")."""
    out: list[str] = []
    for w in re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?|[^\w\s]", fold(text[end:end + 80])):
        if not w[0].isalpha() or len(out) == 3 or stem(w) in _RANGE_VERBS:
            break
        if w in STOPWORDS["en"] or w.endswith("'s"):
            if out:
                break
            continue
        out.append(stem(w))
    return tuple(out)


def _same_range(text: str, span: tuple[int, int], passage: str) -> bool:
    """Does a passage quantify over what the answer's universal quantifier at `span` does: the
    last word it ranges over (its head) among the words one of the passage's every / each /
    all / any ranges over?"""
    said = _ranges_over(text, span[1])
    return bool(said) and any(said[-1] in _ranges_over(passage, m.end())
                              for m in _UNIVERSAL.finditer(passage))


def rate_in(passages: Iterable[Passage], unit: str) -> tuple[str, ...]:
    """Passages that say a value per `unit` ("12.50 per full month", "once a year")."""
    rate = re.compile(rf"\b(?:per|each|every)\s+(?:full\s+)?{re.escape(unit)}s?\b"
                      rf"|(?:\d|dollars?|euros?|percent|once|twice)\s+an?\s+"
                      rf"{re.escape(unit)}\b")
    return tuple(p.id for p in passages if rate.search(fold(p.full_text)))


# "The moment" of an event, a conjunction: "you'll get one the moment it's filed" says what a
# passage's "when the ticket is filed" says (answer set 18, once "you'll get" made the clause a
# promise), when what happens and what it waits for are the passage's both ("the refund is
# issued the moment the ticket is filed" is not: answer set 32).
_AT_THE_MOMENT_OF = re.compile(r"\bthe (?:moment|instant|minute|second)(?= (?:it|it's|the|your"
                               r"|you|we|they|that|this)\b)", re.I)


def _same_moment(clause: str, moment: re.Match[str], part: str) -> bool:
    when = re.search(r"\b(?:when|once)\b", part)
    head = clause[:moment.start()]
    # (what the caller gets is what a passage says they receive)
    got = {"receiv"} if re.search(r"\bget(?:s|ting)?\b", head, re.I) else set()
    return when is not None and \
        bool((_stems(head) | got) & _stems(part[:when.start()])) and \
        bool(_stems(clause[moment.end():]) & _stems(part[when.end():]))


def timing_in(passages: Iterable[Passage], group: str, clause: str) -> tuple[str, ...]:
    """Passages that give this timing to what the answer's clause is about: the same timing
    word in a clause of the passage sharing a word with the answer's ("you'll get a
    confirmation email *today*": BILL-01's email, not its refund)."""
    about = _stems(clause)
    words = _TIMING_WORDS.get(group, (group,))
    moment = _AT_THE_MOMENT_OF.search(clause) if group == "immediately" else None
    out = []
    for p in passages:
        for part in re.split(r"[.;:,]\s*|\s+and\s+", fold(p.full_text)):
            if any(re.search(rf"\b{w}\b", part) for w in words) and about & _stems(part) \
                    or moment and _same_moment(clause, moment, part):
                out.append(p.id)
                break
    return tuple(out)
