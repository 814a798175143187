"""A count that tallies what the answer itself lists, and "all" said over such a list.

"There are two ways to pay: the Northwind app, or our automated secure payment line", "you'll
get two emails: one when the ticket is filed and one when the refund is issued", "the tablet
and the phone make 2 devices": the number counts the items the answer lists right there, after
a colon or as the subject of "are / is / make / comes to". It is no policy figure of its own
when the call says as many: one of the call's lists (a sentence of its passages, the caller's
details or statements: "only through the automated secure payment line (...) or the Northwind
app", "a confirmation email when ... and another when ...", "a phone and a new tablet") has as
many items, matching the answer's one to one (a content word in common), and each item of the
answer is something the call names. The count is then a *tally* (a status of
copilot/practice/factcheck.py: neither a policy value to list nor a wrong one), and each item
is judged as the rest of the answer is (its values, promise words, invented rules). Five answer
sets written apart from the checker flagged twelve correct answers for such counts. A count
may point back at the list just said ("your account number and your PIN? Not the card, just
*those two*"), and a clause opening a sentence is none of its list's items ("Before discussing
account details, verify the caller with the account number and the 4-digit account PIN" lists
two things: six correct answers of six sets, stop 47). Still
checked as a value:

- a count of what the answer does not list ("you get two free replacements a year", "you can
  pay two ways"), unless it counts ways of doing a thing (ways, options, routes, methods,
  choices) and a sentence of the call offers as many alternatives ("... or ...") with two
  content words in common with the count's sentence or the one before ("one of the two ways we
  take card payments": five correct answers of five answer sets, stop 41);
- a count its own list does not bear out ("three emails: one now and one when it's issued");
- a list longer than the call's ("three emails: ..., and one when the money is back" where the
  passage lists two), or with an item the call does not name ("three ways to pay: the app, the
  secure line or a store").

An item is *named by the call* when its content words are the call's, allowing one word of the
trainee's own beside at least two of the call's ("the fee is 87.50 dollars *at this point*"),
as invented_rules allows one unsaid word in a rule.

Likewise "all" floating right after such a list ("your phone, the tablet and the kids' phones
*all* count toward that total") ranges over the items listed, not over a policy's scope: it
sets no scope of its own (factcheck.py drops it, as it drops a quantifier in a question).

Private to copilot.practice.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence

from copilot.knowledge.fact_words import NUMBER_WORDS
from copilot.knowledge.query import STOPWORDS, fold
from copilot.knowledge.verify import Fact, stem
from copilot.practice.answer_clauses import _SENTENCE_END, _in_question, _negated, enclosing

__all__ = ["Vocabulary", "definite_one", "floating_over_list", "labels", "pronoun_one",
           "scope_free", "tallies"]

# Between a count and the colon that opens its list: a few words, no other clause ("two ways
# to pay by card:", "two emails:").
_TO_COLON = re.compile(r"(?:\s+[^\W\d_][\w'\u2019-]*){0,6}\s*:", re.I)
# A count governed by one of these states a limit or an allowance, not a tally of its list: "your
# plan allows 2 devices: your phone and the tablet" says what the policy allows.
# ("let's count" is no "lets": "let us")
_LIMIT = re.compile(r"\b(?:allow\w*|permit\w*|lets?(?!['\u2019])|letting|cover\w*|includ\w*|entitle\w*|"
                    r"can\s+(?:have|add|use|get|bring|take|keep)|limit\w*|max\w*|up\s+to|"
                    r"at\s+most|no\s+more\s+than)\b", re.I)
# The verb that makes a count the total of a list said before it: "the tablet and the phone
# *make* 2 devices", "your phone plus the tablet *is* 2", "... *come to* 2", "your phone and
# tablet *count as* 2 devices" (answer set 55).
_COPULA = re.compile(r"\s+(?:together\s+|both\s+)?(?:are|is|make|makes|comes? to|adds? up to"
                     r"|counts? as|amounts? to|=)"
                     r"\s+(?:just\s+|only\s+|simply\s+)?$|\s*=\s*$", re.I)
# Or the list said first and its count after a colon: "Phone, tablet and watch: 3 devices"
# (answer set 56).
_COLON_AFTER_LIST = re.compile(r"\s*:\s*$")
# A count that points back at the list just said: "your account number and your PIN? Not your
# card, just *those two*".
_THOSE = re.compile(r"\b(?:those|these)\s+$", re.I)
# The last coordinator of a list ("A, B(,) and C", "A or B", "A plus B", "A + B").
_LAST_JOIN = re.compile(r",?\s+(?:and|or|plus|&|\+)\s+(?!.*,?\s+(?:and|or|plus|&|\+)\s+)",
                        re.I | re.S)
# A comma piece that continues the item before it rather than starting one ("the secure line,
# *which* is option 3 from the main menu, or the app").
_CONTINUES = re.compile(r"(?:which|who|whose|where|when|that|as|so|because|since|if|though)\b",
                        re.I)
# A sentence's opening clause, set off by a comma before what it says ("Before discussing account
# details, ...", "If you cancel, ...").
_OPENING = re.compile(r"(?:before|after|when|whenever|if|once|unless|while|since|because|as|to"
                      r"|for|in|within|during|until)\b", re.I)
# Words that make a piece a clause, not a noun phrase, in a list said before its count.
_VERBISH = frozenset("is are was were be been am have has had 've 're 's got get gets can could "
                     "will would 'll may might must should do does did don't".split())
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
_NUMBER_WORDS = frozenset(NUMBER_WORDS)


class Vocabulary:
    """The content words (stems) the call uses and the lists it gives: its passages, the
    caller's details and what the caller stated."""

    def __init__(self, texts: Iterable[str]):
        texts = list(texts)
        self.stems = frozenset(s for t in texts for s in _content(t))
        chunks = [c for t in texts for c in re.split(r"[.!?;]+(?=\s|$)|\n", t)]
        # each list of the call's sentences, as its items' content words ("only through the
        # automated secure payment line (...) or the Northwind app", "a phone and a new tablet")
        self.lists = [items for chunk in chunks
                      if len(items := [_content(i) for i in _items(chunk)]) >= 2]
        # each of the call's "... or ..." lists: how many alternatives it offers, and its
        # sentence's content words ("only through the automated secure payment line (...) or
        # the Northwind app": two)
        self.choices = [(len(items), _content(chunk)) for chunk in chunks
                        if (m := _LAST_JOIN.search(_FILLER.sub(" ", chunk)))
                        and "or" in m.group(0).lower() and len(items := _items(chunk)) >= 2]

    def offers_as_many(self, n: int, about: str) -> bool:
        """Does one of the call's lists of alternatives offer `n`, in a sentence that shares two
        content words with `about` (the count's own words and the sentence before: "card
        payments ... three ways" is not the call's "never ask for a full card number, a card
        security code, or ...")?"""
        words = _content(about)
        return any(k == n and len(words & chunk) >= 2 for k, chunk in self.choices)

    def lists_as_many(self, items: Sequence[str]) -> bool:
        """Does one of the call's lists have as many items as `items`, each matching one of
        them (a content word in common), one to one?"""
        said = [_content(i) for i in items]
        return len(said) <= 6 and any(len(lst) == len(said) and any(
            all(said[i] & lst[j] for i, j in enumerate(order))
            for order in itertools.permutations(range(len(lst)))) for lst in self.lists)

    def names(self, item: str, *, strict: bool = False) -> bool:
        """Is a listed item something the call names (module docstring)? `strict`: every
        content word the call's (an enumerated item is a clause, and a clause has room for an
        invented channel beside two of the call's words: "two, pay at any Northwind store")."""
        words = _content(item)
        known = len(words & self.stems)
        unsaid = len(words - self.stems)
        return known >= 1 and (unsaid == 0 or unsaid == 1 and known >= 2 and not strict)


