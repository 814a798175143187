"""The log never holds what was said (README; copilot/logs.py), proven end to end.

The real pipeline runs on material seeded with marker words and numbers: a synthesized call
replayed with assistance and the LLM (stored) and again unstored, the billing call, practice
with typed answers and the LLM customer, `rephrase --llm`, `suggest --adapter llm` and
`kb ask`, all as their commands in a fresh COPILOT_HOME with every socket refused. Everything
the commands printed (captions, translations, suggestions, summaries, notes, LLM rewrites, the
practice transcript and its rejected model lines) and every typed input is what was said. Then:

- no marker (a word or number that occurs only in the seeded material) is in any log file;
- no run of three consecutive words of what was said is in any log file. Words are compared
  lower-cased without punctuation. A run counts only when it has a word of four or more letters
  that is not a common function word ("that", "with", "your": "I want the" is English, not a
  call), and runs the program writes itself (the words of its own source, where every log
  format string is) are not the call's;
- an unstored call is named in the log by a session id, never "None".

Second part, content debug mode on (`[logging] content_debug = true`): a stored call's debug file
holds the words (and they are still not in the log); `copilot calls delete` erases it, and
afterwards no marker and no run of what was said is in any file of the data folder.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from run_once import once

REPO = Path(__file__).resolve().parents[2]
NONET = Path(__file__).with_name("nonet.py")

pytestmark = pytest.mark.skipif(importlib.util.find_spec("llama_cpp") is None,
                                reason="llama-cpp-python is not installed")

# Spoken by the synthesized customer (espeak-ng, heard by Whisper base): those the captions
# show are markers.
SPOKEN_MARKERS = ("pelican", "marmalade", "honolulu", "saxophone", "618427")
CALL_SCRIPT = """# title: Marker call
# lang: en
A: Thank you for calling Northwind Mobile, this is Priya. How can I help you today?
C: Hi, I run the pelican marmalade shop in Honolulu. I was charged twice this month and I want the extra payment back.
A: I'm sorry about that. Can I have the account number, please?
C: Sure, it's six one eight four two seven. The charge was sixty three dollars, twice.
A: Thank you. I will file a billing correction for the duplicate charge now.
C: How long will it take to get my money back to the pelican account? The saxophone school pays it.
A: Let me check the refund policy for you.
C: Please send an email to the marmalade shop in Honolulu when it is done.
"""
# Typed, so always markers.
TYPED_MARKERS = ("quibblethorpe", "fizzlewick", "zanzibar", "quokka", "731946", "482613",
                 "gondolier", "559302")
MARKER_PASSAGE = """# Test plans

## [ZQ-01] Zanzibar Quokka plan
The Zanzibar Quokka plan costs 48 dollars a month and includes unlimited calls to Fizzlewick Island.
Approved line: The Zanzibar Quokka plan is 48 dollars a month, with unlimited calls to Fizzlewick Island.
"""
SUGGEST = ("How much is the Zanzibar Quokka plan for my cousin Quibblethorpe, account 731946?",
           "I was charged twice for my bill and my neighbour the gondolier wants his money back "
           "by Friday, reference 559302.")
REPHRASE = ("Tell Mr Fizzlewick the Zanzibar Quokka plan is 48 dollars and his refund 482613 "
            "comes in 5 business days")
ASK = "Does the Zanzibar Quokka plan include roaming for Quibblethorpe the gondolier?"
# The scenario's good answers with markers woven in (the criteria still pass or not: the
# score does not matter here, the words do).
PRACTICE_EXTRA = {1: " My colleague Quibblethorpe noted reference 482613 for you.",
                  3: " The gondolier rate from Fizzlewick does not apply."}

STOPWORDS = frozenset("""
about above after again against also been before being below between both cannot could does
doing down during each from further have having here hers herself himself into itself just
more most myself once only other ours ourselves over same should some such than that their
theirs them themselves then there these they this those through under until very were what
when where which while whom would your yours yourself yourselves will with want like well
""".split())


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.lower().replace("'", "").replace("\u2019", ""))


def _runs(text: str) -> set[tuple[str, str, str]]:
    w = _words(text)
    return {(a, b, c) for a, b, c in zip(w, w[1:], w[2:], strict=False)
            if any(len(x) >= 4 and x.isalpha() and x not in STOPWORDS for x in (a, b, c))}


def _strings(value) -> list[str]:
    """Every string in a JSON value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _program_runs() -> set[tuple[str, str, str]]:
    """The runs of the program's own words: its source (log format strings, reason codes)."""
    out: set[tuple[str, str, str]] = set()
    for root in ("copilot", "models"):
        for path in (REPO / root).rglob("*.py"):
            out |= _runs(path.read_text(encoding="utf-8"))
    return out


