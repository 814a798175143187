"""One typed, versioned, Qt-free settings object, read from and written to TOML.

It is passed in to whatever needs it (never a global, never built inside an engine).
Unknown keys are ignored and missing ones take defaults, so older files keep working. A value of
the wrong type or out of its range (`font_scale = 5`, `theme = "purple"`, `threads = "two"`) is
not used either: that one setting keeps its default and `Settings.problems` says which and why,
for the front ends to show (a hand-edited file must neither crash the app nor freeze it).
`Settings.load` reads the file alone; the settings in force are copilot.site_policy.load_settings()
(the file with the site policy's locked values), which every front end uses.
"""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

SETTINGS_VERSION = 1

# Allowed values, the one place for each (the settings dialog offers the same).
FONT_SCALE_RANGE = (0.8, 2.0)
THEMES = ("system", "light", "dark")
SEARCH_MODES = ("hybrid", "dense", "keyword")
CHANNELS = ("stereo", "mono")
# CTranslate2's compute types.
COMPUTE_TYPES = ("default", "auto", "int8", "int8_float32", "int8_float16", "int8_bfloat16",
                 "int16", "float16", "bfloat16", "float32")
MAX_RETENTION_DAYS = 3650
# (section, name) -> (lowest, highest) for numbers, or the allowed strings.
LIMITS: dict[tuple[str, str], tuple[float, float] | tuple[str, ...]] = {
    ("ui", "font_scale"): FONT_SCALE_RANGE,
    ("ui", "theme"): THEMES,
    ("assist", "search"): SEARCH_MODES,
    ("audio", "channels"): CHANNELS,
    ("asr", "compute_type"): COMPUTE_TYPES,
    ("asr", "threads"): (1, 64),
    ("asr", "partial_interval"): (0.1, 10.0),
    ("asr", "final_beam_size"): (1, 10),
    ("audio", "queue_seconds"): (1.0, 600.0),
    ("llm", "threads"): (1, 64),
    ("llm", "context"): (256, 131072),
    ("llm", "max_tokens"): (1, 4096),
    ("llm", "temperature"): (0.0, 2.0),
    ("llm", "nice"): (0, 19),
    ("assist", "max_suggestions"): (0, 5),
    ("assist", "second_min_ratio"): (0.0, 1.0),
    ("assist", "summary_min_interval"): (0.0, 600.0),
    ("store", "retention_days"): (0, MAX_RETENTION_DAYS),
    ("packs", "max_file_mb"): (1, 1_000_000),
    ("packs", "max_total_mb"): (1, 1_000_000),
}
# The longest a free-text setting may be, in characters: the agent's name goes into every
# agent caption's Whisper prompt (as each word of a checklist's `vocabulary`, at most 40).
MAX_CHARS: dict[tuple[str, str], int] = {("asr", "agent_name"): 40}


@dataclass
class AsrSettings:
    model: str = ""  # a CTranslate2 Whisper folder; empty = the installed default
    compute_type: str = "int8"
    threads: int = 2
    # The agent works in a known language; short agent lines ("How can I help?") are too brief
    # for reliable detection. The customer's language is detected unless fixed here.
    agent_lang: str = "en"  # "" = detect
    customer_lang: str = ""  # "" = detect
    # The languages this site serves: detection chooses among them (empty list: any language).
    languages: list[str] = field(default_factory=lambda: ["en", "fr", "es", "de", "it", "pt"])
    partial_interval: float = 0.8  # seconds between partial refreshes while someone speaks
    final_beam_size: int = 1  # beam search for final captions (partials are always greedy)
    # Whisper's own translation to English of each final customer caption in another language
    # (multilingual models only); off when a text translation model handles the language.
    translate_customer: bool = True
    # The agent's own name, as they say it on calls ("Priya"): given to the recognizer with the
    # site's words on the agent's channel, so a greeting's "Priya speaking" is not written
    # "pre-speaking" (and the checklist's "give your name" can tick). "" = none.
    agent_name: str = ""


@dataclass
class AudioSettings:
    agent_device: str = ""  # sounddevice name or index; "" = default input
    customer_device: str = ""  # e.g. the softphone's output monitor
    channels: str = "stereo"  # stereo (agent left, customer right) | mono
    swap: bool = False
    queue_seconds: float = 10.0  # bounded capture queue; overflow is dropped and counted


@dataclass
class RedactionSettings:
    # Extra regular expressions; every match is replaced by [REDACTED].
    extra_patterns: list[str] = field(default_factory=list)