def _content(text: str) -> set[str]:
    return {stem(w.removesuffix("'s")) for w in _WORD.findall(fold(text).replace("\u2019", "'"))
            if len(w) > 2 and w not in STOPWORDS["en"] and w not in _NUMBER_WORDS}


# A filler set off by commas inside a list ("the, erm, automated secure payment line, or, you
# know, the Northwind app"): it and its commas go, or it reads as an item of its own.
_FILLER = re.compile(r",?\s*\b(?:u+m+|u+h+|e+r+m+|er|a+h+|like|you know|i mean)\b\s*,", re.I)


def _items(text: str) -> list[str]:
    """The items of a list: split at its last coordinator, then at the commas before it, a
    piece that continues the one before it (a relative clause) staying with it."""
    text = _FILLER.sub(" ", text).strip().rstrip(",")
    m = _LAST_JOIN.search(text)
    if m is None:
        return [text] if text else []
    head, last = text[:m.start()], text[m.end():]
    items: list[str] = []
    pieces = re.split(r",\s*", head)
    # A clause that opens the sentence before the list is none of its items ("Before discussing
    # account details, verify the caller with the account number and the 4-digit account PIN":
    # two items, not three).
    if len(pieces) > 1 and _OPENING.match(pieces[0].strip()):
        pieces = pieces[1:]
    for piece in pieces:
        if items and (_CONTINUES.match(piece.strip()) or not piece.strip()):
            items[-1] += ", " + piece
        else:
            items.append(piece)
    return [i.strip() for i in [*items, last] if i.strip()]


