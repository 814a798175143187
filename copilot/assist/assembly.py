"""Builds a call's assistance from the settings: knowledge base, LLM, translator, summary, signals.

`AssistBuild.open(kb_dir)` loads what lasts across calls (the knowledge base, the LLM, translation
models) and is a context manager that closes them; its `factory(settings, whisper)` gives the
session what builds one AssistPipeline per call. A component that cannot load (no GGUF, no
translation model) is left out with a warning: assistance degrades, it never stops the call.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from copilot.assist.pipeline import AssistOptions, AssistPipeline
from copilot.knowledge.base import KnowledgeBase
from copilot.knowledge.parse import KnowledgeError
from copilot.settings import Settings

log = logging.getLogger(__name__)
# Prompt states kept for reuse: one per recent policy prefix (suggestions) plus the summary's.
PROMPT_CACHE_ENTRIES = 4


class AssistSetupError(Exception):
    """The knowledge base cannot be used (the one part assistance cannot do without)."""


@dataclass
class AssistBuild:
    kb: KnowledgeBase
    settings: Settings
    llm: Any = None  # copilot.llm.engine.LlmEngine, loaded
    translator: Any = None  # a text translator (CTranslate2 models), when installed
    warnings: list[str] = field(default_factory=list)
    pack: str = ""  # the active model pack, "id@version" ("" = none): kept with suggestions
    # The live checklists, examples embedded (copilot.assist.checklist.tracker.Checklists);
    # None when the call has none.
    checklists: Any = None

    @classmethod
    def open(cls, kb_dir: str | Path = "", *, use_llm: bool = True,
             settings: Settings | None = None, checklists: str | Path = "") -> AssistBuild:
        """`kb_dir` "" = the settings', else the active pack's, else the bundled sample.
        `checklists` "" = the active pack's, else the bundled demo's with the sample knowledge
        (copilot/resolver.py), "none" = none."""
        from copilot import active_pack, resolver, site_policy
        from copilot.knowledge.loading import open_knowledge

        cfg = settings or site_policy.load_settings()  # with the site policy's locked values
        try:
            kb = open_knowledge(cfg, resolve_kb_dir(cfg, kb_dir))
        except (KnowledgeError, resolver.PackUnusable, ValueError) as e:
            raise AssistSetupError(str(e)) from e
        build = cls(kb, cfg, warnings=list(kb.warnings), pack=active_pack.label())
        try:
            build.checklists = _checklists(cfg, checklists, kb)
        except AssistSetupError:
            kb.close()
            raise
        if build.checklists is not None:
            build.warnings += build.checklists.warnings
        if use_llm:
            build.llm = _load_llm(cfg, build.warnings)
        build.translator = _translator(cfg, build.llm, build.warnings)
        return build

    def close(self) -> None:
        if self.translator is not None:
            self.translator.close()
        if self.llm is not None:
            self.llm.close()
        self.kb.close()

    def __enter__(self) -> AssistBuild:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def factory(self, settings: Settings, whisper: Any) -> AssistFactory:
        """What the session calls with its clock and emit function, once per call."""
        whisper_translates = settings.asr.translate_customer and \
            bool(getattr(whisper, "multilingual", True))
        return AssistFactory(self, settings, whisper_translates, self.text_sources(settings),
                             self.checklists.vocabulary if self.checklists is not None else ())

    def text_sources(self, settings: Settings) -> tuple[str, ...]:
        if self.translator is None:
            return ()
        return self.translator.text_sources(self.kb.lang)

    def pipeline(self, clock: Any, emit: Callable[[Any], None], settings: Settings | None = None,
                 *, whisper_translates: bool = False) -> AssistPipeline:
        from copilot.assist.signals import SignalTracker
        from copilot.assist.suggest_llm import LlmLineAdapter
        from copilot.assist.summary import CallSummarizer
        from copilot.knowledge.verify import known_names

        cfg = settings or self.settings
        opts = AssistOptions(agent_lang=cfg.asr.agent_lang or "en", pack=self.pack,
                             whisper_translates=whisper_translates, settings=cfg.assist,
                             whisper_skip=self.text_sources(cfg))
        pipeline = AssistPipeline(
            self.kb, clock, emit, options=opts, translator=self.translator,
            line_adapter=LlmLineAdapter(self.llm) if self.llm is not None else None)
        summary = CallSummarizer(cfg.assist, self.llm, names=known_names(
            self.kb.passages.values()), schedule=lambda fut, pending: pipeline.track(
                fut, lambda payload: pipeline.emit_all(summary.on_llm_result(payload,
                                                                             clock.now())),
                pending))
        pipeline.summary = summary
        pipeline.signals = SignalTracker()
        if self.checklists is not None:
            pipeline.checklist = self.checklists.call(cfg.asr.agent_name)
        return pipeline


@dataclass
class AssistFactory:
    """Builds one AssistPipeline per call (`factory(clock, emit)`). `translate_skip`: the
    languages a text model translates, so the speech model need not translate that speech as
    well (read by copilot.call.build into StreamingOptions.translate_skip). `vocabulary`: the
    checklists' words for the agent's captions (StreamingOptions.agent_vocabulary)."""

    build: AssistBuild
    settings: Settings
    whisper_translates: bool
    translate_skip: tuple[str, ...] = ()
    vocabulary: tuple[str, ...] = ()

    def __call__(self, clock: Any, emit: Callable[[Any], None]) -> AssistPipeline:
        return self.build.pipeline(clock, emit, self.settings,
                                   whisper_translates=self.whisper_translates)


def _translator(cfg: Settings, llm: Any, warnings: list[str]) -> Any:
    """The text translation service: CTranslate2 models when installed, else the LLM."""
    from copilot import resolver
    from copilot.assist.translate import TranslationError, choose_translator

    try:
        mt_dir = resolver.translation_models(cfg).path
    except resolver.PackUnusable as e:
        log.warning("translation models of the active pack cannot be used: %s", e)
        mt_dir = None
    try:
        return choose_translator(mt_dir, llm)
    except TranslationError as e:
        warnings.append(f"translation models in {mt_dir} cannot be used ({e}); the LLM "
                        "translates instead")
        return choose_translator(None, llm)


def resolve_kb_dir(cfg: Settings, explicit: str | Path = "") -> Path:
    """The knowledge base to use (copilot/resolver.py: explicit > settings > the active pack's >
    the bundled sample). A damaged active pack is an AssistSetupError (a supervisor chose that
    knowledge; silently using the sample instead would be wrong)."""
    from copilot import resolver

    try:
        path = resolver.knowledge_base(cfg, explicit).path
    except resolver.PackUnusable as e:
        raise AssistSetupError(str(e)) from e
    assert path is not None  # the bundled sample is always there
    return path


def _checklists(cfg: Settings, explicit: str | Path, kb: KnowledgeBase) -> Any:
    """The checklists the resolver chooses, ready to match with the knowledge base's sentence
    encoder (an item naming a passage also matches its approved lines). A checklist a site
    chose that cannot be read stops assistance like a broken knowledge base: running calls
    without the compliance checks it asks for would be wrong."""
    from copilot import resolver
    from copilot.assist.checklist import ChecklistError, load_checklists
    from copilot.assist.checklist.tracker import Checklists

    try:
        choice = resolver.checklists(cfg, explicit, kb.source)
        if choice.path is None:
            return None
        found = load_checklists(choice.path)
    except (ChecklistError, resolver.PackUnusable) as e:
        raise AssistSetupError(str(e)) from e
    encoder = kb.vectors.encoder if kb.vectors is not None else None

    def approved(passage_id: str) -> tuple[str, ...]:
        passage = kb.passages.get(passage_id)
        return tuple(passage.approved_lines) if passage is not None else ()

    from copilot.knowledge.encoder import EncoderError

    try:
        return Checklists(found, encoder, approved)
    except EncoderError as e:  # the examples could not be embedded: tick by hand, say so
        prepared = Checklists(found, None)
        prepared.warnings.append(f"checklist examples could not be embedded ({e})")
        return prepared


def _load_llm(cfg: Settings, warnings: list[str]) -> Any:
    from copilot.llm import LlmError, open_llm

    try:
        return open_llm(cfg.llm, prompt_cache_entries=PROMPT_CACHE_ENTRIES)
    except LlmError as e:
        warnings.append(f"no language model ({e}); suggestions use approved lines only and the "
                        "summary is extractive")
        return None
