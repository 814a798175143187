"""Deterministic tone rules for the agent's drafts: they always work, with no model.

Every rule only removes or swaps wording (blame, absolutes, filler, contractions, shouting); none
adds or removes a number, an amount, a name or a policy term, and rephrase.py checks that with
the verifier, so a rule can never change what the agent promises.

- every tone: hesitations ("um", "uh") dropped, shouting (ALL-CAPS words that are not the
  knowledge base's acronyms) and repeated punctuation ("!!", "?!") calmed, then the calm rules;
- calm: blame and absolutes dropped ("you should have", "obviously", "as I already said"),
  "!" ends a sentence as "."; a blaming sentence that states no fact is dropped whole;
- formal: contractions expanded ("can't" -> "cannot"), casual words replaced ("yeah" -> "yes"),
  a request made polite ("Send me the photo" -> "Please send me the photo");
- brief: filler dropped ("basically", "just", "I just wanted to let you know that"), a sentence
  said twice kept once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from copilot.knowledge.query import STOPWORDS, fold

__all__ = ["TONES", "Casing", "apply_tone", "normalise", "rule_words"]

TONES = ("calm", "formal", "brief")

Casing = tuple[frozenset[str], dict[str, str]]  # (acronyms as written, folded word -> casing)


def _phrases(*patterns: str) -> re.Pattern[str]:
    """Whole-word, case-insensitive alternatives, each with the comma that follows it."""
    return re.compile(r"\b(?:" + "|".join(patterns) + r")\b,?", re.IGNORECASE)


_HESITATIONS = _phrases(r"u+m+", r"u+h+", r"e+r+m*", r"h+m+")
# Absolutes and "I told you so": they tell the customer they should have known.
_ABSOLUTES = _phrases(
    r"as I (?:already |just )?(?:said|told you|explained|mentioned)(?: before| earlier)?",
    r"like I (?:already |just )?(?:said|told you)(?: before)?",
    r"I (?:already|just) told you(?: that)?", r"I(?:'ve| have) already told you(?: that)?",
    r"obviously", r"clearly", r"honestly", r"frankly", r"seriously", r"literally",
    r"simply", r"of course you", r"(?:it's|it is|that's|that is) (?:all )?your (?:own )?fault",
    r"you (?:need|have) to calm down", r"calm down", r"relax")
# Blame that carries the sentence's meaning: softened when the sentence states a fact, the
# sentence dropped when it does not ("You should have called us earlier."). What the agent
# says of themselves ("there is nothing I can do", "that's not my problem") is said anew
# instead, never dropped: it is the answer ("There is nothing I can do." came back empty).
_BLAME = [(re.compile(r"\byou should(?: have|'ve)\b", re.I), "it's best to have"),
          (re.compile(r"\byou shouldn't have\b", re.I), "it's best not to have"),
          (re.compile(r"\byou were supposed to\b", re.I), "the usual way is to"),
          (re.compile(r"\byou didn't (?:read|listen)\b", re.I), "it may not have been clear"),
          (re.compile(r"\bI don't know what (?:else )?to tell you\b", re.I), "")]
_SAID_ANEW = [(re.compile(r"\b(?:that's|that is) not my problem\b", re.I), "I understand"),
              (re.compile(r"\bthere(?:'s| is) nothing (?:else )?I can do\b", re.I),
               "I'm not able to change that")]
_YOU_JUST = re.compile(r"\byou just\b", re.I)
_FILLER = _phrases(
    r"I (?:just )?(?:wanted|want|would like) to let you know(?: that)?",
    r"(?:please )?be advised(?: that)?", r"for your information", r"at the end of the day",
    r"to be honest", r"basically", r"actually", r"really", r"just", r"kind of", r"sort of",
    r"you know", r"I mean", r"anyway", r"go ahead and", r"quite")
_FILLER_SWAPS = [(re.compile(r"\bin order to\b", re.I), "to"),
                 (re.compile(r"\bdue to the fact that\b", re.I), "because"),
                 (re.compile(r"\bat this point in time\b", re.I), "now"),
                 (re.compile(r"\bI'm going to go ahead and\b", re.I), "I'll")]
_OPENERS = re.compile(r"^(?:(?:so|well|okay so|ok so|now)\s*,|so\b)\s*", re.I)

_CONTRACTIONS = {
    "can't": "cannot", "won't": "will not", "shan't": "shall not", "ain't": "is not",
    "let's": "let us", "i'm": "I am", "it's": "it is", "that's": "that is", "there's": "there is",
    "here's": "here is", "what's": "what is", "who's": "who is", "he's": "he is",
    "she's": "she is", "y'all": "you all"}
_SUFFIXES = {"n't": " not", "'re": " are", "'ve": " have", "'ll": " will", "'d": " would",
             "'m": " am"}
_CASUAL = {"yeah": "yes", "yep": "yes", "yup": "yes", "nope": "no", "nah": "no",
           "gonna": "going to", "wanna": "want to", "gotta": "have to", "kinda": "kind of",
           "hey": "hello", "hi": "hello", "thanks": "thank you", "ok": "all right",
           "okay": "all right", "no worries": "certainly", "no problem": "certainly",
           "sorry": "I apologise", "bye": "goodbye", "guys": "everyone"}
_CASUAL_RE = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, _CASUAL), key=len,
                                                    reverse=True)) + r")\b", re.I)
_CONTRACTION_RE = re.compile(r"\b([A-Za-z]+)(n't|'re|'ve|'ll|'d|'m|'s)\b", re.I)
# A sentence that starts with one of these verbs asks the customer to do something.
_REQUEST_VERBS = set("give send tell read confirm hold wait call check provide restart try "
                     "press visit open bring fill sign update turn keep come email text reply "
                     "choose select enter type spell repeat".split())
_SHORT_WORDS = STOPWORDS["en"] | {"no", "not", "now", "yes", "why", "how", "can", "all", "any",
                                  "pay", "too", "way", "did", "get", "got", "ask", "say"}
_SENTENCES = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")


def rule_words() -> frozenset[str]:
    """Every word some rule may remove or replace: a fact made only of these (the verifier
    reads a capitalised "Obviously" as a name) may disappear without being "dropped"."""
    sources = [_HESITATIONS.pattern, _ABSOLUTES.pattern, _FILLER.pattern, _OPENERS.pattern,
               *(p.pattern for p, _ in _BLAME + _FILLER_SWAPS), *_CASUAL, *_CONTRACTIONS]
    words = (re.sub(r"\\[a-z]", " ", s) for s in sources)  # not the "b" of "\b"
    return frozenset(fold(w) for s in words for w in re.findall(r"[A-Za-z']+", s))


def normalise(text: str, casing: Casing) -> str:
    """Presentation only, for every tone: spacing, shouting, repeated punctuation."""
    acronyms, cased = casing

    def unshout(m: re.Match[str]) -> str:
        w = m.group()
        if not w.isupper() or len(w) < 2 or w in acronyms or (
                len(w) < 4 and fold(w) not in _SHORT_WORDS):
            return w  # "US", "SMS", "ID": short capitals are acronyms unless common words
        return cased.get(fold(w), w.lower())

    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\b[^\W\d_]+(?:'[^\W\d_]+)*\b", unshout, text)
    text = re.sub(r"[!?]*\?[!?]*", "?", text)  # "?!", "??" -> "?"
    text = re.sub(r"!{2,}", "!", text)
    text = re.sub(r"\.{2,}", ".", text)
    return _tidy(text)


def apply_tone(text: str, tone: str, has_fact: Callable[[str], bool]) -> str:
    """The draft in `tone`. `has_fact(sentence)` says whether a sentence states a policy fact
    (the verifier's reading), so that a blaming sentence is softened instead of dropped."""
    if tone not in TONES:
        raise ValueError(f"unknown tone {tone!r} (expected one of {', '.join(TONES)})")
    text = _HESITATIONS.sub("", text)
    text = _calm(text, has_fact)
    if tone == "formal":
        text = _formal(text)
    elif tone == "brief":
        text = _brief(text)
    return _tidy(text)


def _calm(text: str, has_fact: Callable[[str], bool]) -> str:
    out = []
    for sentence in _SENTENCES.split(_tidy(_ABSOLUTES.sub("", text))):
        blamed = sentence
        for pattern, softer in _BLAME:
            blamed = pattern.sub(softer, blamed)
        if blamed != sentence and not has_fact(sentence):
            continue  # nothing but blame: drop it
        for pattern, softer in _SAID_ANEW:
            blamed = pattern.sub(softer, blamed)
        out.append(_YOU_JUST.sub("you", blamed))
    return _tidy(" ".join(out).replace("!", "."))


def _expand(m: re.Match[str]) -> str:
    word, tail = m.group(1), m.group(2)
    whole = (word + tail).lower()
    if whole in _CONTRACTIONS:
        new = _CONTRACTIONS[whole]
    elif tail == "'s":
        return m.group()  # a possessive ("customer's"), or "he's" handled above
    elif tail == "n't":
        new = word.lower() + " not"
    else:
        new = word.lower() + _SUFFIXES[tail]
    new = new.replace("i ", "I ", 1) if new.startswith("i ") else new
    return new[0].upper() + new[1:] if word[0].isupper() else new


def _formal(text: str) -> str:
    text = _CONTRACTION_RE.sub(_expand, text.replace("\u2019", "'"))
    text = _CASUAL_RE.sub(lambda m: _same_case(m.group(), _CASUAL[m.group().lower()]), text)
    out = []
    for sentence in _SENTENCES.split(_tidy(text)):
        words = _WORD.findall(sentence)
        if words and words[0].lower() in _REQUEST_VERBS and "please" not in sentence.lower():
            sentence = "Please " + sentence[0].lower() + sentence[1:]
        out.append(sentence)
    return " ".join(out)


def _brief(text: str) -> str:
    text = _FILLER.sub("", text)
    for pattern, shorter in _FILLER_SWAPS:
        text = pattern.sub(shorter, text)
    seen: set[str] = set()
    out = []
    for sentence in _SENTENCES.split(_tidy(text)):
        sentence = _OPENERS.sub("", sentence)
        key = " ".join(fold(w) for w in _WORD.findall(sentence))
        if key and key in seen:
            continue  # said twice: once is enough
        seen.add(key)
        out.append(sentence)
    return " ".join(out)


def _same_case(old: str, new: str) -> str:
    return new[0].upper() + new[1:] if old[:1].isupper() else new


def _tidy(text: str) -> str:
    """Spacing and punctuation left by removals; each sentence starts with a capital."""
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r",(?:\s*,)+", ",", text)
    text = re.sub(r"[,;:]\s*([.!?])", r"\1", text)
    text = re.sub(r"(^|[.!?]\s+)[,;:]\s*", r"\1", text.strip())
    text = re.sub(r"([.!?])(?:\s*[.])+", r"\1", text)
    parts = _SENTENCES.split(text)
    return " ".join(p[0].upper() + p[1:] if p and p[0].islower() else p for p in parts).strip()


def casing_of(texts: Iterable[str]) -> Casing:
    """The knowledge base's acronyms ("PIN", "GB") and how it capitalises words inside a
    sentence ("Northwind"), so that a shouted "NORTHWIND" becomes "Northwind", not "northwind"."""
    acronyms: set[str] = set()
    cased: dict[str, str] = {}
    for text in texts:
        for sentence in re.split(r"[.!?:\n]+", text):
            for n, w in enumerate(_WORD.findall(sentence)):
                if len(w) > 1 and w.isupper():
                    acronyms.add(w)
                elif n > 0 and w[0].isupper():
                    cased.setdefault(fold(w), w)
    return frozenset(acronyms), cased