def _sentence(text: str, span: tuple[int, int]) -> tuple[int, int]:
    return enclosing(_SENTENCE_END, text, span)


def _noun_phrase(piece: str) -> bool:
    words = piece.lower().replace("\u2019", "'").split()
    return 0 < len(words) <= 4 and not any(
        w in _VERBISH or "'" in w and w[w.index("'"):] in _VERBISH for w in words)


def _subject_list(text: str) -> list[str]:
    """The list a clause opens with, when all of it is a list of short noun phrases ("your
    phone, the tablet and the kids' phones"); [] otherwise."""
    # (after a colon, a semicolon or a dash: "no - a phone and a tablet")
    items = _items(re.split(r"[:;]|\s[-\u2013\u2014]\s", text)[-1])
    return items if len(items) >= 2 and all(_noun_phrase(i) for i in items) else []


def tallies(text: str, facts: Sequence[Fact], said: Vocabulary,
            caller: Vocabulary | None = None) -> set[tuple[int, int]]:
    """The spans of the numbers of `text` that tally a list the answer gives, each item named
    by the call (module docstring). `caller`: the caller's own details and words; a list of the
    caller's own things, every content word of each item the caller's ("phone, tablet and
    laptop are three devices"), is counted on the caller's situation, not on a policy, and
    needs no list of the call as long."""
    out = set()
    for f in facts:
        if f.kind != "number" or f.value is None or not f.value.isdigit() \
                or f.key.split()[0] != f.value:  # a comparator: "up to 2" is a limit
            continue
        a, b = _sentence(text, f.span)
        if _LIMIT.search(text, a, f.span[0]):
            continue
        colon = _TO_COLON.match(text, f.span[1], b)
        if colon:
            items = _items(text[colon.end():b])
        elif _THOSE.search(text, a, f.span[0]):
            # the list ends the sentence before (what precedes it in that sentence is no item)
            items = _items(text[_sentence(text, (max(a - 1, 0), a))[0]:a])[-int(f.value):]
        else:
            before = _COPULA.search(text[a:f.span[0]]) or \
                _COLON_AFTER_LIST.search(text[a:f.span[0]])
            items = _subject_list(text[a:a + before.start()]) if before else []
        if 2 <= len(items) == int(f.value) and (
                all(said.names(i) for i in items) and said.lists_as_many(items)
                or caller is not None and all(caller.names(i, strict=True) for i in items)):
            out.add(f.span)
            continue
        marks = _enumerated(text, f.span[1], int(f.value))
        if marks and all(said.names(i, strict=True) for i, _ in marks) and (
                _ANSWERS_OWN.match(text, f.span[1]) or said.lists_as_many([i for i, _ in marks])):
            out.add(f.span)
            out.update(span for _, span in marks)  # "two, open the app": a marker, no count
            continue
        if _TO_REMEMBER.match(text, f.span[1]):
            out.add(f.span)
            continue
        # "two ways to pay", "one of the two options": the call's own choice, unless the answer
        # lists them with one the call does not name ("two options: ...; two, pay in a store")
        listed = [*(items if colon else []), *(i for i, _ in marks)]
        # (the ways named in the sentence after the count too: "There are two ways. You can dial
        # into the secure payment line ... Or you can pay in the Northwind app": answer set 54)
        after = _sentence(text, (b + 1, b + 1))[1] if b + 1 < len(text) else b
        if _ALTERNATIVES.match(text, f.span[1]) and said.offers_as_many(
                int(f.value), text[_sentence(text, (max(a - 1, 0), a))[0]:after]) and \
                all(said.names(i, strict=True) for i in listed):
            out.add(f.span)
    return out


