"""`copilot practice`: rehearse a difficult call with a simulated customer, get a scorecard.

    copilot practice --list
    copilot practice duplicate_charge                    # interactive: type your answers
    copilot practice duplicate_charge --voice            # speak them (microphone + Whisper)
    copilot practice duplicate_charge --answers a.txt --json   # scripted answers, JSON card
    copilot practice --progress [SCENARIO]

An answers file has one answer per line; blank lines and lines starting with # are skipped; a
line may start with the response time in brackets ("[12.5s] Sure, ...").
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import re
import sys
import threading
import time
from pathlib import Path
from typing import Any

from copilot.cli.common import KB_HELP, kb_folder, load_settings

CUSTOMERS = ("auto", "llm", "script")
_TIMED = re.compile(r"^\[(\d+(?:\.\d+)?)\s*s\]\s*")


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "practice", help="rehearse a difficult call with a simulated customer (training)",
        description="Practice mode: a simulated customer (scenario script, voiced by the local "
                    "LLM when it stays in character) talks to you; each answer gets feedback "
                    "(criteria met or missed, policy facts checked against the knowledge base, "
                    "tone, response time) and the session ends with a scorecard, stored in "
                    "practice.sqlite3 apart from real calls. Never runs during a live call.")
    p.add_argument("scenario", nargs="?", metavar="SCENARIO",
                   help="a bundled scenario name (see --list) or a .toml file")
    p.add_argument("--list", action="store_true",
                   help="list the scenarios: the active pack's own, then the bundled ones, each "
                        "marked when the knowledge base in use cannot serve it")
    p.add_argument("--progress", action="store_true",
                   help="show progress across stored sessions (of SCENARIO, or all)")
    p.add_argument("--answers", metavar="FILE", help="scripted answers, one per line")
    p.add_argument("--voice", action="store_true",
                   help="answer by voice: Enter starts and stops each recording")
    p.add_argument("--device", default=None, help="microphone (index or name) for --voice")
    p.add_argument("--customer", choices=CUSTOMERS, default="auto",
                   help="who voices the customer: the local LLM (checked, scripted fallback), "
                        "the script alone, or auto: the LLM when one is installed (default)")
    p.add_argument("--kb", metavar="DIR", help=KB_HELP)
    p.add_argument("--no-save", action="store_true", help="do not store the scorecard")
    p.add_argument("--json", action="store_true", help="print the scorecard as JSON")
    p.set_defaults(func=cmd_practice)


def cmd_practice(args: argparse.Namespace) -> int:
    from copilot.errors import UserError
    from copilot.practice.catalog import find_offered
    from copilot.practice.scenario import ScenarioError

    try:
        if args.list:
            return _list(args)
        if args.progress:
            return _progress(args)
        if not args.scenario:
            raise UserError("name a SCENARIO (see `copilot practice --list`)")
        if args.answers and args.voice:
            raise UserError("give either --answers FILE or --voice, not both")
        scenario = find_offered(args.scenario, _folders())
    except ScenarioError as e:
        raise UserError(str(e)) from None
    return _run(args, scenario)


def _run(args: argparse.Namespace, scenario: Any) -> int:
    from copilot.errors import UserError
    from copilot.knowledge.base import KnowledgeBase
    from copilot.knowledge.parse import KnowledgeError
    from copilot.locks import LiveCallActive, practice_lock
    from copilot.practice.scenario import ScenarioError
    from copilot.practice.session import PracticeOptions, PracticeSession
    from copilot.privacy.redaction import Redactor

    settings = load_settings()
    answers = _read_answers(Path(args.answers)) if args.answers else None
    kb_dir = kb_folder(settings, args.kb)
    with contextlib.ExitStack() as stack:
        try:
            guard = stack.enter_context(practice_lock())
            kb = stack.enter_context(KnowledgeBase.load(kb_dir))
        except LiveCallActive as e:
            raise UserError(str(e)) from None
        except KnowledgeError as e:
            raise UserError(f"knowledge base {kb_dir}: {e}") from None
        listen = _listener(args, settings, stack) if args.voice else None
        llm = _customer_llm(args.customer, settings, stack, quiet=args.json)
        try:
            session = PracticeSession(
                scenario, kb, llm, options=PracticeOptions(timed=answers is None),
                redactor=Redactor(settings.redaction.extra_patterns), guard=guard)
        except ScenarioError as e:
            raise UserError(str(e)) from None
        out = sys.stderr if args.json else sys.stdout
        try:
            _converse(session, answers, listen, out)
        except LiveCallActive as e:
            print(f"copilot: {e}; the practice session was stopped.", file=sys.stderr)
        card = session.finish()
    saved = None
    if not args.no_save:
        from copilot.practice.store import PracticeStore

        with PracticeStore() as store:
            saved = store.save(card)
    if args.json:
        print(json.dumps({**card.to_dict(), "session_id": saved}, ensure_ascii=False, indent=2))
    else:
        _print_card(card, saved)
    return 0


def _read_answers(path: Path) -> list[tuple[str, float | None]]:
    from copilot.errors import UserError

    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise UserError(f"cannot read the answers file {path}: {e}") from None
    out = []
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = _TIMED.match(line)
        out.append((line[m.end():], float(m.group(1))) if m else (line, None))
    if not out:
        raise UserError(f"the answers file {path} has no answers (one per line)")
    return out


def _customer_llm(choice: str, settings: Any, stack: contextlib.ExitStack, quiet: bool) -> Any:
    from copilot.errors import UserError
    from copilot.llm import ModelLoadError, open_llm

    if choice == "script":
        return None
    if choice == "auto" and importlib.util.find_spec("llama_cpp") is None:
        print("(customer: scripted; no LLM runtime installed)", file=sys.stderr)
        return None
    try:
        engine = stack.enter_context(open_llm(settings.llm))
    except ModelLoadError as e:
        if choice == "llm":
            raise UserError(f"the LLM for the customer cannot be loaded ({e}); use "
                            "--customer script") from None
        print(f"(customer: scripted; the LLM cannot be loaded: {e})", file=sys.stderr)
        return None
    if not quiet:
        print("(customer: the scenario's script, worded by the local LLM when its line stays in "
              "character, else as written)", file=sys.stderr)
    return engine


def _listener(args: argparse.Namespace, settings: Any, stack: contextlib.ExitStack) -> Any:
    """A function that records one spoken answer and returns its text."""
    from copilot.asr.model_paths import NoModelError, resolve_whisper_model
    from copilot.asr.whisper_engine import ModelLoadError, WhisperEngine
    from copilot.audio.base import AudioError
    from copilot.audio.devices import find_device
    from copilot.errors import UserError
    from copilot.practice.voice import answer_from_audio, record_answer

    try:
        find_device(args.device)  # before loading anything: is there a microphone at all?
        engine = stack.enter_context(WhisperEngine(resolve_whisper_model("", settings.asr.model),
                                                   settings.asr.compute_type,
                                                   settings.asr.threads))
    except AudioError as e:
        raise UserError(f"--voice needs a microphone: {e}") from None
    except (NoModelError, ModelLoadError) as e:
        raise UserError(f"--voice needs a speech model: {e}") from None

    def listen() -> str:
        input("  [Enter] to start speaking ")
        stop = threading.Event()
        threading.Thread(target=lambda: (input("  speaking... [Enter] to stop "), stop.set()),
                         daemon=True).start()
        try:
            samples, rate = record_answer(stop, device=args.device)
        except AudioError as e:
            raise UserError(str(e)) from None
        return answer_from_audio(samples, rate, engine, settings.asr.agent_lang or None)

    return listen


def _typed(out: Any) -> str:
    """A typed answer, its prompt where the conversation goes: with --json that is standard
    error (input()'s own prompt went to standard output, before the JSON: "YOU: YOU: {")."""
    print("YOU: ", end="", file=out, flush=True)
    return input()


def _converse(session: Any, answers: list | None, listen: Any, out: Any) -> None:
    from copilot.practice.session import PracticeError

    s = session.scenario
    print(f"# {s.title}\n{s.summary}\n", file=out)
    line = session.opening()
    print(f"CUSTOMER: {line.text}", file=out)
    queue = list(answers) if answers is not None else None
    while not line.last:
        if queue is not None:
            if not queue:
                print("(no more scripted answers: the session ends here)", file=out)
                return
            text, seconds = queue.pop(0)
            # as kept and judged (the site's redaction): a typed card number is shown masked
            print(f"YOU: {session.masked(text)}", file=out)
        else:
            start = time.monotonic()
            try:
                text = listen() if listen else _typed(out)
            except EOFError:
                return
            if text.strip() in ("/quit", "/q"):
                return
            if listen:
                print(f"YOU (heard): {text}", file=out)
            seconds = time.monotonic() - start
        try:
            result = session.answer(text, seconds=seconds)
        except PracticeError as e:
            print(f"  ({e}; try again)", file=out)
            continue
        for note in result.feedback.notes:
            print(f"    - {note}", file=out)
        line = result.customer
        print(f"CUSTOMER: {line.text}", file=out)
    if queue:
        print(f"({len(queue)} scripted answer(s) left unused: the customer ended the call)",
              file=out)


def _print_card(card: Any, saved: int | None) -> None:
    from copilot.practice.scorecard import WRONG_FACTS

    print(f"\n== Scorecard: {card.scenario_title} ==")
    print(f"score {card.score:.0%}  {'PASSED' if card.passed else 'not passed'}"
          + ("" if card.completed else "  (stopped before the customer was done)"))
    marks = {"met": "[x]", "clear": "[x]", "n/a": "[-]", "missed": "[ ]", "violated": "[!]"}
    for r in card.results:
        print(f"  {marks.get(r.status, '[?]')} {r.label}: {r.status}"
              + (f" - {r.detail}" if r.detail else ""))
    print(f"policy facts: {card.facts_correct} correct, {card.facts_wrong} {WRONG_FACTS}")
    tone = card.tone_summary()
    n = len(card.answers)
    print(f"tone: apology in {tone['apology_answers']}/{n} answers, empathy in "
          f"{tone['empathy_answers']}/{n}, plain language in {tone['plain_answers']}/{n}"
          + (f"; jargon: {', '.join(tone['jargon'])}" if tone["jargon"] else ""))
    if card.median_response is not None:
        print(f"response time: median {card.median_response:.1f} s, "
              f"longest {max(card.response_times):.1f} s")
    if saved is not None:
        print(f"saved as practice session {saved} (copilot practice --progress)")


def _folders() -> list[tuple[Path, str]]:
    from copilot import resolver
    from copilot.errors import UserError

    try:
        return [(c.path, c.origin) for c in resolver.scenario_folders() if c.path is not None]
    except resolver.PackUnusable as e:
        raise UserError(str(e)) from None


def _list(args: argparse.Namespace) -> int:
    from copilot.errors import UserError
    from copilot.knowledge.base import KnowledgeBase
    from copilot.knowledge.parse import KnowledgeError
    from copilot.practice.catalog import offers

    kb_dir = kb_folder(load_settings(), args.kb)
    try:
        with KnowledgeBase.load(kb_dir) as kb:
            found = offers(_folders(), kb)
    except KnowledgeError as e:
        raise UserError(f"knowledge base {kb_dir}: {e}") from None
    if args.json:
        print(json.dumps([{"id": o.scenario.id, "title": o.scenario.title,
                           "language": o.scenario.language, "summary": o.scenario.summary,
                           "passages": list(o.scenario.passages), "origin": o.origin,
                           "available": o.available, "unavailable": o.unavailable}
                          for o in found], ensure_ascii=False, indent=2))
        return 0
    if not found:
        print("no practice scenarios are installed")
    for o in found:
        s = o.scenario
        print(f"{s.id:<20} [{s.language}] {s.title}  ({'the pack' if o.origin == 'pack' else 'bundled'})")
        if not o.available:
            print(f"{'':<20} not available with the knowledge base in {kb_dir}: {o.why_not}")
    return 0


def _progress(args: argparse.Namespace) -> int:
    from copilot.practice.catalog import find_offered
    from copilot.practice.store import PracticeStore, practice_db_path

    scenario_id = find_offered(args.scenario, _folders()).id if args.scenario else None
    if not practice_db_path().exists():
        rows = []
    else:
        with PracticeStore() as store:
            rows = store.progress(scenario_id)
    if args.json:
        print(json.dumps([r.to_dict() for r in rows], ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print(f"no practice sessions of {scenario_id} stored yet" if scenario_id else
              "no practice sessions stored yet")
        return 0
    for r in rows:
        stopped = (f" ({r.stopped} stopped early, not scored)"
                   if r.stopped and r.stopped < r.attempts else "")
        print(f"{r.scenario_id} ({r.title}): {r.attempts} session(s){stopped}, {r.passed} "
              f"passed; score first {r.first_score:.0%}, last {r.last_score:.0%}, best "
              f"{r.best_score:.0%} ({r.trend:+.0%})")
        for c in r.criteria:
            print(f"    {c.ok}/{c.attempts}  {c.label} (last: {c.last_status})")
    return 0
