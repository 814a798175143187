"""Checks of what the settings dialog collected, before it is saved. Plain Python, no Qt.

Each problem names the field as the dialog labels it and says what to do, so a wrong path or a
broken pattern is caught here rather than when the next call starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from copilot.settings import FONT_SCALE_RANGE, MAX_RETENTION_DAYS, THEMES, Settings

__all__ = ["FONT_SCALE_RANGE", "MAX_RETENTION_DAYS", "THEMES", "Problem", "check"]

LANG_CODE = re.compile(r"^[a-z]{2,3}$")
# Transfer / escalate's destinations ([handoff] destinations): the agent picks one from a list
# during the call, so a short list of short names.
MAX_DESTINATIONS = 12
MAX_DESTINATION_CHARS = 60


@dataclass(frozen=True)
class Problem:
    page: str  # the dialog page to show: audio | languages | models | privacy | appearance
    # (or handoff: the Transfers page)
    message: str


def parse_languages(text: str) -> list[str]:
    """'en, fr es' -> ['en', 'fr', 'es'] (commas or spaces; duplicates dropped, order kept)."""
    out: list[str] = []
    for part in re.split(r"[,\s]+", text.strip().lower()):
        if part and part not in out:
            out.append(part)
    return out


def parse_patterns(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def check(s: Settings) -> list[Problem]:
    problems: list[Problem] = []
    bad = [code for code in s.asr.languages if not LANG_CODE.match(code)]
    if bad:
        problems.append(Problem("languages", f"Site languages: {', '.join(bad)} "
                                "is not a language code (use two letters, such as en, fr, es)"))
    for label, code in (("The agent's language", s.asr.agent_lang),
                        ("The customer's language", s.asr.customer_lang)):
        if code and s.asr.languages and code not in s.asr.languages:
            problems.append(Problem("languages", f"{label} ({code}) is not one of the site "
                                    "languages; add it there or choose another"))

    model = s.asr.model.strip()
    if model and not (Path(model) / "model.bin").is_file():
        problems.append(Problem("models", f"Speech model: {model} is not a Whisper model folder "
                                "(it has no model.bin); choose the folder of an installed model "
                                "or leave it empty for the installed default"))
    llm = s.llm.model.strip()
    if llm and not (Path(llm).is_file() and llm.lower().endswith(".gguf")):
        problems.append(Problem("models", f"Language model: {llm} is not a .gguf file; choose "
                                "one or leave it empty for the installed default"))
    kb = s.assist.kb_dir.strip()
    if kb and not (Path(kb).is_dir() and any(Path(kb).rglob("*.md"))):
        problems.append(Problem("models", f"Knowledge base: {kb} is not a folder of Markdown "
                                "(.md) policy files"))

    problems += _site_problems(s)
    for n, pattern in enumerate(s.redaction.extra_patterns, start=1):
        try:
            re.compile(pattern)
        except re.error as e:
            problems.append(Problem("privacy", f"Extra redaction pattern {n} ({pattern}) is not "
                                    f"a valid regular expression: {e}"))
    days = s.store.retention_days
    if not 0 <= days <= MAX_RETENTION_DAYS:
        problems.append(Problem("privacy", f"Keep calls for: {days} days is out of range "
                                f"(0 = forever, at most {MAX_RETENTION_DAYS})"))
    lo, hi = FONT_SCALE_RANGE
    if not lo <= s.ui.font_scale <= hi:
        problems.append(Problem("appearance", f"Text size {s.ui.font_scale:.0%} is out of range "
                                f"({lo:.0%} to {hi:.0%})"))
    if s.ui.theme not in THEMES:
        problems.append(Problem("appearance", f"Colours: unknown theme {s.ui.theme!r}"))
    problems += destination_problems(s.handoff.destinations)
    return problems


def destination_key(name: str) -> str:
    """What makes two destinations the same one: case and spacing aside."""
    return " ".join(name.split()).casefold()


def destination_problems(names: list[str]) -> list[Problem]:
    """Transfer / escalate's destinations as the Transfers page collected them: at least one,
    none empty, none twice, none too long, at most MAX_DESTINATIONS."""
    label = "Transfer destinations"
    if not names:
        return [Problem("handoff", f"{label}: add at least one (Restore defaults brings back "
                        "the built-in ones)")]
    problems: list[Problem] = []
    seen: dict[str, str] = {}  # destination_key -> the name as first written
    for n, name in enumerate(names, start=1):
        shown = " ".join(str(name).split())
        if not shown:
            problems.append(Problem("handoff", f"{label}: entry {n} is empty; type a name or "
                                    "remove it"))
        elif len(shown) > MAX_DESTINATION_CHARS:
            problems.append(Problem("handoff", f"{label}: entry {n} is too long (at most "
                                    f"{MAX_DESTINATION_CHARS} characters)"))
        elif destination_key(shown) in seen:
            problems.append(Problem("handoff", f"{label}: {seen[destination_key(shown)]} is "
                                    "listed twice"))
        else:
            seen[destination_key(shown)] = shown
    if len(names) > MAX_DESTINATIONS:
        problems.append(Problem("handoff", f"{label}: {len(names)} are too many (at most "
                                f"{MAX_DESTINATIONS}, for the agent to pick from during a call)"))
    return problems


def _site_problems(s: Settings) -> list[Problem]:
    """Model and knowledge paths the site's rules refuse (copilot/pack_trust.py): caught here,
    on Save, rather than when the next call finds nothing it may use."""
    from copilot import pack_trust

    try:
        rule = pack_trust.rule(s.packs)
    except pack_trust.NotAccepted as e:
        return [Problem("models", str(e))]
    problems = []
    for label, value, what in (("Speech model", s.asr.model, "speech model"),
                               ("Language model", s.llm.model, "language model"),
                               ("Knowledge base", s.assist.kb_dir, "knowledge base")):
        if value.strip():
            try:
                pack_trust.check_location(value.strip(), what, "this field", rule)
            except pack_trust.NotAccepted as e:
                problems.append(Problem("models", f"{label}: {e}"))
    return problems