# The markers of an answer's own enumeration, in order ("first, ...; second, ...", "One, the
# fee: ... Two, your number: ..."): at the start of a clause, followed by a comma, colon or
# bracket.
_ORDINALS = (r"first(?:ly)?|one|1", r"second(?:ly)?|two|2", r"third(?:ly)?|three|3",
             r"fourth(?:ly)?|four|4")
_MARKER = r"(?:^|(?<=[,:;.!?])\s*|(?<=\band)\s+)\s*({})\s*[,:)]"
# What counts the answer's own structure ("two things to keep in mind", "two steps"), not a
# policy's ("two ways to pay", "two options": the call must list as many, as for a list).
_ANSWERS_OWN = re.compile(r"\s+(?:\w+\s+)?(?:things?|steps?|points?|parts?|stages?|details?|"
                          r"numbers?)\b", re.I)
# Ways of doing a thing, counted: as many as a list of alternatives the call gives ("two ways to
# pay", "the two safe routes", "one of the two ways we take card payments").
# ("one of the two places we take card payments": answer set 57)
_ALTERNATIVES = re.compile(r"\s+(?:\w+\s+)?(?:ways?|options?|routes?|methods?|choices?|places?)\b",
                           re.I)
# What the answer asks the caller to remember, counted: the answer's own structure even with no
# enumeration after it ("Two numbers to keep in mind. Any Northwind plan: up to 5 devices ...":
# answer set 56); each thing is checked where it is said.
_TO_REMEMBER = re.compile(r"\s+(?:\w+\s+)?(?:things?|points?|numbers?|figures?|details?)\s+"
                          r"(?:to\s+(?:keep|bear)\s+in\s+mind|to\s+remember|to\s+note"
                          r"|worth\s+(?:knowing|noting|remembering))\b", re.I)
# How far after the count an enumeration may run (a few sentences).
_ENUM_REACH = 400


# A label the answer puts before each step of its own ("Step one: ...", "1) ... 2) ...", "one,
# ...; two, ..."), at the start of a clause: it numbers the answer's sentences, it states no
# figure. Only a run that starts at one and goes up in order is read so.
_LABEL = r"(?:^|(?<=[,:;.!?(])|(?<=\band))\s*(?:step\s+)?({})\s*[,:)]"


def labels(text: str) -> set[tuple[int, int]]:
    """The spans of the labels of the answer's own steps (above): two or more, in order, from
    one. The steps themselves are judged as the rest of the answer is. Three answer sets
    flagged seven correct answers for them."""
    pos, found = 0, []
    for ordinal in _ORDINALS:
        m = re.compile(_LABEL.format(ordinal), re.I).search(text, pos)
        if m is None:
            break
        found.append((m.start(1), m.end(1)))
        pos = m.end()
    return set(found) if len(found) >= 2 else set()