@dataclass
class AssistSettings:
    kb_dir: str = ""  # the approved knowledge base (a folder of Markdown); "" = the bundled sample
    # CTranslate2 translation models, one folder per pair ("fr-en/") or multilingual ones;
    # "" = $COPILOT_HOME/models/mt. Without one, Whisper translates speech to English and the
    # LLM is the last resort.
    mt_dir: str = ""
    # The sentence encoder that lets the knowledge base be searched by meaning (a CTranslate2
    # folder); "" = the active pack's, else the bundled all-MiniLM-L6-v2; "none" = keywords only.
    encoder: str = ""
    # How passages are found: "hybrid" (keywords and meaning, precision first), "dense"
    # (meaning only) or "keyword" (FTS5/BM25 only). Without an encoder: keyword.
    search: str = "hybrid"
    # Show suggested lines in the customer's language too (for the agent to read out) when a
    # translation keeps every number of the line.
    translate_suggestions: bool = True
    # What a suggestion says when no approved passage is relevant enough ("grounded or silent").
    # It must state no policy fact of its own: the suggester checks it with the verifier.
    abstain_text: str = "I'm not sure about that; let me check and get back to you."
    # What it says instead when the caller reports a promise ("your website said ...") and the
    # card shows the topic's passage to check it against (copilot/knowledge/claims.py): no
    # policy fact either, and no confirmation of the promise.
    claim_text: str = ("I can't confirm that offer from here; let me check it against our "
                       "current policy.")
    max_suggestions: int = 2
    # A second suggestion (from the second-best passage) is offered only when that passage's
    # relevance evidence is at least this share of the best one's: a merely relevant neighbour
    # (the late-fee policy for a cancellation question) would distract the agent.
    second_min_ratio: float = 0.75
    # The after-call disposition is picked from this list (a site may replace it; "other" is
    # the fallback when nothing said in the call matches a code).
    disposition_codes: list[str] = field(default_factory=lambda: [
        "resolved", "refund_issued", "escalated", "callback_scheduled", "information_given",
        "transferred", "cancelled", "other"])
    # The running summary is refreshed after a customer's final caption, at most this often
    # (seconds of call time; a refresh held back runs when the interval is over). The
    # extractive part takes milliseconds; the LLM pass (cancelled when stale) is the costly one.
    summary_min_interval: float = 3.0


@dataclass
class LlmSettings:
    model: str = ""  # a GGUF file; empty = the installed default (SmolLM2-135M)
    threads: int = 2
    context: int = 2048  # tokens
    max_tokens: int = 96
    temperature: float = 0.2
    # Scheduling niceness of the model's threads (Linux/macOS; 0 = as the app). Captions come
    # first: on 2 cores the LLM must only use what the speech model leaves.
    nice: int = 10


@dataclass
class PacksSettings:
    # Ed25519 public keys a pack may be signed with: base64 or hex of the 32 raw bytes, or the
    # path of a .pub file written by `copilot pack keygen`.
    trusted_keys: list[str] = field(default_factory=list)
    # Refuse packs without a valid signature from a trusted key (a signed pack from an unknown
    # key is always refused).
    require_signed: bool = False
    max_file_mb: int = 4096  # one file of a pack, at most (a 7B GGUF is about 4 GB)
    max_total_mb: int = 16384  # the whole pack, at most


@dataclass
class StoreSettings:
    # Calls older than this many days are erased (really: delete_call) when the app starts;
    # 0 keeps them forever. See copilot/store/retention.py.
    retention_days: int = 0
    # Encrypt the call database at rest (SQLCipher; copilot/store/options.py). Turning it on
    # encrypts an existing plain database in place the next time it is opened; it cannot be
    # turned back off (the encrypted database is then refused, never decrypted).
    encrypt: bool = False
    # The key's file (64 hex characters; created, private, with a new store) for machines
    # without a system keyring; "" = the system keyring. COPILOT_STORE_KEY_FILE wins over it.
    key_file: str = ""


@dataclass
class LoggingSettings:
    # Content debug mode, for a developer: the text behind the log's content-free lines (the
    # rejected LLM output, the reason's terms) is written to calls-debug/call-<id>.log in the
    # data folder while a stored call is recorded, and erased with that call (`calls delete`,
    # retention). The log itself never holds what was said. A site forbids it with the
    # environment variable COPILOT_SITE_NO_CONTENT_DEBUG=1 (see copilot/logs.py) or locks it
    # with `content_debug` in its site policy (copilot/site_policy.py).
    content_debug: bool = False


@dataclass
class HandoffSettings:
    # Where the call bar's Transfer / escalate can hand a call: the handoff note's destinations,
    # in the order offered (the first is preselected; an empty list means these defaults). At
    # wrap-up a handoff preselects the disposition "escalated", or "transferred" for a
    # destination naming no supervisor or manager when the disposition codes include it.
    destinations: list[str] = field(default_factory=lambda: [
        "Billing team", "Technical support", "Supervisor"])


@dataclass
class UiSettings:
    font_scale: float = 1.0  # 1.0 = the system font size; FONT_SCALE_RANGE
    theme: str = "system"  # system | light | dark


