"""Building a call: a CallRequest and the settings turned into a CallSession, with its audio
source, Whisper engine, redactor, store and assistance. The command line and the window both
come here; errors the user can fix are UserErrors."""

from __future__ import annotations

import dataclasses
import logging
import math
from collections.abc import Callable
from typing import Any

from copilot import logs, paths
from copilot.call.request import CallRequest
from copilot.errors import UserError
from copilot.settings import Settings

__all__ = ["SourceMaker", "build_session", "check_languages", "open_source", "queue_blocks"]

SourceMaker = Callable[[CallRequest, Settings], Any]
log = logging.getLogger(__name__)


def open_source(request: CallRequest, settings: Settings) -> Any:
    """The audio source the request names: a recording, or the sound devices."""
    from copilot.audio.channels import ChannelMap

    cmap = ChannelMap(request.channels or settings.audio.channels,
                      swap=request.swap or settings.audio.swap)
    if not request.devices:
        from copilot.audio.files import FileSource

        source: Any = FileSource(request.audio, cmap, realtime=request.realtime,
                                 speed=request.speed)
        source.label = request.audio
        return source
    from copilot.audio.devices import DeviceSource

    source = DeviceSource(request.agent_device or settings.audio.agent_device or None,
                          request.customer_device or settings.audio.customer_device or None, cmap)
    source.label = " + ".join(str(d) for d in source.devices)
    return source


def build_session(settings: Settings, request: CallRequest, listeners: list, *,
                  make_source: SourceMaker = open_source, assist: Any = None,
                  engine: Any = None) -> tuple[Any, Any, Any]:
    """(session, store or None, Whisper engine). `assist(settings, whisper_engine)`, when
    given, returns the session's assistance factory. `engine`: a WhisperEngine loaded beforehand
    (the window keeps one across calls); the caller keeps owning it. Otherwise one is loaded here
    and returned for the caller to close."""
    from copilot.asr import model_paths
    from copilot.asr.whisper_engine import ModelLoadError, WhisperEngine
    from copilot.audio.base import AudioError
    from copilot.privacy import Redactor

    owned = engine is None
    try:
        source = make_source(request, settings)
        redactor = Redactor(settings.redaction.extra_patterns)
        model = model_paths.resolve_whisper_model(request.model, settings.asr.model) if owned \
            else engine.path
        if owned:
            engine = WhisperEngine(model, settings.asr.compute_type, settings.asr.threads)
    except (AudioError, model_paths.NoModelError, ModelLoadError, ValueError) as e:
        raise UserError(str(e)) from e
    try:
        factory = assist(settings, engine) if assist is not None else None
        return _assemble(request, listeners, settings, source, redactor, engine, model, factory)
    except BaseException:
        if owned:
            engine.close()  # a loaded model holds hundreds of MB; nothing else will free it
        raise


def _assemble(request: CallRequest, listeners: list, settings: Settings, source: Any,
              redactor: Any, engine: Any, model: Any, assist: Any) -> tuple[Any, Any, Any]:
    from copilot.call.session import CallSession
    from copilot.store.db import CallStore, StoreError
    from copilot.store.options import options_from_settings

    langs = {"agent": request.lang or settings.asr.agent_lang,
             "customer": request.lang or settings.asr.customer_lang,
             "mono": request.lang or settings.asr.customer_lang}
    check_languages(langs, engine, model, from_request=bool(request.lang))
    store = None
    debug = logs.content_debug_allowed(settings.logging.content_debug)
    if request.store:
        try:
            store = CallStore(paths.database_path(), content_debug=debug,
                              options=options_from_settings(settings.store))
        except StoreError as e:
            raise UserError(str(e)) from e
    elif debug:
        log.info("content debug: this call is not stored, so no text is written for it")
    session = CallSession(source, engine, store=store, redactor=redactor, listeners=listeners,
                          realtime=request.realtime or request.devices, title=request.title,
                          source_label=getattr(source, "label", "") or request.label,
                          langs=langs, options=_stream_options(settings, assist, model),
                          queue_blocks=queue_blocks(settings.audio.queue_seconds,
                                                    len(source.channels)),
                          assist=assist, keep_empty=request.keep_empty)
    return session, store, engine


def _stream_options(settings: Settings, assist: Any, model_path: Any) -> Any:
    from copilot.asr.model_paths import pack_languages
    from copilot.asr.streaming import options_from_settings

    opts = options_from_settings(settings.asr, pack_languages(model_path))
    skip = tuple(assist.translate_skip) if assist is not None else ()
    vocabulary = tuple(getattr(assist, "vocabulary", ())) if assist is not None else ()
    name = settings.asr.agent_name.strip()
    if name:  # the agent's own name: the one word of the agent's a site cannot list
        vocabulary = (*vocabulary, name)
    return dataclasses.replace(opts, translate_skip=skip, agent_vocabulary=vocabulary)


def check_languages(langs: dict[str, str], engine: Any, model: Any, *,
                    from_request: bool) -> None:
    """A fixed language the model cannot transcribe (e.g. 'fr' with tiny.en) would otherwise be
    silently ignored or fail mid-call; refuse it up front, naming where it came from."""
    known = set(getattr(engine, "languages", ()) or ())
    for channel, code in langs.items():
        if code and code not in known:
            where = "--lang" if from_request else (
                "settings asr.agent_lang" if channel == "agent" else "settings asr.customer_lang")
            offered = ", ".join(sorted(known)) if len(known) <= 12 else f"{len(known)} languages"
            hint = ("; give its code, e.g. 'fr' for French" if len(code) > 3 else "")
            raise UserError(f"language {code!r} ({where}) is not supported by the speech model "
                            f"{model} (it knows: {offered}){hint}")


def queue_blocks(queue_seconds: float, channels: int) -> int:
    """Capture queue size: `queue_seconds` of audio for every channel (30 ms per block)."""
    from copilot.audio.base import FRAME_SAMPLES, SAMPLE_RATE

    per_second = SAMPLE_RATE / FRAME_SAMPLES
    return max(16, math.ceil(max(0.0, float(queue_seconds)) * per_second * max(1, channels)))