def _enumerated(text: str, start: int, n: int) -> list[tuple[str, tuple[int, int]]]:
    """The items of an enumeration of `n` marked items the answer gives right after a count
    ("There are two steps, in this order: first, ...; second, ..."), each with its marker's
    span; [] when there is none, or more markers than `n`. Such a count tallies the answer's
    own structure: each item is still judged as the rest of the answer is, and must be named by
    the call in every content word (a clause has room for an invented channel beside two of
    the call's words: "two, pay in a Northwind store"). Two answer sets flagged five correct
    answers for such enumerations; the strict naming lets one of them pass ("two steps: first,
    your new carrier *requests* ...; second, you *wait* until ..." still counts as a figure)."""
    if not 2 <= n <= len(_ORDINALS):
        return []
    window = text[start:start + _ENUM_REACH]
    pos, found = 0, []
    for k in range(n + 1):
        if k == len(_ORDINALS):
            break
        m = re.compile(_MARKER.format(_ORDINALS[k]), re.I).search(window, pos)
        if m is None:
            break
        found.append(m)
        pos = m.end()
    if len(found) != n:
        return []  # fewer markers than the count, or a marker past it
    out = []
    for k, m in enumerate(found):
        end = found[k + 1].start(1) if k + 1 < n else len(window)
        item = window[m.end():end]
        if k + 1 == n:  # the last item ends with its sentence
            stop = re.search(r"[.!?](?:\s|$)", item)
            item = item[:stop.start()] if stop else item
        item = item.strip(" ,;:.")
        if not item:
            return []
        out.append((item, (start + m.start(1), start + m.end(1))))
    return out


def floating_over_list(text: str, span: tuple[int, int], said: Vocabulary) -> bool:
    """Is the word at `span` ("all") said right after a list its clause opens with, each item
    named by the call: "your phone, the tablet and the kids' phones all count"?"""
    a, _ = _sentence(text, span)
    items = _subject_list(text[a:span[0]])
    return bool(items) and all(said.names(i) for i in items)


def scope_free(text: str, span: tuple[int, int], group: str, said: Vocabulary) -> bool:
    """Does the quantifier at `span` ("all", "any") set no scope of its own? "All" and "any" set
    a rule's scope, which only the call's passages can state ("at any store", "all the
    devices"); they set none under a negation ("I won't need any card details"), in a question
    ("does that all make sense?") or floating after a list of the answer's own ("your phone,
    the tablet and the kids' phones all count"). Idioms ("you're all set") are masked with the
    courtesy phrases (answer_text)."""
    return (group == "any" and _negated(text, span) or _in_question(text, span)
            or group == "all" and (floating_over_list(text, span, said)
                                   or bool(_BEFORE_AMOUNT.match(text, span[1]))
                                   or all_as_pronoun(text, span)))


# "All" in an idiom that ranges over nothing a policy names: "that all matches", "you're all
# confirmed", "let me lay it all out", "take you through it all", "ninety-eight in all", "no fee
# at all", "all told", "all of it". The answer sets flagged "all" in correct answers so; "all
# the devices", "all your late fees", "they're all on one line" still set a scope, and so does
# "all I need" (the list it closes must be the passage's: derived_answers).
_ALL_AFTER = re.compile(r"\s+(?:of it|told|good|done|sorted|clear|verified|confirmed"
                        r"|matches|checks out|adds up)\b", re.I)
_ALL_BEFORE = re.compile(r"\b(?:it|you're|you are|we're)\s+$", re.I)
# ("98 in all", "no fee at all": said last in its clause; not "in all plans", "at all stores")
_ALL_LAST = re.compile(r"\b(?:in|at)\s+$", re.I)
_CLAUSE_END = re.compile(r"\s*(?:[.,;:!?]|$)")


# "Let me explain everything", "I'll go through it all with you", "I'll check everything on the
# account", "I'll do everything I can": what the agent will do in the conversation, not a
# policy's scope (a walk-through's trainee was told "everything" was a promise no passage
# supports). Not "we cover everything", "refund everything": those say what the policy does.
_TALK_BEFORE = re.compile(
    r"\b(?:explain|tell you|go over|go through|walk you through|take you through|run through"
    r"|check|double-check|look at|look into|read back|repeat|confirm|note down|write down)"
    r"\s+$", re.I)