@dataclass
class Settings:
    version: int = SETTINGS_VERSION
    asr: AsrSettings = field(default_factory=AsrSettings)
    audio: AudioSettings = field(default_factory=AudioSettings)
    redaction: RedactionSettings = field(default_factory=RedactionSettings)
    llm: LlmSettings = field(default_factory=LlmSettings)
    assist: AssistSettings = field(default_factory=AssistSettings)
    store: StoreSettings = field(default_factory=StoreSettings)
    packs: PacksSettings = field(default_factory=PacksSettings)
    ui: UiSettings = field(default_factory=UiSettings)
    logging: LoggingSettings = field(default_factory=LoggingSettings)
    handoff: HandoffSettings = field(default_factory=HandoffSettings)

    @classmethod
    def load(cls, path: Path) -> Settings:
        if not path.exists():
            return cls()
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            raise ValueError(f"settings file {path} is not valid TOML: {e}") from e
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Settings:
        s = cls()
        sections = ("asr", "audio", "redaction", "llm", "assist", "store", "packs", "ui",
                    "logging", "handoff")
        # A misspelt name is said, not silently ignored ("require_sigend = true" would leave
        # unsigned packs allowed without a word); "version" is the file's own.
        s.problems.extend(f"[{name}] is not a section of the settings; ignored"
                          for name in data if name not in (*sections, "version"))
        for section in sections:
            target = getattr(s, section)
            given = data.get(section, {})
            if not isinstance(given, dict):
                s.problems.append(f"[{section}] is not a table; its defaults are used")
                continue
            known = {f.name for f in fields(target)}
            s.problems.extend(f"[{section}] {name} is not a setting; ignored"
                              for name in given if name not in known)
            for f in fields(target):
                if f.name not in given:
                    continue
                value, default = given[f.name], getattr(target, f.name)
                why = _problem(section, f.name, value, default)
                if why:
                    using = "the default" if isinstance(default, list) else _toml_value(default)
                    s.problems.append(f"[{section}] {f.name} = {_toml_value_safe(value)} {why}; "
                                      f"using {using}")
                else:
                    setattr(target, f.name, float(value) if isinstance(default, float) else value)
        return s

    @property
    def problems(self) -> list[str]:
        """Values of the file that were not used, each with why (not a setting: never saved)."""
        if "_problems" not in self.__dict__:
            self.__dict__["_problems"] = []
        return self.__dict__["_problems"]

    def needs_reload(self, other: Settings) -> bool:
        """Whether going from these settings to `other` changes what is loaded once and kept
        across calls (the speech model, the LLM, the knowledge base, translation models, pack
        policy): a window then loads them again between calls. Everything else (devices,
        languages, redaction, assistance options) is read when each call is built."""
        loaded = (("asr", ("model", "compute_type", "threads")), ("llm", None),
                  ("assist", ("kb_dir", "mt_dir", "encoder", "search")), ("packs", None))
        for section, names in loaded:
            a, b = asdict(getattr(self, section)), asdict(getattr(other, section))
            keys = names or tuple(a)
            if any(a.get(k) != b.get(k) for k in keys):
                return True
        return False

    def save(self, path: Path) -> None:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(_to_toml(asdict(self)), encoding="utf-8")
        tmp.replace(path)


def _problem(section: str, name: str, value: Any, default: Any) -> str:
    """Why `value` cannot be used for a setting whose default is `default`, or ""."""
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(default, float):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    elif isinstance(default, list):
        ok = isinstance(value, list) and all(isinstance(x, str) for x in value)
    else:
        ok = isinstance(value, type(default))
    if not ok:
        kind = {bool: "true or false", int: "a whole number", float: "a number",
                list: "a list of strings", str: "a string"}[type(default)]
        return f"is not {kind}"
    longest = MAX_CHARS.get((section, name))
    if longest is not None and len(value) > longest:
        return f"is longer than {longest} characters"
    limit = LIMITS.get((section, name))
    if limit and isinstance(limit[0], str) and value not in limit:
        return f"is not one of {', '.join(map(str, limit))}"
    if limit and not isinstance(limit[0], str):
        lo, hi = limit
        if not lo <= value <= hi:
            return f"is out of range ({lo} to {hi})"
    return ""


def _toml_value_safe(v: Any) -> str:
    try:
        return _toml_value(v)
    except TypeError:
        return type(v).__name__


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    raise TypeError(f"cannot write {type(v).__name__} to TOML")


def _to_toml(d: dict[str, Any]) -> str:
    lines = [f"{k} = {_toml_value(v)}" for k, v in d.items() if not isinstance(v, dict)]
    for k, v in d.items():
        if isinstance(v, dict):
            lines.append(f"\n[{k}]")
            lines.extend(f"{kk} = {_toml_value(vv)}" for kk, vv in v.items())
    return "\n".join(lines) + "\n"
