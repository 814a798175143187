"""Text translation with CTranslate2 models installed from a model pack.

Layout of the translation folder (`mt_dir`), one model per folder:

    <mt_dir>/fr-en/     a model for one language pair (OPUS-MT / Marian converted with
                        `ct2-transformers-converter`): model.bin, config.json, the vocabularies,
                        and the SentencePiece models: `source.spm` + `target.spm` (OPUS-MT), or
                        one shared `sentencepiece.model` / `spm.model` / `sentencepiece.bpe.model`
    <mt_dir>/nllb/      a multilingual model (NLLB, M2M-100): the same files plus `languages.json`,
                        {"languages": {"en": "eng_Latn", "fr": "fra_Latn", ...}} mapping our
                        language codes to the model's language tokens. The source is prefixed
                        with the source language token and the output is forced to start with the
                        target's (how both NLLB and M2M-100 are driven).

A folder for the exact pair wins over a multilingual model. Models are loaded on first use and
kept; one lock serialises loading and translating, so any thread may call `translate()` and the
CPU use stays that of one translation at a time (2 cores are shared with live captions).
ctranslate2 and sentencepiece are imported only when a model is loaded.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from copilot.text.sentences import sentences as text_sentences

log = logging.getLogger(__name__)

PAIR_FOLDER = re.compile(r"^([a-z]{2,3})-([a-z]{2,3})$")
SHARED_SPM = ("sentencepiece.model", "spm.model", "sentencepiece.bpe.model")
LANGUAGES_FILE = "languages.json"


class TranslationError(Exception):
    """A translation could not be made (base of the errors below)."""


class UnsupportedPair(TranslationError):
    """No installed model translates this language pair."""


class TranslationModelError(TranslationError):
    """An installed translation model is missing a file or cannot be loaded (corrupt)."""


@dataclass(frozen=True)
class Ct2Options:
    """Our knobs over CTranslate2's translate_batch (whose signature is much wider)."""

    beam_size: int = 2
    max_decoding_length: int = 256  # tokens per sentence, at most
    threads: int = 2  # intra-op threads of one translation
    compute_type: str = "default"  # as the pack saved it; "int8" halves memory of float models
    max_input_tokens: int = 200  # a longer "sentence" (no punctuation) is cut into pieces


@dataclass(frozen=True)
class _Model:
    path: Path
    languages: dict[str, str] = field(default_factory=dict)  # multilingual: code -> token

    @property
    def multilingual(self) -> bool:
        return bool(self.languages)


@dataclass
class _Loaded:
    translator: Any
    source_spm: Any
    target_spm: Any
    eos: str
    add_eos: bool  # the model's config does not add </s> itself


def split_sentences(text: str) -> list[str]:
    """Sentences of a caption, so each is translated on its own (models are trained on
    sentences; a long run-on input drifts or gets cut)."""
    return text_sentences(text)


def _read_languages(path: Path) -> dict[str, str]:
    try:
        data = json.loads((path / LANGUAGES_FILE).read_text(encoding="utf-8"))
        langs = data["languages"]
        if not isinstance(langs, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in langs.items()):
            raise TypeError("'languages' must map language codes to model tokens")
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise TranslationModelError(
            f"{path / LANGUAGES_FILE} is not a valid language map: {e}") from e
    return dict(langs)


