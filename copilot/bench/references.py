"""Reference transcripts for a recording: what was really said, by whom, and (when known) when.

Three sources, tried in this order by `find_reference(audio)`:
- a test call's `<stem>.json` beside the audio (exact turn timings per channel, from make_call.py);
- a row of a `MANIFEST.tsv` in a parent folder (one transcript per file, no timings);
- given explicitly with `load_reference(audio, ref)`: a `.json`, a `MANIFEST.tsv`, or a plain text
  file (a call script's "A:"/"C:" lines become agent/customer turns; '#' lines are comments).

Channel names are the engine's: "agent" (left) and "customer" (right) for stereo, "mono" for one
mixed channel. A reference without timings has `timed=False`: it can score WER, not latency.

A call whose card numbers and codes are known (the card-reading set) has a `<stem>.expect.json`
beside it as well: `find_secrets(audio)`, for counting what of them a run's captions show.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

AGENT, CUSTOMER, MONO = "agent", "customer", "mono"
# Manifest transcripts tag speakers ("[Diane] Hello?"); "[left channel]"/"[right channel]" tag
# the two sides of a stereo file, which map onto the engine's default stereo channels.
_TAG = re.compile(r"\[([^\]]*)\]")
_SIDE_TAGS = {"left channel": AGENT, "right channel": CUSTOMER}
_SCRIPT_SPEAKERS = {"A": AGENT, "C": CUSTOMER}


class ReferenceNotFound(Exception):
    pass


@dataclass(frozen=True)
class Turn:
    channel: str
    start: float
    end: float
    text: str
    lang: str = "en"


@dataclass
class Reference:
    turns: list[Turn]
    text_by_channel: dict[str, str] = field(default_factory=dict)
    timed: bool = True  # False: start/end are placeholders (whole file), latency cannot be scored
    source: str = ""

    def __post_init__(self) -> None:
        if not self.text_by_channel:
            self.text_by_channel = _texts(self.turns)

    @property
    def channels(self) -> list[str]:
        return list(self.text_by_channel)

    def lang_of(self, channel: str) -> str:
        """The language most of a channel's words are in (the scoring language for its WER)."""
        counts: dict[str, int] = {}
        for t in self.turns:
            if t.channel == channel or channel == MONO:
                counts[t.lang] = counts.get(t.lang, 0) + len(t.text.split())
        return max(counts, key=counts.get) if counts else "en"

    def mixed_text(self) -> str:
        """Every turn in time order: the reference for a run with --channels mono."""
        return " ".join(t.text for t in sorted(self.turns, key=lambda t: t.start) if t.text)


def _texts(turns: list[Turn]) -> dict[str, str]:
    out: dict[str, list[str]] = {}
    for t in sorted(turns, key=lambda t: t.start):
        out.setdefault(t.channel, []).append(t.text)
    return {ch: " ".join(x for x in texts if x) for ch, texts in out.items()}


