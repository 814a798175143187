"""Rephrase the agent's own draft: clearer, calmer, in the customer's language if asked, and
with every policy fact checked ("grounded or silent" applies to what the agent types, too).

1. Tone rules (rephrase_rules) always run: no model needed, and they never change a fact.
2. The LLM, when given, may rewrite that text (key "rephrase": a newer draft cancels an older
   one). Its draft is accepted only when it keeps every fact of the agent's draft and adds none
   that the passages do not support (the idea of suggest.check_draft); the tone rules then run
   on it too, so a formal rewrite has no contractions whoever wrote it.
3. The facts of the result are looked up in the passages the knowledge base retrieves for the
   draft (the relevant hits). A fact no passage supports is *flagged*: listed in `unsupported`,
   with `flagged=True`. It is never silently dropped (the agent wrote it and must decide) nor
   silently kept (the agent sees the warning).
   During a call (`context`, copilot.assist.call_context) the draft is about the call: it is
   also searched as one more turn of the call's topic, as the live suggestions search a
   follow-up, and against the issues the call established, so the passage the call is about
   is found for "I'll get that back to you"; and an amount, date or account number the call
   stated is the customer's detail, not a policy fact: listed in `from_call` (with a note),
   neither checked against the passages nor flagged. Durations, percentages, counts and
   policy terms are checked whoever said them first.
4. With `target_lang`, a Translator turns the checked English text into the customer's
   language. The verifier reads English only, so a translation that loses or changes a number
   is not shown: the English text is returned with a note. No translator: English and a note.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from copilot import logs
from copilot.assist.call_context import CallContext
from copilot.assist.rephrase_rules import TONES, apply_tone, casing_of, normalise, rule_words
from copilot.assist.suggest import RejectedDraft
from copilot.knowledge.base import Hit, KnowledgeBase, Translator
from copilot.knowledge.parse import Passage
from copilot.knowledge.query import fold
from copilot.knowledge.verify import Fact, known_names, verify
from copilot.llm.engine import GenerationOptions, LlmEngine, LlmError

__all__ = ["CANCELLED", "DECLINED", "FAILED", "LLM", "LLM_NOTE", "NOTHING_LEFT", "NOT_ASKED",
           "REPHRASE_KEY", "RULES", "TONES", "TOO_SLOW", "USED", "CallContext", "RephraseOptions",
           "RephraseResult", "rephrase"]

log = logging.getLogger(__name__)

RULES, LLM = "rules", "llm"
REPHRASE_KEY = "rephrase"
# What became of the LLM's rewrite (RephraseResult.llm_outcome), for a window to say plainly:
# not asked (no LLM), used, declined (its text failed the checks: looped, too long, a fact lost
# or added, nothing), too slow (no answer within the time limit), failed (an error), cancelled.
NOT_ASKED, USED, DECLINED, TOO_SLOW, FAILED, CANCELLED = (
    "", "used", "declined", "too_slow", "failed", "cancelled")
# How the note on an unused rewrite starts, its diagnostic reason in parentheses after it (for
# --json and the audit trail). What a person reads says `llm_why` instead, so the draft box and
# `copilot rephrase` leave this note out.
LLM_NOTE = "the LLM's rewrite was not used"
NOTHING_LEFT = ("nothing of the draft is left once its blame and absolutes are taken out: "
                "write what you can do for the customer")
_TONE_ASK = {"calm": "calm, clear and polite, without blame",
             "formal": "formal and polite, without contractions",
             "brief": "short and clear, without filler words"}
_SYSTEM = ("You rewrite a customer-service agent's draft before the agent says or sends it. "
           "Make it {tone}. Keep every number, amount, duration, name and condition exactly as "
           "written. Do not add any fact, promise or offer. Reply with the rewritten text only.")
_PREFIX = re.compile(r"^\s*(?:rewritten(?: text| draft)?|rewrite|agent|assistant|answer|"
                     r"draft)\s*:\s*", re.I)
# A rewrite this much longer than its input is not a rephrasing (small models loop or go on to
# invent the customer's reply).
_MAX_GROWTH, _MAX_EXTRA_CHARS = 2, 80
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_CLAUSES = re.compile(r"(?<=[.!?;])\s+|,\s+(?=(?:and|but|so|also|plus)\b)", re.I)
_Check = Callable[[str], list[Fact]]


@dataclass(frozen=True)
class RephraseOptions:
    k: int = 3  # passages retrieved for the draft (the relevant ones are checked against)
    max_tokens: int = 96
    temperature: float = 0.0  # a rewording, not creative writing
    priority: int = 0  # the agent is waiting for it
    timeout: float = 30.0  # seconds to wait for the LLM before keeping the rules' text


@dataclass(frozen=True)
class RephraseResult:
    text: str  # what to show the agent (translated when asked and possible)
    tone: str
    facts: tuple[Fact, ...]  # the policy facts of the English text, each supported or not
    unsupported: tuple[Fact, ...]  # flagged: no retrieved passage states them
    flagged: bool
    origin: str  # rules | llm
    notes: tuple[str, ...]
    draft: str = ""
    lang: str = "en"  # the language of `text`
    text_en: str = ""  # the checked text, before translation
    sources: tuple[str, ...] = ()  # passages that support at least one fact
    fact_sources: tuple[tuple[str, ...], ...] = ()  # per fact (same order), its passages
    hits: tuple[Hit, ...] = ()  # what the knowledge base retrieved for the draft
    rejected_drafts: tuple[RejectedDraft, ...] = ()  # LLM drafts that failed the check
    llm_outcome: str = NOT_ASKED  # USED | DECLINED | TOO_SLOW | FAILED | CANCELLED
    # Figures of the text said in the call (amounts, dates, account numbers): the customer's
    # details, not policy facts, so neither in `facts` nor flagged.
    from_call: tuple[Fact, ...] = ()
    # Why the LLM's rewording was not used, in words for the agent ('it left out "5 business
    # days" from your draft'); the diagnostic reason is in `rejected_drafts` and `notes`.
    llm_why: str = ""


def rephrase(draft: str, kb: KnowledgeBase, tone: str = "calm", target_lang: str | None = None,
             llm: LlmEngine | None = None, translator: Translator | None = None, *,
             options: RephraseOptions | None = None,
             context: CallContext | None = None) -> RephraseResult:
    """The agent's `draft` rewritten in `tone`, its facts checked against the knowledge base;
    `context`: the call it is written in, if any."""
    if tone not in TONES:
        raise ValueError(f"unknown tone {tone!r} (expected one of {', '.join(TONES)})")
    if not draft or not draft.strip():
        raise ValueError("nothing to rephrase: the draft is empty")
    opts = options or RephraseOptions()
    passages = list(kb.passages.values())
    casing = casing_of(p.full_text for p in passages)
    names = known_names(passages)
    base = normalise(draft, casing)
    hits = _retrieve(kb, base, opts.k, context)
    cited = [h.passage for h in hits if h.relevant]
    said = context.figures if context is not None and context.lines else None
    notes: list[str] = []

    def check(text: str) -> list[Fact]:
        """The facts of `text`; a figure said in the call counts as supported (it is the
        customer's, and a rewrite may keep it), `from_call` tells them apart."""
        facts = verify(text, cited, names=names).facts
        ours = _from_call(text, facts, said, names)
        return [replace(f, supported=True) if f.span in ours else f for f in facts]

    def from_call(text: str, facts: list[Fact]) -> list[Fact]:
        plain = {f.span for f in verify(text, cited, names=names).facts if f.supported}
        return [f for f in facts if f.span not in plain and f.span in
                _from_call(text, facts, said, names)]

    required = _required(check(base))
    text = apply_tone(base, tone, lambda s: bool(check(s)))
    lost, added = _compare(required, check(text))
    if lost or added:  # a rule bug must never change a promise: keep the agent's wording
        log.error("tone rules changed facts of a %d-word draft (%s tone): %d lost, %d added",
                  logs.words(base), tone, len(lost), len(added))
        logs.content(log, "tone rules changed facts of %r (lost %s, added %s)", base, lost,
                     added)
        text = base
        notes.append("the tone rules would have changed a fact; the draft is kept as written")
    if not any(ch.isalpha() for ch in text):
        # All of it was blame or absolutes ("Calm down."): nothing is left to say, and an
        # empty line must never reach the agent as a rephrasing.
        text = ""
        notes.append(NOTHING_LEFT)
    origin, outcome, why = RULES, NOT_ASKED, ""
    rejected: list[RejectedDraft] = []
    if llm is not None and text:
        candidate, reason, outcome = _llm_draft(llm, text, tone, opts)
        why = reason or ""
        if candidate is not None:
            candidate = apply_tone(normalise(candidate, casing), tone, lambda s: bool(check(s)))
            declined = _judge(candidate, text, check)
            if declined is None:
                text, origin, outcome, reason = candidate, LLM, USED, None
            else:
                outcome, (reason, why) = DECLINED, declined
                rejected.append(RejectedDraft(candidate, tuple(
                    f for f in check(candidate) if not f.supported), reason))
                log.info("LLM rewrite declined by the checks (%s)", logs.reason_code(reason))
                logs.content(log, "the LLM's rewrite %r was not used (%s)", candidate, reason)
        if reason is not None:
            notes.append(f"{LLM_NOTE} ({reason})")
    facts = check(text)
    figures = from_call(text, facts)
    facts = [f for f in facts if f not in figures]
    # Flag what the agent's draft states without support even if a rule reworded it away.
    kept = {_fact_id(f) for f in facts} | {_fact_id(f) for f in figures}
    unsupported = [f for f in facts if not f.supported] + [
        f for f in check(base) if not f.supported and _fact_id(f) not in kept
        and _fact_id(f) in required]
    per_fact = _fact_sources(text, facts, cited, names)
    sources = tuple(dict.fromkeys(i for ids in per_fact for i in ids))
    if not cited:
        notes.append("no passage of the knowledge base is relevant to this draft")
    if figures:
        notes.append("said in the call, the customer's details rather than policy (not "
                     "checked): " + ", ".join(dict.fromkeys(f.text for f in figures)))
    out_text, lang = text, kb.lang
    if target_lang and target_lang != kb.lang:
        out_text, lang, note = _translate(text, [*facts, *figures], kb.lang, target_lang,
                                          translator)
        notes.extend(note)
    return RephraseResult(out_text, tone, tuple(facts), tuple(unsupported), bool(unsupported),
                          origin, tuple(notes), draft, lang, text, sources, per_fact, hits,
                          tuple(rejected), outcome, tuple(figures), llm_why=why)


def _retrieve(kb: KnowledgeBase, text: str, k: int,
              context: CallContext | None = None) -> tuple[Hit, ...]:
    """The passages for the whole draft and for each of its clauses: a draft that touches two
    policies ("you can cancel any time, and I'll waive the late fee") is checked against both.
    In a call, the whole draft is also searched as a turn of the call (CallContext.search: its
    topic, then the issues it established), so "I'll get that back to you" finds the call's
    passage.
    Each passage once, with its best hit; relevant ones first."""
    best: dict[str, Hit] = {}

    def keep(found: Iterable[Hit]) -> None:
        for h in found:
            old = best.get(h.passage.id)
            if old is None or (h.relevant, h.evidence) > (old.relevant, old.evidence):
                best[h.passage.id] = h

    pieces = [text, *(c for c in _CLAUSES.split(text) if c.strip())]
    for piece in dict.fromkeys(pieces):
        keep(kb.search(piece, k=k))
    if context is not None and (context.turns or context.issues):
        keep(context.search(kb, text, k))
    ranked = sorted(best.values(), key=lambda h: (not h.relevant, -h.evidence))
    return tuple(h for n, h in enumerate(ranked) if h.relevant or n < k)


# The kinds of figure a call's own detail is: an amount, a date (a month or day name, the day
# number next to it), an account or reference number (4+ digits). A bare count ("5 devices"),
# a duration, a percentage or a policy term is policy, whoever said it first.
_DATE_NAMES = frozenset("january february march april may june july august september october "
                        "november december monday tuesday wednesday thursday friday saturday "
                        "sunday".split())
_MONTH_NEAR = re.compile(r"\b(?:january|february|march|april|may|june|july|august|september|"
                         r"october|november|december)\b(?:\s+the)?\s*$", re.I)
_OF_MONTH = re.compile(r"^\s*(?:of\s+)?(?:january|february|march|april|may|june|july|august|"
                       r"september|october|november|december)\b", re.I)


def _is_figure(text: str, f: Fact) -> bool:
    if f.kind == "amount":
        return True
    if f.kind == "name":
        return fold(f.text) in _DATE_NAMES
    if f.kind == "number":
        return sum(ch.isdigit() for ch in f.text) >= 4 or bool(
            _MONTH_NEAR.search(text[:f.span[0]]) or _OF_MONTH.match(text[f.span[1]:]))
    return False


def _from_call(text: str, facts: list[Fact], said: Passage | None,
               names: frozenset[tuple[str, ...]]) -> set[tuple[int, int]]:
    """The spans of `facts` that are figures said in the call (`said`: CallContext.figures)."""
    if said is None or not any(_is_figure(text, f) for f in facts):
        return set()
    found = {f.span for f in verify(text, [said], names=names).facts if f.supported}
    return {f.span for f in facts if f.span in found and _is_figure(text, f)}


def messages(text: str, tone: str) -> list[dict[str, str]]:
    return [{"role": "system", "content": _SYSTEM.format(tone=_TONE_ASK[tone])},
            {"role": "user", "content": f"Draft: {text}"}]


def _llm_draft(llm: LlmEngine, text: str, tone: str,
               opts: RephraseOptions) -> tuple[str | None, str | None, str]:
    """(the model's rewrite, None, "") or (None, why there is none, the outcome)."""
    try:
        result = llm.generate(messages(text, tone), GenerationOptions(
            max_tokens=opts.max_tokens, temperature=opts.temperature,
            stop=("\n\n", "Draft:")),
            key=REPHRASE_KEY, priority=opts.priority, timeout=opts.timeout)
    except TimeoutError:
        return None, f"no answer within {opts.timeout:g} s", TOO_SLOW
    except LlmError as e:  # a failing model must never cost the agent the rules' text
        log.warning("rephrase LLM failed: %s", e)
        return None, f"the LLM failed: {e}", FAILED
    if result.cancelled:
        return None, "superseded by a newer draft", CANCELLED
    if result.looped or result.finish_reason == "length":
        return None, "the model looped or ran too long", DECLINED
    candidate = _PREFIX.sub("", result.text.strip()).strip().strip('"\u201c\u201d').strip()
    if not candidate:
        return None, "the model answered nothing", DECLINED
    return candidate, None, ""


def _judge(candidate: str, text: str, check: _Check) -> tuple[str, str] | None:
    """Why an LLM rewrite must not replace `text` (None: it may), twice: the diagnostic reason
    (the fact keys, for the log, --json and the audit trail) and the same in words for the
    agent, with the facts as the draft and the rewrite put them. It must keep every fact of
    `text`, with no exemption: only the tone rules may remove words on purpose."""
    if len(candidate) > _MAX_GROWTH * len(text) + _MAX_EXTRA_CHARS:
        return "too long for a rephrasing", "it was much longer than your draft"
    facts, before = check(candidate), check(text)
    ids = {_fact_id(f) for f in facts}
    lost = {_fact_id(f) for f in before} - ids
    if lost:
        said = _said(f for f in before if _fact_id(f) in lost)
        instead = _said(f for f in facts if _fact_id(f) not in {_fact_id(g) for g in before})
        return ("drops a fact of the draft: " + ", ".join(sorted(k for _, k in lost)),
                f"it changed {said} to {instead}" if instead else
                f"it left out {said} from your draft")
    allowed = {_fact_id(f) for f in before if not f.supported}
    invented = [f for f in facts if not f.supported and _fact_id(f) not in allowed]
    if invented:
        return ("adds facts no passage supports: " + ", ".join(f.text for f in invented),
                f"it added {_said(invented)}, which no passage states")
    return None


def _said(facts: Iterable[Fact]) -> str:
    """Facts as written, for a sentence: '"5 business days" and "refund"'."""
    words = [f"\u201c{t}\u201d" for t in dict.fromkeys(f.text for f in facts)]
    return " and ".join([", ".join(words[:-1]), words[-1]]) if len(words) > 1 else \
        "".join(words)


def _fact_id(f: Fact) -> tuple[str, str]:
    """What a fact is, whatever its wording: numbers by comparator, value and unit; names by
    their words; terms by the promise and its polarity ("not waive"), not the words around."""
    if f.kind == "term":
        parts = f.key.split()
        return "term", " ".join(parts[:2] if parts[0] == "not" else parts[:1])
    return ("name" if f.kind == "name" else "value"), f.key


_RULE_WORDS = rule_words()


def _required(facts: Iterable[Fact]) -> set[tuple[str, str]]:
    """The facts of the draft a rewrite must keep: all but words a tone rule removes on purpose
    (the verifier reads a sentence-opening "Obviously" as a name)."""
    return {_fact_id(f) for f in facts
            if not all(fold(w) in _RULE_WORDS for w in re.findall(r"[\w']+", f.text))}


def _compare(required: set[tuple[str, str]],
             facts: list[Fact]) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    ids = _required(facts)
    return required - {_fact_id(f) for f in facts}, ids - required


def _fact_sources(text: str, facts: list[Fact], cited: list[Passage],
                  names: frozenset[tuple[str, ...]]) -> tuple[tuple[str, ...], ...]:
    found: dict[tuple[int, int], list[str]] = {}
    for p in cited:
        for f in verify(text, [p], names=names).facts:
            if f.supported:
                found.setdefault(f.span, []).append(p.id)
    return tuple(tuple(found.get(f.span, ())) if f.supported else () for f in facts)


def _numbers(text: str) -> set[Decimal]:
    out = set()
    for n in _NUMBER.findall(text):
        try:
            out.add(Decimal(n.replace(",", ".")).normalize())
        except InvalidOperation:
            continue
    return out


def _translate(text: str, facts: list[Fact], src: str, tgt: str,
               translator: Translator | None) -> tuple[str, str, list[str]]:
    """(text, its language, notes). The checked numbers must survive the translation."""
    if translator is None:
        return text, src, [f"no translator is installed for {src}->{tgt}; the text is in {src}"]
    try:
        out = translator.translate(text, src, tgt).strip()
    except Exception as e:  # a failing translator must never cost the agent the checked text
        log.warning("translation %s->%s failed: %s", src, tgt, e)
        return text, src, [f"the translation to {tgt} failed ({e}); the text is in {src}"]
    values = {Decimal(f.value).normalize() for f in facts if f.value is not None}
    missing = values - _numbers(out)
    if not out or missing:
        what = ", ".join(sorted(format(v, "f") for v in missing)) or "everything"
        return text, src, [f"the {tgt} translation lost or changed {what}; the checked {src} "
                           "text is shown instead"]
    return out, tgt, [f"translated from {src}; the facts were checked on the {src} text"]
