"""Plant a bug in a security-critical line, run the tests that guard it, put the line back: every
planted bug must make those tests fail. A small mutation check, not a mutation-testing tool: the
mutants are the bugs that once passed the whole suite or that would hurt most (redaction,
store-before-publish, signatures, the verifier, abstention).

    .venv/bin/python tests/mutations.py            # all of them
    .venv/bin/python tests/mutations.py --ci       # the redaction and store ones (./dev test)

Exits 1 when a mutant survives. The source file is always restored, even on Ctrl-C.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Mutant:
    name: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]
    ci: bool = False


MUTANTS = (
    Mutant("partial captions published unredacted", "copilot/call/session.py",
           "self._publish(dataclasses.replace(caption, text=red.text))",
           "self._publish(caption)",
           ("tests/core/test_session_privacy.py",), ci=True),
    Mutant("final captions released unredacted", "copilot/call/session.py",
           "final = dataclasses.replace(caption, text=caption.text if red is None else red.text,",
           "final = dataclasses.replace(caption, text=caption.text,",
           ("tests/core/test_session_privacy.py",), ci=True),
    Mutant("a final shown before it is stored", "copilot/call/session.py",
           "                self.store.add_segment(self.result.call_id, final)  # durable before shown",
           "                self._publish(final)\n"
           "                self.store.add_segment(self.result.call_id, final)",
           ("tests/e2e/test_kill_live_pipeline.py::"
            "test_killed_the_instant_a_final_is_printed_it_is_already_stored",), ci=True),
    Mutant("a card completed later leaves its start shown", "copilot/call/session.py",
           "        self._amend(self.redactor.take_amendments())\n\n    def _release",
           "        self.redactor.take_amendments()\n\n    def _release",
           ("tests/core/test_session_privacy.py",), ci=True),
    Mutant("an expired hold releases a card's start unmasked", "copilot/privacy/redaction.py",
           "        if self._asked_other(now):\n            return an\n",
           "        if True:\n            return an\n",
           ("tests/core/test_redaction.py",), ci=True),
    Mutant("a homophone is never read as a digit", "copilot/privacy/analysis.py",
           "runs, words = with_homophones(text, *find_runs(",
           "runs, words = (lambda t, r, w: (r, w))(text, *find_runs(",
           ("tests/core/test_redaction_probe.py",), ci=True),
    Mutant("groups read apart by words are judged one by one", "copilot/privacy/analysis.py",
           "masks.extend(_spread_card(text, [r for r in runs if r.start not in named], masks, "
           "reach,\n                              other_asked=other_asked))",
           "masks.extend([])",
           ("tests/core/test_redaction_probe.py",), ci=True),
    Mutant("groups read for another number asked for are masked as a card",
           "copilot/privacy/analysis.py",
           "luhn_ok(digits) or (could_begin_card(digits) and not other_asked)):",
           "luhn_ok(digits) or could_begin_card(digits)):",
           ("tests/core/test_redaction.py",), ci=True),
    Mutant("a card's first group is forgotten 20 s after it was read", "copilot/privacy/redaction.py",
           "_CARD_START_SECONDS if ch.context[-1].card_start else _CONTEXT_SECONDS",
           "_CONTEXT_SECONDS",
           ("tests/core/test_redaction_probe.py",), ci=True),
    Mutant("any number is kept a minute for a card's rest", "copilot/privacy/redaction.py",
           "return [_Item(it.key, it.text, now, it.cues, it.spans, start in starts)",
           "return [_Item(it.key, it.text, now, it.cues, it.spans, True)",
           ("tests/core/test_redaction_probe.py",), ci=True),
    Mutant("a change of plan with us read as leaving", "copilot/assist/checklist/leaving.py",
           "    return bool(_SAYS_STAYING.search(text) or _CHANGING_WITH_US.search(text))",
           "    return bool(_SAYS_STAYING.search(text))",
           ("tests/core/test_checklist_leaving.py", "tests/core/test_checklist_meaning.py"),
           ci=True),
    Mutant("opting out of a scheme read as leaving", "copilot/assist/checklist/leaving.py",
           "(_WANT_OUT.search(sentence) and not _OPTING_OUT.search(f\"{before} {sentence}\"))",
           "_WANT_OUT.search(sentence)",
           ("tests/core/test_checklist_leaving.py",)),
    Mutant("a clock time made so read as a price offered", "copilot/assist/checklist/offers.py",
           "(?![\\d.,:]*\\s*(?:am|pm|",
           "(?![\\d.,:]*\\s*(?:xam|xpm|",
           ("tests/core/test_checklist_offers.py",)),
    Mutant("any step said 'only after' the transfer taken for the one it holds",
           "copilot/practice/step_order.py",
           "                               if _held(held, h, loose=True)",
           "                               if bool(held)",
           ("tests/core/test_practice_derived_answers.py",)),
    Mutant("a sentence's opening clause counted as an item of its list",
           "copilot/practice/counts.py",
           "    if len(pieces) > 1 and _OPENING.match(pieces[0].strip()):",
           "    if False:",
           ("tests/core/test_practice_counts.py",)),
    Mutant("a caption stopped at a comma read alone", "copilot/assist/checklist/tracker.py",
           "self._unfinished[caption.channel] = words if _UNFINISHED.search(words) else \"\"",
           "self._unfinished[caption.channel] = \"\"",
           ("tests/core/test_checklist_offers.py",)),
    Mutant("another desk's database migrated by a report", "copilot/store/db.py",
           "            if self.options.read_only:\n                conn.execute(\"PRAGMA query_only",
           "            if False:\n                conn.execute(\"PRAGMA query_only",
           ("tests/core/test_report.py",)),
    Mutant("a copy of a metrics file read twice", "copilot/report/source.py",
           "                if digest in seen:",
           "                if False:",
           ("tests/core/test_report.py",)),
    Mutant("one digit after the dollars read as cents", "copilot/practice/answer_text.py",
           "if m is None and (cents < 10 or _MULTIPLIER_AFTER.match(text, end)):",
           "if m is None and _MULTIPLIER_AFTER.match(text, end) and False:",
           ("tests/core/test_practice_factcheck.py",)),
    Mutant("a caption that only acknowledges uses up the agent's first answer",
           "copilot/assist/checklist/tracker.py",
           "if state.done and not _ACKNOWLEDGES.fullmatch(words):",
           "if state.done:",
           ("tests/core/test_checklist_account_facts.py",)),
    Mutant("a contract 'ended' before a new one starts read as leaving",
           "copilot/assist/checklist/leaving.py",
           "    rf\"|ended(?=\\s*(?:[.!,]|$|(?:please|now|today|for good)\\b)))"
           "\\b(?!\\s+from\\b)\"",
           "    rf\"|ended)\\b(?!\\s+from\\b)\"",
           ("tests/core/test_checklist_leaving.py",)),
    Mutant("SIMs on their way read as lines ended", "copilot/assist/checklist/leaving.py",
           "    rf\"(?!'|\\s+(?:you|from|orders?|we|that|which|i)\\b)\"",
           "    rf\"(?!'|\\s+(?:xyou|from|orders?|we|that|which|xi)\\b)\"",
           ("tests/core/test_checklist_leaving.py",)),
    Mutant("an add-on cancelled read as leaving", "copilot/assist/checklist/leaving.py",
           "    r\"|\\bcancel\\w*\\s+(?:my|the|our|this|that)\\s+(?:[\\w-]+\\s+){0,3}?(?:add-?ons?|bolt-?ons?|bundles?\"",
           "    r\"|\\bxcancel\\w*\\s+(?:my|the|our|this|that)\\s+(?:[\\w-]+\\s+){0,3}?(?:add-?ons?|bolt-?ons?|bundles?\"",
           ("tests/core/test_checklist_leaving.py", "tests/core/test_checklist_meaning.py")),
    Mutant("the caller's last bill with us not read as leaving",
           "copilot/assist/checklist/leaving_said.py",
           "    r\"|\\b(?:(?:will|'ll|is going to)\\s+be|this\\s+is)\\s+my\\s+last\\s+(?:one|bill|month|payment)\"",
           "    r\"|\\b(?:(?:will|'ll|is going to)\\s+be|this\\s+is)\\s+xmy\\s+last\\s+(?:one|bill|month|payment)\"",
           ("tests/core/test_checklist_leaving.py",)),
    Mutant("an account's facts told heard as an offer", "copilot/assist/checklist/readers.py",
           "    \"offers\": _told_not_offered,",
           "    \"offers\": ended_deal,",
           ("tests/core/test_checklist_offers.py",)),
    Mutant("an offer's veto read on the matched piece only", "copilot/assist/checklist/tracker.py",
           "    return next((s for s in sentences(text) if low and low in s.lower()), words)",
           "    return words",
           ("tests/core/test_checklist_offers.py",)),
    Mutant("what the trainee does not have read as a rule", "copilot/practice/invented_rules.py",
           "        if (cued or named) and \"?\" not in text[end:nxt] and not own_lack(plain) \\",
           "        if (cued or named) and \"?\" not in text[end:nxt] and True \\",
           ("tests/core/test_practice_invented_rules.py",)),
    Mutant("every 'now' taken for a time of ours", "copilot/practice/answer_clauses.py",
           "    return bool(_CALLERS_NOW.search(before) or _CURRENT_NOW.search(before)",
           "    return False and bool(_CALLERS_NOW.search(before) or _CURRENT_NOW.search(before)",
           ("tests/core/test_practice_factcheck.py",), ci=True),
    Mutant("a timing of what the company takes or issues left unchecked",
           "copilot/practice/answer_clauses.py",
           "                       or bool(_EVENT.search(words)))",
           "                       or False)",
           ("tests/core/test_practice_factcheck.py",)),
    Mutant("'at the moment' read as a promised timing", "copilot/knowledge/verify.py",
           "                toks[i - 1].low in (\"at\", \"for\", \"just\", \"a\"):",
           "                toks[i - 1].low in ():",
           ("tests/core/test_practice_factcheck.py",)),
    Mutant("a false start in the card's breath left shown", "copilot/text/run_kinds.py",
           "    return len(head) >= 4 or (len(head) >= 3 and head in card[:-4])",
           "    return False",
           ("tests/core/test_redaction_probe.py",), ci=True),
    Mutant("a security code looked for no further than other numbers",
           "copilot/privacy/analysis.py",
           "if far > reach_of(c.kind) or (far > CUE_REACH and len(run.digits) > 4):",
           "if far > CUE_REACH:",
           ("tests/core/test_redaction_probe.py",), ci=True),
    Mutant("any number taken for a security code far from its cue", "copilot/privacy/analysis.py",
           "if far > reach_of(c.kind) or (far > CUE_REACH and len(run.digits) > 4):",
           "if far > reach_of(c.kind):",
           ("tests/core/test_redaction_probe.py",), ci=True),
    Mutant("a number a cue names, before a card, masked as card", "copilot/text/run_kinds.py",
           "if kind == \"card\" and atoms[:i] and not head and not other_cue and _false_start(",
           "if kind == \"card\" and atoms[:i] and not head and _false_start(",
           ("tests/core/test_redaction_probe.py",), ci=True),
    Mutant("an amended caption's old text stays in the files", "copilot/store/db.py",
           'busy, _log, _done = self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()\n'
           '        if busy:\n            log.warning("call %s: an amended',
           'busy = 0\n        if busy:\n            log.warning("call %s: an amended',
           ("tests/core/test_store_db.py",), ci=True),
    Mutant("only the key the signature names is tried", "models/packs/signing.py",
           "candidates = [key] + [k for k in trusted if k != key]",
           "candidates = [key]",
           ("tests/core/test_packs_trusted_keys.py",)),
    Mutant("the verifier accepts any number", "copilot/knowledge/verify.py",
           "    if p.value != n.value or not same_bound:\n"
           "        return False",
           "    if False:\n        return False",
           ("tests/core/test_verifier.py", "tests/core/test_suggest.py")),
    Mutant("a line from a passage that is only a candidate", "copilot/assist/suggest.py",
           "candidates = [h for h in hits if h.relevant and h.passage.approved_lines]",
           "candidates = [h for h in hits if h.shown and h.passage.approved_lines]",
           ("tests/core/test_meaning.py", "tests/core/test_suggest.py")),
    Mutant("the second reading gives a line at any lead", "copilot/knowledge/hybrid.py",
           "    if lead >= PIECES_LEAD and float(dense[pick]) >= PIECES_MIN and \\\n",
           "    if lead >= 0 and float(dense[pick]) >= PIECES_MIN and \\\n",
           ("tests/core/test_pieces.py",)),
    Mutant("the pieces' pick shown as the card however weak", "copilot/knowledge/hybrid.py",
           "    if decision.verdict == CANDIDATES and lead >= PIECES_CARD_LEAD and \\\n"
           "            float(dense[pick]) >= PIECES_MIN:\n",
           "    if decision.verdict == CANDIDATES and lead >= PIECES_CARD_LEAD:\n",
           ("tests/core/test_pieces.py",)),
    Mutant("a confident line kept whatever the pieces prefer", "copilot/knowledge/hybrid.py",
           "float(np.delete(read, 0).max()) - float(read[0]) <= PIECES_DISSENT:",
           "True:",
           ("tests/core/test_pieces.py",)),
    Mutant("a follow-up's line by the pieces alone never read with its issue",
           "copilot/knowledge/topic.py",
           "alone = self._doubted(turn, self._search([turn], k), k)",
           "alone = self._search([turn], k)",
           ("tests/core/test_topic.py",)),
    Mutant("a decode that stopped short is never read on", "copilot/asr/whisper_engine.py",
           "        if opts.allow_padded and result is not None and _stopped_short(result[0], duration):",
           "        if False:",
           ("tests/core/test_agent_vocabulary.py",)),
    Mutant("any bound on a time taken for the passage's", "copilot/knowledge/verify.py",
           'n.kind == p.kind == "duration" and {n.comparator, p.comparator} <= _TIME_BOUNDS)',
           'n.kind == p.kind == "duration")',
           ("tests/core/test_verifier_qualifiers.py",)),
    Mutant("a final that stopped short is not read further", "copilot/asr/whisper_engine.py",
           "            if longer is not None and _continues(result[0], longer[0]):",
           "            if False:",
           ("tests/e2e/test_no_sentence_lost.py",)),
    Mutant("a decode read further kept whatever it says", "copilot/asr/whisper_engine.py",
           "    return b[:len(a)] == a and _spoken_words(longer)",
           "    return True or b[:len(a)] == a and _spoken_words(longer)",
           ("tests/core/test_whisper_unheard.py",)),
    Mutant("an opening denial searched with the question", "copilot/knowledge/base.py",
           "searched = [c if kb_query.content_words(c, src) else u",
           "searched = [u if kb_query.content_words(c, src) else u",
           ("tests/e2e/test_meaning_real.py::"
            "test_a_question_after_an_opening_that_denies_a_thing_gets_its_line",)),
    Mutant("the context counted after another number's cue empties it",
           "copilot/privacy/redaction.py",
           "                self._card_at = now\n\n            self._amend(channel",
           "                self._card_at = now\n            n_ctx, n_held = len(ch.context), "
           "len(ch.held)\n\n            self._amend(channel",
           ("tests/core/test_redaction_releases_once.py",)),
    Mutant("the window leaves collection to whichever thread allocates", "ui/main_thread_gc.py",
           "        gc.disable()\n", "        pass\n",
           ("tests/ui/test_main_thread_gc.py",)),
    Mutant("a request's account words tick the item", "copilot/assist/checklist/readers.py",
           '    "account-facts": asks,', "",
           ("tests/core/test_checklist_account_facts.py",)),
    Mutant("a card's repeated one-digit groups cut as a loop", "copilot/asr/decode_guards.py",
           'if len(set(g.group()) - {",", "."}) >= 2 and len(again) >= 2:',
           'if len(again) >= 2:',
           ("tests/core/test_decode_guards.py",)),
    Mutant("what the trainee has nothing on judged as a claim", "copilot/practice/restated.py",
           "now_is_no_time(text, span) or \\\n        own_lack(text[clause[0]:clause[1]])",
           "now_is_no_time(text, span)",
           ("tests/core/test_practice_factcheck.py",)),
    Mutant("anyone minded to accept a quote read as the caller leaving",
           "copilot/assist/checklist/leaving_others.py",
           r"""ACCEPTING = re.compile(r"\b(?:i'm|i am|we're|we are)\s+(?:\w+\s+)?""",
           r"""ACCEPTING = re.compile(r"\b(?:\w+\s+)?""",
           ("tests/core/test_checklist_leaving.py",)),
    Mutant("signed up elsewhere read as leaving without settling up",
           "copilot/assist/checklist/leaving.py",
           "    signed = SIGNED_ELSEWHERE.search(text) and SETTLING_UP.search(text)",
           "    signed = SIGNED_ELSEWHERE.search(text)",
           ("tests/core/test_checklist_leaving.py",)),
    Mutant("what anyone pays read as the account's after the check",
           "copilot/assist/checklist/account_facts.py",
           "    answering = answering and not _POLICY.search(text)",
           "    answering = answering",
           ("tests/core/test_checklist_account_facts.py",)),
    Mutant("a claim of others' blanked though not denied", "copilot/practice/answer_text.py",
           "        if _DENIED.search(\" \".join(rest[:2])):",
           "        if True:",
           ("tests/core/test_practice_factcheck.py",)),
    Mutant("a remainder taken as right whatever its value", "copilot/practice/derived_values.py",
           "                    and _dec(whole.value) - _dec(part.value) == _dec(f.value):",
           "                    and True:",
           ("tests/core/test_practice_derived_answers.py",)),
    Mutant("a caller's few words complete a split check", "copilot/assist/checklist/tracker.py",
           "            if m is None and state.parts and caption.channel == AGENT:",
           "            if m is None and state.parts:",
           ("tests/core/test_checklist_tracker.py",)),
    Mutant("any short caption completes a split check", "copilot/assist/checklist/tracker.py",
           "LAST_PART_WORDS = 5",
           "LAST_PART_WORDS = 50",
           ("tests/core/test_checklist_tracker.py",)),
    Mutant("payments counted as the caller's whatever they count",
           "copilot/practice/derived_values.py",
           "             and _TAKEN.match(text, f.span[1]) and _KNOWN.search(text, 0, f.span[0])",
           "             and _TAKEN.match(text, f.span[1])",
           ("tests/core/test_practice_derived_answers.py",)),
    Mutant("a closing keyword cut off whatever came before it", "copilot/assist/checklist/match.py",
           "                            _RUN_ON_CLOSE.search(clause[:hit.start()]):",
           "                            True:",
           ("tests/core/test_checklist_meaning.py",)),
    Mutant("a claim before the trainee's lack of anything blanked", "copilot/practice/restated.py",
           "    return m is not None and own_lack(m.group()) and bool(_KNOWING.search(m.group()))",
           "    return m is not None and own_lack(m.group())",
           ("tests/core/test_practice_invented_rules.py",)),
    Mutant("a channel the call offers read as invented", "copilot/practice/invented_rules.py",
           "            if cued and len(words) >= MIN_UNSAID or named & set(words):",
           "            if cued and len(words) >= MIN_UNSAID or named:",
           ("tests/core/test_practice_invented_rules.py",)),
    Mutant("the caller's reading confirmed read as said back", "copilot/practice/said_back.py",
           r'''r"|saw)\s+(?:[\w-]+\s+){0,4}?that\b(?!\s+(?:right|correctly))")''',
           r'''r"|saw)\s+(?:[\w-]+\s+){0,4}?that\b")''',
           ("tests/core/test_practice_counts.py",)),
    Mutant("a run reaching back over any hum before it", "copilot/asr/vad.py",
           "lead = min(self._soft_run, o.reach_back)", "lead = self._soft_run",
           ("tests/core/test_vad_segmenter.py",)),
    Mutant("three split pieces joined to a word of another first letter",
           "copilot/knowledge/rejoin.py",
           "if len(c) >= NEAR_SOUNDS and w[0] == whole[0]", "if len(c) >= NEAR_SOUNDS",
           ("tests/core/test_knowledge_rejoin.py",)),
    Mutant("'not at all' negating nothing wherever it stands", "copilot/assist/checklist/match.py",
           r'''(?=\s*(?:[,.!?;]|$|so\b|and\b"''', r'''(?=\s*(?:[\w,.!?;]|$|so\b|and\b"''',
           ("tests/core/test_checklist_meaning.py",)),
    Mutant("'though' between digit groups no zero", "copilot/text/run_kinds.py",
           '''"ate": "8", "though": "0"}''', '''"ate": "8"}''',
           ("tests/core/test_redaction_probe.py",), ci=True),
    Mutant("the moment of any event the passage's when", "copilot/practice/answer_clauses.py",
           "        bool((_stems(head) | got) & _stems(part[:when.start()])) and \\",
           "        True and \\",
           ("tests/core/test_practice_factcheck.py",)),
    Mutant("N times a month read as a multiplier", "copilot/practice/answer_text.py",
           '''r"(?<=\\d )(?:times|fois)\\b(?!\\s+(?:a|an|per|each|every|par)\\s+(?:day|week"''',
           '''r"(?<=\\d )(?:times|fois)\\b(?!\\s+(?:xx)\\s+(?:day|week"''',
           ("tests/core/test_practice_factcheck.py",)),
    Mutant("a crew on nights read as gone to a name", "copilot/assist/checklist/leaving_others.py",
           '''rf"|\\b(?:{_KIN}|they)(?:'re|\\s+are)\\s+all\\s+on\\s+(?!(?:holiday|leave''',
           '''rf"|\\b(?:{_KIN}|they)(?:'re|\\s+are)\\s+all\\s+on\\s+(?!xx(?:holiday|leave''',
           ("tests/core/test_checklist_leaving.py",)),
    Mutant("a day at a time proposed read as a plan's price", "copilot/assist/checklist/offers.py",
           '''r"\\s+(?:you\\s+)?(?!(?:monday|tuesday|wednesday|thursday|friday"''',
           '''r"\\s+(?:you\\s+)?(?!(?:xx|wednesday|thursday|friday"''',
           ("tests/core/test_checklist_offers.py",)),
    Mutant("what the company brings anyone read as the account's",
           "copilot/assist/checklist/account_facts.py",
           '''r"|\\bwe\\s+(?:usually\\s+|always\\s+|normally\\s+)?(?:bring|provide|supply"''',
           '''r"|\\bwe\\s+(?:usually\\s+|always\\s+|normally\\s+)?(?:xx|provide|supply"''',
           ("tests/core/test_checklist_account_facts.py",)),
    Mutant("a time of day read as a bare count", "copilot/knowledge/fact_numbers.py",
           '''    if w in ("am", "pm") and nxt != "i" or w in ("a", "p") and nxt == "m" and \\''',
           '''    if w in ("xx", "pm") and nxt != "i" or w in ("a", "p") and nxt == "m" and \\''',
           ("tests/core/test_practice_counts.py",)),
    Mutant("any couple's separate ways read as leaving", "copilot/assist/checklist/leaving_said.py",
           '''    r"|\\btime\\s+(?:[\\w']+\\s+){0,5}?went\\s+our\\s+separate\\s+ways\\b"''',
           '''    r"|\\b(?:[\\w']+\\s+){0,5}?went\\s+our\\s+separate\\s+ways\\b"''',
           ("tests/core/test_checklist_leaving.py",)),
)


def run(mutant: Mutant) -> tuple[bool, float]:
    """(caught, seconds): whether the tests failed with the bug planted."""
    path = ROOT / mutant.path
    original = path.read_text(encoding="utf-8")
    if original.count(mutant.old) != 1:
        raise SystemExit(f"{mutant.path}: the line to mutate for {mutant.name!r} is not there "
                         "exactly once; update tests/mutations.py with the code")
    t0 = time.monotonic()
    try:
        path.write_text(original.replace(mutant.old, mutant.new), encoding="utf-8")
        result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p",
                                 "no:cacheprovider", "--no-header", *mutant.tests],
                                cwd=ROOT, capture_output=True, text=True)
    finally:
        path.write_text(original, encoding="utf-8")
    return result.returncode != 0, time.monotonic() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ci", action="store_true", help="only the mutants CI runs")
    args = ap.parse_args()
    survivors = 0
    for mutant in MUTANTS:
        if args.ci and not mutant.ci:
            continue
        caught, seconds = run(mutant)
        survivors += not caught
        print(f"mutant {'caught' if caught else 'SURVIVED'} ({seconds:.1f} s): {mutant.name} "
              f"[{mutant.path}]", flush=True)
    print(f"mutation check: {survivors} mutant(s) survived")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