def _copilot(home: Path, *args: str, stdin: str | None = None,
             timeout: float = 900) -> subprocess.CompletedProcess:
    env = dict(os.environ, COPILOT_HOME=str(home))
    out = subprocess.run([sys.executable, str(NONET), *args], capture_output=True, text=True,
                         env=env, timeout=timeout, input=stdin)
    assert out.returncode == 0, f"copilot {' '.join(args)}: {out.stderr[-3000:]}"
    return out


def _jsonl(out: subprocess.CompletedProcess) -> list[dict]:
    return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]


def _file_text(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace")


def _leaks(text: str, markers: set[str], said: list[str], program: set) -> list[str]:
    found = []
    words = set(_words(text))
    digits = set(re.findall(r"\d+", text))
    for m in sorted(markers):
        if (m in digits) if m.isdigit() else (m in words):
            found.append(f"marker {m!r}")
    runs = _runs(text) - program
    for s in said:
        for run in sorted(_runs(s) & runs):
            found.append(f"{' '.join(run)!r} of {s[:100]!r}")
    return sorted(set(found))


@pytest.fixture(scope="module")
def material(testdata, tmp_path_factory) -> dict:
    for tool in ("espeak-ng", "sox"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is needed to synthesize the test call (./dev installs it)")
    folder = tmp_path_factory.mktemp("material")
    (folder / "call.txt").write_text(CALL_SCRIPT, encoding="utf-8")
    subprocess.run([sys.executable, str(REPO / "tools" / "synth_call.py"),
                    str(folder / "call.txt"), str(folder / "call.wav"), "--keep-edges"],
                   check=True, capture_output=True)
    kb = folder / "kb"
    shutil.copytree(testdata / "kb" / "northwind", kb)
    (kb / "test_plans.md").write_text(MARKER_PASSAGE, encoding="utf-8")
    good = (REPO / "resources" / "scenarios" / "answers" / "cancellation.good.txt").read_text(
        encoding="utf-8")
    answers = [ln for ln in good.splitlines() if ln.strip() and not ln.startswith("#")]
    answers = [a + PRACTICE_EXTRA.get(i, "") for i, a in enumerate(answers)]
    (folder / "answers.txt").write_text("\n".join(answers) + "\n", encoding="utf-8")
    return {"call": folder / "call.wav", "kb": kb, "answers": folder / "answers.txt",
            "typed": [*SUGGEST, REPHRASE, ASK, *answers]}


def _said_in(outputs: list) -> list[str]:
    """What was said or written about it: every string of three words or more printed."""
    return [s for value in outputs for s in _strings(value) if len(_words(s)) >= 3]


@pytest.fixture(scope="module")
def plain(material, testdata, base_model, tmp_path_factory) -> dict:
    """Content debug off (the default): every command once (once per run: run_once.py)."""
    found = once(tmp_path_factory, "log-content-plain",
                 lambda folder: _plain(folder / "home", material, testdata, base_model))
    return {**found, "home": Path(found["home"])}


def _plain(home: Path, material: dict, testdata: Path, base_model: Path) -> dict:
    home.mkdir()
    kb, model = str(material["kb"]), str(base_model)
    outputs: list = []
    outputs += _jsonl(_copilot(home, "replay", str(material["call"]), "--jsonl", "--kb", kb,
                               "--model", model))
    outputs += _jsonl(_copilot(home, "replay", str(material["call"]), "--jsonl", "--kb", kb,
                               "--model", model, "--no-store"))
    outputs += _jsonl(_copilot(home, "replay", str(testdata / "calls" / "billing_refund.wav"),
                               "--jsonl", "--kb", kb, "--model", model))
    for utterance in SUGGEST:
        outputs.append(json.loads(_copilot(home, "suggest", "--adapter", "llm", "--kb", kb,
                                           "--json", utterance).stdout))
    rephrased = json.loads(_copilot(home, "rephrase", "--llm", "--kb", kb, "--json",
                                    REPHRASE).stdout)
    outputs.append(rephrased)
    outputs.append(json.loads(_copilot(home, "kb", "ask", "--kb", kb, "--json", ASK).stdout))
    outputs.append(json.loads(_copilot(home, "practice", "cancellation", "--answers",
                                       str(material["answers"]), "--customer", "llm",
                                       "--json").stdout))
    return {"home": str(home), "outputs": outputs, "rephrased": rephrased}


@pytest.fixture(scope="module")
def debug(material, testdata, base_model, tmp_path_factory) -> dict:
    """Content debug on: two stored calls, their debug files read, then both calls deleted
    (once per run)."""
    found = once(tmp_path_factory, "log-content-debug",
                 lambda folder: _debug(folder / "home", material, testdata, base_model))
    return {**found, "home": Path(found["home"])}


def _debug(home: Path, material: dict, testdata: Path, base_model: Path) -> dict:
    home.mkdir()
    (home / "settings.toml").write_text("[logging]\ncontent_debug = true\n", encoding="utf-8")
    kb, model = str(material["kb"]), str(base_model)
    outputs: list = []
    for audio in (material["call"], testdata / "calls" / "billing_refund.wav"):
        outputs += _jsonl(_copilot(home, "replay", str(audio), "--jsonl", "--kb", kb,
                                   "--model", model))
    debug_files = {p.name: _file_text(p) for p in sorted((home / "calls-debug").glob("*"))}
    log_before = _file_text(home / "logs" / "copilot.log")
    for call_id in (1, 2):
        _copilot(home, "calls", "delete", str(call_id), "--yes")
    return {"home": str(home), "outputs": outputs, "files": debug_files,
            "log_before": log_before}


def _markers(said: list[str]) -> set[str]:
    heard = set(_words(" ".join(said))) | set(re.findall(r"\d+", " ".join(said)))
    return {m for m in SPOKEN_MARKERS if m in heard} | set(TYPED_MARKERS)


def _log_files(home: Path) -> list[Path]:
    return sorted(p for p in (home / "logs").iterdir() if p.is_file())


def test_the_material_went_through_the_pipeline(plain, debug):
    said = _said_in(plain["outputs"])
    heard = _markers(said) - set(TYPED_MARKERS)
    assert len(heard) >= 2, f"the ASR heard too few spoken markers to prove anything: {said[:12]}"
    kinds = {o.get("type") for o in plain["outputs"] if isinstance(o, dict)}
    assert {"caption", "suggestion", "summary", "after_call"} <= kinds
    # The LLM really ran: its rewrite was used or judged (either way its output was text the
    # log must not hold).
    r = plain["rephrased"]
    assert r["origin"] == "llm" or r["rejected_drafts"] or any("LLM" in n for n in r["notes"]), r


def test_no_log_line_holds_what_was_said(plain, material):
    said = _said_in(plain["outputs"]) + material["typed"]
    program = _program_runs()
    problems = []
    for path in _log_files(plain["home"]):
        problems += [f"{path.name}: {leak}" for leak in
                     _leaks(_file_text(path), _markers(said), said, program)]
    assert not problems, "\n".join(problems)


def test_an_unstored_call_is_named_by_a_session_id(plain):
    log = _file_text(plain["home"] / "logs" / "copilot.log")
    assert "call None" not in log
    assert re.search(r"call s-[0-9a-f]{8} started: .* stored False", log), log
    assert re.search(r"call s-[0-9a-f]{8} completed: \d+ finals", log), log
    assert re.search(r"call 1 started: .* stored True", log), log


def test_without_content_debug_no_text_is_written_beside_the_log(plain):
    assert not (plain["home"] / "calls-debug").exists()


def test_content_debug_writes_the_words_to_the_call_and_deletes_them_with_it(debug, material):
    said = _said_in(debug["outputs"])
    captions = [o["text"] for o in debug["outputs"]
                if o.get("type") == "caption" and o.get("final") and o.get("text")]
    # Before deletion: one file per stored call, holding the words (the captions, at least).
    assert set(debug["files"]) == {"call-1.log", "call-2.log"}, debug["files"].keys()
    kept = "\n".join(debug["files"].values())
    assert all(c in kept for c in captions[:3]), kept[:2000]
    # The debug file's extra text (rejected LLM output: the `%r` that ends each line) is what
    # was said too, and the log never held it, not even in debug mode.
    quoted = [m.group(2) for ln in kept.splitlines()
              if (m := re.search(r""": (['"])(.*)\1$""", ln))]
    assert len(quoted) >= len(captions)
    debug_said = said + [q for q in quoted if len(_words(q)) >= 3]
    program = _program_runs()
    markers = _markers(said)
    assert not _leaks(debug["log_before"], markers, debug_said, program)
    # After `calls delete`: no debug file, and nothing of the calls in any file of the folder.
    home = debug["home"]
    assert not list((home / "calls-debug").glob("*")), list((home / "calls-debug").iterdir())
    problems = []
    # models/ holds installed models (the sentence encoder converted on first use), whose
    # vocabularies have every common word: nothing of a call is written there.
    for path in sorted(p for p in home.rglob("*") if p.is_file()
                       and p.relative_to(home).parts[0] != "models"):
        problems += [f"{path.relative_to(home)}: {leak}" for leak in
                     _leaks(_file_text(path), markers, debug_said, program)]
    assert not problems, "\n".join(problems)