class Ct2Translator:
    """Translates text with the CTranslate2 models under `mt_dir` (see the module docstring)."""

    engine_name = "ct2"

    def __init__(self, mt_dir: str | Path, opts: Ct2Options | None = None) -> None:
        self.mt_dir = Path(mt_dir).expanduser()
        self.opts = opts or Ct2Options()
        self._lock = threading.Lock()
        self._loaded: dict[Path, _Loaded] = {}
        self._pairs: dict[tuple[str, str], _Model] = {}
        self._discover()

    def _discover(self) -> None:
        if not self.mt_dir.is_dir():
            return  # nothing installed: pairs() is empty, translate() says so
        multi: list[_Model] = []
        for sub in sorted(p for p in self.mt_dir.iterdir() if p.is_dir()):
            if not (sub / "model.bin").is_file():
                continue
            if (sub / LANGUAGES_FILE).is_file():
                try:
                    multi.append(_Model(sub, _read_languages(sub)))
                except TranslationModelError as e:
                    log.warning("ignoring translation model %s: %s", sub, e)
                continue
            m = PAIR_FOLDER.match(sub.name)
            if m and m.group(1) != m.group(2):
                self._pairs[(m.group(1), m.group(2))] = _Model(sub)
        for model in multi:  # an exact pair folder wins over a multilingual model
            for src in model.languages:
                for tgt in model.languages:
                    if src != tgt:
                        self._pairs.setdefault((src, tgt), model)

    # -- public --------------------------------------------------------------------------
    def pairs(self) -> list[tuple[str, str]]:
        """The (source, target) language pairs an installed model translates."""
        return sorted(self._pairs)

    def has_pair(self, src: str, tgt: str) -> bool:
        return (src, tgt) in self._pairs

    def translate(self, text: str, src: str, tgt: str) -> str:
        """`text` in `tgt`, sentence by sentence. UnsupportedPair when no model translates
        src -> tgt; TranslationModelError when its model cannot be loaded."""
        model = self._pairs.get((src, tgt))
        if model is None:
            have = ", ".join(f"{a}-{b}" for a, b in self.pairs()) or "none"
            raise UnsupportedPair(f"no translation model for {src}-{tgt} in {self.mt_dir} "
                                  f"(installed pairs: {have})")
        sentences = split_sentences(text)
        if not sentences:
            return ""
        with self._lock:
            loaded = self._load(model)
            return self._translate(loaded, model, sentences, src, tgt)

    def close(self) -> None:
        with self._lock:
            self._loaded.clear()  # CTranslate2 frees a model when its Translator is dropped

    def __enter__(self) -> Ct2Translator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- with the lock held ----------------------------------------------------------------
    def _load(self, model: _Model) -> _Loaded:
        loaded = self._loaded.get(model.path)
        if loaded is not None:
            return loaded
        path = model.path
        source_spm, target_spm = _spm_files(path)
        import ctranslate2  # heavy: only when a translation model is first used
        import sentencepiece

        try:
            translator = ctranslate2.Translator(
                str(path), device="cpu", compute_type=self.opts.compute_type,
                inter_threads=1, intra_threads=max(1, self.opts.threads))
        except (RuntimeError, ValueError, OSError) as e:
            raise TranslationModelError(
                f"cannot load the translation model at {path} (corrupt or incomplete? "
                f"reinstall its model pack): {e}") from e
        try:
            sp_src = sentencepiece.SentencePieceProcessor(model_file=str(source_spm))
            sp_tgt = sp_src if target_spm == source_spm else \
                sentencepiece.SentencePieceProcessor(model_file=str(target_spm))
        except (RuntimeError, OSError) as e:
            raise TranslationModelError(
                f"cannot read the SentencePiece model of {path} (corrupt? reinstall its "
                f"model pack): {e}") from e
        config = _read_config(path)
        loaded = _Loaded(translator, sp_src, sp_tgt, str(config.get("eos_token") or "</s>"),
                         not config.get("add_source_eos", False))
        self._loaded[model.path] = loaded
        return loaded

    def _translate(self, loaded: _Loaded, model: _Model, sentences: list[str], src: str,
                   tgt: str) -> str:
        batch: list[list[str]] = []
        for sentence in sentences:
            pieces = loaded.source_spm.encode(sentence, out_type=str)
            limit = max(1, self.opts.max_input_tokens)
            batch.extend(pieces[i:i + limit] for i in range(0, len(pieces), limit))
        prefix: list[str] = []
        target_prefix = None
        if model.multilingual:
            prefix = [model.languages[src]]
            target_prefix = [[model.languages[tgt]] for _ in batch]
        batch = [prefix + b + ([loaded.eos] if loaded.add_eos else []) for b in batch]
        # A translation is rarely more than twice its source: a tighter cap than the option
        # stops a degenerate model early.
        longest = max(len(b) for b in batch)
        max_len = max(8, min(self.opts.max_decoding_length, 2 * longest + 10))
        try:
            results = loaded.translator.translate_batch(
                batch, target_prefix=target_prefix, beam_size=max(1, self.opts.beam_size),
                max_decoding_length=max_len)
        except (RuntimeError, ValueError) as e:
            raise TranslationError(f"the {src}-{tgt} model at {model.path} failed: {e}") from e
        out: list[str] = []
        for result in results:
            tokens = list(result.hypotheses[0])
            if model.multilingual and tokens and tokens[0] == model.languages[tgt]:
                tokens = tokens[1:]
            out.append(loaded.target_spm.decode(tokens).strip())
        return " ".join(t for t in out if t)


def _spm_files(path: Path) -> tuple[Path, Path]:
    if (path / "source.spm").is_file() and (path / "target.spm").is_file():
        return path / "source.spm", path / "target.spm"
    for name in SHARED_SPM:
        if (path / name).is_file():
            return path / name, path / name
    raise TranslationModelError(
        f"the translation model at {path} has no SentencePiece model: expected source.spm and "
        f"target.spm, or one of {', '.join(SHARED_SPM)}")


def _read_config(path: Path) -> dict[str, Any]:
    try:
        data = json.loads((path / "config.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as e:
        raise TranslationModelError(f"{path / 'config.json'} is not valid JSON: {e}") from e
    return data if isinstance(data, dict) else {}