def load_call_json(path: str | Path) -> Reference:
    """A test call: {"channels": {"agent": 0, "customer": 1}, "turns": [...], "duration"}."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        channels = data.get("channels") or {AGENT: 0, CUSTOMER: 1}
        turns = [Turn(str(t["speaker"]), float(t["start"]), float(t["end"]), str(t["text"]),
                      str(t.get("lang") or "en")) for t in data["turns"]]
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise ReferenceNotFound(f"{path} is not a call reference (.json with turns): {e}") from e
    unknown = {t.channel for t in turns} - set(channels)
    if unknown:
        raise ReferenceNotFound(f"{path}: turns by {sorted(unknown)} not in channels {channels}")
    # Channel order follows the recording's column order, so reports list agent then customer.
    order = sorted(channels, key=lambda name: channels[name])
    texts = _texts(turns)
    return Reference(turns, {ch: texts.get(ch, "") for ch in order}, True, str(path))


def strip_speaker_tags(text: str) -> str:
    return " ".join(_TAG.sub(" ", text).split())


def _manifest_turns(transcript: str, seconds: float, lang: str) -> list[Turn]:
    """One untimed turn per channel: split on [left channel]/[right channel], else all mono."""
    parts = _TAG.split(transcript)  # [before, tag1, text1, tag2, text2, ...]
    tags, texts = parts[1::2], parts[2::2]  # re.split gives exactly one text per tag
    sides = [(_SIDE_TAGS.get(tag.strip().lower()), txt)
             for tag, txt in zip(tags, texts, strict=True)]
    if sides and all(ch for ch, _ in sides) and not parts[0].strip():
        by_side: dict[str, list[str]] = {}
        for ch, txt in sides:
            by_side.setdefault(ch, []).append(" ".join(txt.split()))
        return [Turn(ch, 0.0, seconds, " ".join(txts), lang) for ch, txts in by_side.items()]
    return [Turn(MONO, 0.0, seconds, strip_speaker_tags(transcript), lang)]


def load_manifest_row(audio: str | Path, manifest: str | Path) -> Reference:
    """The row of `manifest` whose `file` column is `audio`'s path relative to the manifest."""
    audio, manifest = Path(audio).resolve(), Path(manifest).resolve()
    try:
        rel = audio.relative_to(manifest.parent).as_posix()
    except ValueError:
        rel = audio.name  # audio elsewhere (a copy): fall back to matching the file name
    try:
        with open(manifest, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    except OSError as e:
        raise ReferenceNotFound(f"cannot read {manifest}: {e}") from e
    matches = [r for r in rows if (r.get("file") or "") == rel]
    if not matches:
        matches = [r for r in rows if Path(r.get("file") or "").name == audio.name]
    if len(matches) != 1 or not matches[0].get("transcript"):
        raise ReferenceNotFound(f"no single transcript for {rel} in {manifest}")
    row = matches[0]
    try:
        seconds = float(row.get("seconds") or 0.0)
    except ValueError:
        seconds = 0.0
    turns = _manifest_turns(row["transcript"], seconds, row.get("language") or "en")
    return Reference(turns, timed=False, source=f"{manifest}:{rel}")


def load_script(path: str | Path, lang: str = "en") -> Reference:
    """Plain text: call-script lines "A: ..." / "C: ..." become turns, other lines mono text."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise ReferenceNotFound(f"cannot read {path}: {e}") from e
    turns: list[Turn] = []
    for line in lines:
        line = line.strip()
        if line.startswith("#"):
            m = re.match(r"#\s*lang:\s*(\S+)", line)
            lang = m.group(1) if m else lang
            continue
        speaker, sep, rest = line.partition(":")
        if sep and speaker.strip() in _SCRIPT_SPEAKERS:
            turns.append(Turn(_SCRIPT_SPEAKERS[speaker.strip()], len(turns), len(turns) + 1,
                              rest.strip(), lang))
        elif line:
            turns.append(Turn(MONO, len(turns), len(turns) + 1, strip_speaker_tags(line), lang))
    if not turns:
        raise ReferenceNotFound(f"{path} holds no reference text")
    return Reference(turns, timed=False, source=str(path))


def find_manifest(audio: str | Path) -> Path | None:
    for folder in Path(audio).resolve().parents:
        candidate = folder / "MANIFEST.tsv"
        if candidate.is_file():
            return candidate
    return None


def find_reference(audio: str | Path) -> Reference:
    """Sibling `<stem>.json`, else the nearest MANIFEST.tsv above the file."""
    audio = Path(audio)
    sibling = audio.with_suffix(".json")
    if sibling.is_file():
        return load_call_json(sibling)
    manifest = find_manifest(audio)
    if manifest is None:
        raise ReferenceNotFound(
            f"no reference for {audio}: no {sibling.name} beside it and no MANIFEST.tsv above it "
            "(pass --ref FILE)")
    return load_manifest_row(audio, manifest)


@dataclass(frozen=True)
class KnownSecrets:
    """What a call must never show beyond a card's last four digits: its card numbers and its
    secrets (security codes, expiry dates), as digits. Checked with copilot.bench.card_leaks."""
    cards: tuple[str, ...]
    secrets: tuple[str, ...]
    source: str = ""


def find_secrets(audio: str | Path) -> KnownSecrets | None:
    """The `<stem>.expect.json` beside `audio` ({"cards": [...], "secrets": [...], ...}, as in
    tests/data/calls/cards/), or None when there is none: most recordings' secrets are unknown."""
    path = Path(audio).with_suffix(".expect.json")
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        cards, secrets = data.get("cards", []), data.get("secrets", [])
        if not (isinstance(cards, list) and isinstance(secrets, list)):
            raise TypeError("cards and secrets are lists")  # a bare string would become digits
    except (OSError, ValueError, AttributeError, TypeError) as e:
        raise ReferenceNotFound(f"{path} is not a list of known secrets (.expect.json with "
                                f"\"cards\" and \"secrets\"): {e}") from e
    return KnownSecrets(tuple(map(str, cards)), tuple(map(str, secrets)), str(path))


def load_reference(audio: str | Path, ref: str | Path | None = None) -> Reference:
    """The reference for `audio`: from `ref` when given (by its type), else `find_reference`."""
    if ref is None or str(ref) == "":
        return find_reference(audio)
    ref = Path(ref)
    if not ref.is_file():
        raise ReferenceNotFound(f"reference file not found: {ref}")
    if ref.suffix.lower() == ".json":
        return load_call_json(ref)
    if ref.suffix.lower() == ".tsv":
        return load_manifest_row(audio, ref)
    return load_script(ref)
