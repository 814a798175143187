"""What the streaming scheduler (streaming.StreamingTranscriber) is asked to do: how often
partials come, how finals, partials and translations are decoded (StreamingOptions), and those
options as the `[asr]` settings section and the model's pack set them (options_from_settings)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from copilot.asr.decode_options import UNSURE_BELOW, DecodeOptions, vocabulary_prompt
from copilot.asr.vad import SegmenterOptions
from copilot.events import AGENT


@dataclass(frozen=True)
class StreamingOptions:
    partials: bool = True
    partial_interval: float = 0.8  # the issue asks for a refresh at least every second
    min_partial_audio: float = 0.6
    # The first partial of an utterance is due this long after the VAD hears speech start, not a
    # whole partial_interval later: with the decode, the agent sees words about 0.8 s after the
    # voice instead of 1.4 s. Later partials keep the interval. 0.2 (was 0.3) since partials
    # hide any group that could begin a card wherever it is (privacy/redaction.py): a partial
    # this early can hold just the first group of a card read aloud, "353-0" (BENCHMARKS.md).
    first_partial_after: float = 0.2
    preroll: float = 1.2  # audio kept before speech onset, so first syllables are not cut
    segmenter: SegmenterOptions = field(default_factory=SegmenterOptions)
    # Finals report the words Whisper was unsure of (Caption.unsure; about 1.5 ms a caption);
    # partials are redone anyway and do not.
    final_decode: DecodeOptions = field(
        default_factory=lambda: DecodeOptions(unsure_below=UNSURE_BELOW))
    partial_decode: DecodeOptions = field(
        default_factory=lambda: DecodeOptions(min_tokens=8, allow_padded=False))
    # Whisper's own translation to English of final customer captions in another language
    # (only when the agent works in English and the model is multilingual).
    translate_customer: bool = False
    # Source languages a text MT model (CTranslate2) translates downstream instead.
    translate_skip: tuple[str, ...] = ()
    # Direct decode only: the 30 s-window retry cost 1.4-2.3 s per utterance (3-7 s with the
    # CPU shared), delayed the next caption, and its translations were no better.
    translate_decode: DecodeOptions = field(
        default_factory=lambda: DecodeOptions(allow_padded=False))
    # The site's words (its checklists' `vocabulary`: "Northwind Mobile", "PIN"), given to
    # Whisper as a prompt for the agent's English captions, finals and partials: on a phone
    # line Whisper base wrote the agent's "PIN" as "pion", "pen" or "PI in" in one security
    # check of four, and a missed check is a required item shown as not done (BENCHMARKS.md).
    # Not for the customer's channel: what a customer says is less foreseeable, and a prompt
    # changed how account and card numbers read aloud were written.
    agent_vocabulary: tuple[str, ...] = ()
    agent_lang: str = "en"  # the vocabulary's language (checklists are matched in English)

    def decode_for(self, channel: str, final: bool) -> DecodeOptions:
        """The decode options of one utterance of `channel` ("agent", "customer", "mono")."""
        opts = self.final_decode if final else self.partial_decode
        if channel == AGENT and self.agent_vocabulary and not opts.prompt:
            opts = replace(opts, prompt=vocabulary_prompt(self.agent_vocabulary),
                           prompt_lang=self.agent_lang)
        return opts


def options_from_settings(asr, model_languages: tuple[str, ...] = ()) -> StreamingOptions:
    """StreamingOptions from the `[asr]` settings section (copilot.settings.AsrSettings).
    `model_languages`: what the model's pack declares it serves; detection then chooses among
    the languages both name (or the pack's, when they share none: the model decides)."""
    langs = tuple(asr.languages)
    if model_languages:
        langs = tuple(code for code in langs if code in model_languages) or tuple(model_languages)
    return StreamingOptions(
        partial_interval=asr.partial_interval,
        final_decode=DecodeOptions(beam_size=max(1, asr.final_beam_size), languages=langs,
                                   unsure_below=UNSURE_BELOW),
        partial_decode=DecodeOptions(min_tokens=8, allow_padded=False, languages=langs),
        translate_customer=asr.translate_customer,
        translate_decode=DecodeOptions(beam_size=max(1, asr.final_beam_size),
                                       allow_padded=False))