_DO_ALL = re.compile(r"\b(?:do|doing)\s+$", re.I)
_WE_CAN = re.compile(r"\s+(?:that\s+)?(?:I|we)\s+can\b", re.I)


def all_as_pronoun(text: str, span: tuple[int, int]) -> bool:
    """Is the word at `span` ("all", "everything") an idiom that sets no scope (above)?"""
    word = text[span[0]:span[1]].lower()
    before = text[max(0, span[0] - 24):span[0]]
    if word in ("all", "everything") and (
            _TALK_BEFORE.search(before) or _DO_ALL.search(before) and _WE_CAN.match(text, span[1])):
        return True
    before = before[-12:]
    return word == "all" and bool(
        _ALL_AFTER.match(text, span[1]) or _ALL_BEFORE.search(before)
        or _ALL_LAST.search(before) and _CLAUSE_END.match(text, span[1]))


# "all 49 dollars of it", "all $49 back": "all" before an amount says the whole of it, which
# the amount itself states (and is checked as a value); it sets no scope.
_BEFORE_AMOUNT = re.compile(r"\s+(?:\$\s?)?\d[\d.,]*\s*(?:dollars?|euros?|pounds?|\$)", re.I)


# "(just) the one March bill", "the one 49 dollar payment": "one" after "the" picks out a single
# thing already named, as "the" alone would ("you'll have paid the March bill"); no count a
# policy could contradict. Two answer sets flagged it. Not in a clause that promises ("you get
# the one free month": factcheck.py asks only elsewhere).
_THE_ONE = re.compile(r"\bthe\s+$", re.I)
# "a second one", "either one", "another one", "each one", "the other one": "one" standing for a
# thing already named, after a word that already says which or how many; it counts nothing,
# in a promise or not ("a confirmation email today, and a second one once the refund is
# issued"). Three answer sets flagged it.
# (and "that one", "this one", "a sixth one": answer set 38)
_PRONOUN_ONE = re.compile(r"\b(?:another|either|neither|each|which|second|third|fourth|fifth"
                          r"|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|other|same|"
                          r"right|last|next|that|this)\s+$", re.I)


def definite_one(text: str, span: tuple[int, int]) -> bool:
    """Is the number at `span` "one" said as "the one <noun>" (above)?"""
    return text[span[0]:span[1]].lower() == "one" and bool(_THE_ONE.search(text[:span[0]]))


# "That's one for your partner's carrier", "is one for them, I'm afraid": a matter for someone,
# no count (answer sets 36 and 37); "That's one I can't answer": a question the trainee leaves
# (answer set 38).
_ONE_FOR = re.compile(r"(?:\bis|['\u2019]s)\s+$", re.I)
_FOR_SOMEONE = re.compile(r"\s+for\s+(?:them|you|him|her|us|your|their|his|the)\b"
                          r"|\s+(?:i|we)(?:['\u2019](?:d|ll|ve)|\s+(?:can['\u2019]?t|cannot"
                          r"|couldn['\u2019]t|don['\u2019]t|won['\u2019]t|would|will|have"
                          r"|need|must))\b", re.I)
# "one 49 dollar payment comes back and the other one covers the bill": one of a pair the
# sentence goes on to name the other of (answer set 37).
_THE_OTHER = re.compile(r"(?:(?!\bone\b)[^.!?;]){1,80}?\bthe\s+other\b", re.I)


def pronoun_one(text: str, span: tuple[int, int]) -> bool:
    """Is the number at `span` "one" standing for a thing named before ("a second one"), a
    matter for someone ("that's one for them"), or one of a pair ("one ..., the other ...")?"""
    if text[span[0]:span[1]].lower() != "one":
        return False
    return bool(_PRONOUN_ONE.search(text[max(0, span[0] - 20):span[0]])
                or (_ONE_FOR.search(text[max(0, span[0] - 6):span[0]])
                    and _FOR_SOMEONE.match(text, span[1]))
                or _THE_OTHER.match(text, span[1]))
