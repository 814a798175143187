"""`copilot bench asr`: the live pipeline against an offline batch run and a streaming peer.

For each recording, in one run and with one model:
1. live: the file replayed at real-time pace through the same CallSession a live call uses
   (both channels, partials on), scored for WER, final-caption latency, time to first partial,
   real-time factor (ASR busy time / audio time) and peak memory;
2. offline: faster-whisper's own `transcribe()` over each whole channel (beam 5, its VAD), the
   accuracy the model reaches with no latency constraint;
3. peer (when it can run): the LocalAgreement streaming policy, fed the same audio at the same pace.

Every run also counts its echoes (`score_echoes`: reference turns whose final captions repeat what
was not said, copilot/bench/echoes.py), and the live run, on a call whose card numbers and codes
are known (`references.find_secrets`), the card digits its captions showed (`count_leaks`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from copilot.asr.streaming import StreamingOptions
from copilot.asr.whisper_engine import WhisperEngine
from copilot.audio.channels import ChannelMap
from copilot.audio.decode import read_audio
from copilot.audio.files import FileSource
from copilot.audio.resample import resample
from copilot.bench import card_leaks, echoes, latency, wer
from copilot.bench.memory import PeakRss
from copilot.bench.references import KnownSecrets, Reference
from copilot.call.session import CallSession
from copilot.events import Caption
from copilot.privacy.redaction import Redactor


@dataclass
class RunResult:
    name: str
    wer_by_channel: dict[str, wer.WerResult] = field(default_factory=dict)
    latency: latency.LatencyReport | None = None
    rtf: float | None = None
    peak_rss_mb: float | None = None
    wall_seconds: float = 0.0
    finals: list[Any] = field(default_factory=list)
    events: list[Any] = field(default_factory=list)  # everything the session published
    # Echoes (see score_echoes); None: the reference has no turn times to align captions with.
    echoes: list[dict[str, Any]] | None = None
    # Leaks found by card_leaks.leaks in every caption shown; None: the call's secrets are
    # unknown, or the run shows nothing to anyone (offline, peers: they do not redact).
    card_leaks: list[card_leaks.Leak] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def wer(self) -> wer.WerResult | None:
        return wer.combine(self.wer_by_channel.values()) if self.wer_by_channel else None

    def to_dict(self) -> dict[str, Any]:
        total = self.wer
        return {
            "wer": None if total is None else round(total.wer, 4),
            "wer_by_channel": {c: round(w.wer, 4) for c, w in self.wer_by_channel.items()},
            "latency": None if self.latency is None else self.latency.to_dict(),
            "rtf": None if self.rtf is None else round(self.rtf, 3),
            "peak_rss_mb": None if self.peak_rss_mb is None else round(self.peak_rss_mb, 1),
            "wall_seconds": round(self.wall_seconds, 2),
            "echoes": None if self.echoes is None else len(self.echoes),
            "echo_turns": self.echoes,
            # A count only: the report must not print again the digits it found leaked.
            "card_digits_leaked": None if self.card_leaks is None else len(self.card_leaks),
            **self.extra}


def redact_like_live(pieces: list[tuple[str, float, str]]) -> dict[str, str]:
    """`pieces`, (channel, call time, text) of final captions, redacted the way a live call
    redacts them: one Redactor for the call (a cue said on one channel counts on the other;
    held digits are released as time passes), then joined per channel in time order."""
    redactor = Redactor()
    out: dict[int, str] = {}
    order = sorted(range(len(pieces)), key=lambda i: pieces[i][1])
    for i in order:
        channel, at, text = pieces[i]
        out.update((k, r.text) for _ch, k, r in redactor.tick(at))
        out.update((k, r.text) for k, r in redactor.push_final(channel, i, text, at))
        out.update((k, r.text) for _ch, k, r in redactor.take_amendments())
    out.update((k, r.text) for _ch, k, r in redactor.flush())
    out.update((k, r.text) for _ch, k, r in redactor.take_amendments())
    joined: dict[str, list[str]] = {}
    for i in order:
        if out.get(i):
            joined.setdefault(pieces[i][0], []).append(out[i])
    return {channel: " ".join(texts) for channel, texts in joined.items()}


def _score_wer(ref: Reference, finals: list[Any], cmap: ChannelMap, *,
               redacted: bool = False) -> dict[str, wer.WerResult]:
    """WER per channel of `finals` against `ref`, each run against what it should output. The
    live pipeline redacts card numbers and security codes before anything is shown, by design
    (`redacted`): its reference is the script redacted the way a live call redacts, so a card
    number said in full is "[card ending 1111]" on both sides and the redaction itself costs
    nothing. The offline batch and the peers do not redact: they are scored against the script
    as it is (redacting their text as well would score our redactor on their segmentation)."""
    def channel(name: str) -> str | None:
        return "mono" if "mono" in cmap.names else (name if name in cmap.names else None)

    hyps: dict[str, str] = {}
    for c in sorted(finals, key=lambda c: c.start):
        if (ch := channel(c.channel)) and c.text:
            hyps[ch] = f"{hyps.get(ch, '')} {c.text}".strip()
    ref_pieces = [(ch, t.end, t.text) for t in ref.turns if t.text and (ch := channel(t.channel))]
    redacted_refs = redact_like_live(ref_pieces) if redacted else {}
    out = {}
    for ch in cmap.names:
        whole = ref.mixed_text() if ch == "mono" else ref.text_by_channel.get(ch, "")
        if not whole:
            continue
        text = whole
        if redacted:
            # Turn by turn (with their times) when the turns make up this channel's text (a call
            # script), else the whole text as one caption.
            turns = " ".join(t for c, _at, t in sorted(ref_pieces, key=lambda p: p[1]) if c == ch)
            text = (redacted_refs.get(ch, "") if turns == whole
                    else redact_like_live([(ch, 0.0, whole)])[ch])
        out[ch] = wer.wer(text, hyps.get(ch, ""), ref.lang_of(ch))
    return out


def score_echoes(ref: Reference, finals: list[Any],
                 cmap: ChannelMap) -> list[dict[str, Any]] | None:
    """The reference turns whose final captions repeat what was not said, one entry each.

    Each final is given to the turn it overlaps most (latency.assign, as for latency), and a
    turn's finals are joined in time order before the check (echoes.repeated_unsaid against that
    turn's text): so a peer that commits one word per caption is judged like the live pipeline,
    and a turn cut in two whose second part says the first again counts. Finals that overlap no
    turn are not judged (latency counts them as unmatched captions). Numbers and redaction
    placeholders count as one word each (`_echo_words`), with single words or pairs chosen from
    the turn's words as said. None when the reference has no turn times.
    Each entry gives the channel, the turn's start and the repeated n-grams, not the caption."""
    if not ref.timed:
        return None
    turns = [t for t in ref.turns if t.text.strip()]
    if "mono" in cmap.names:  # one mixed channel: any speaker's turn may hold a caption
        turns = [replace(t, channel="mono") for t in turns]
    by_turn, _orphans = latency.assign(turns, finals)
    out = []
    for i, caps in sorted(by_turn.items()):
        said = turns[i].text
        shown = " ".join(_echo_words(c.text) for c in sorted(caps, key=lambda c: c.start))
        repeats = echoes.repeated_unsaid(_echo_words(said), shown, echoes.ngram_size(said))
        if repeats:
            out.append({"channel": turns[i].channel, "turn_start": round(turns[i].start, 3),
                        "repeats": [" ".join(g) for g in repeats]})
    return out


def _echo_words(text: str) -> str:
    """`text` with each number and each redaction placeholder as one word, for the echo check.

    References spell numbers out ("four two four two, four two four two") and captions write
    digits ("4242 4242"): as words, the repeated group "4242 4242" would look like an echo of
    what was said once. Each run of digits, typed or in words (card_leaks.digit_runs, which
    reads numbers the way Whisper writes them), becomes its digits as one word on both sides.
    Placeholders: see echoes.collapse_placeholders."""
    for run in reversed(card_leaks.digit_runs(text)):  # spans index the text as given
        text = f"{text[:run.start]}{run.digits}{text[run.end:]}"
    return echoes.collapse_placeholders(text)


def count_leaks(captions: list[Any], known: KnownSecrets | None) -> list[card_leaks.Leak] | None:
    """Leaks of the known cards and secrets in every caption as published, partial and final
    (an amended final too: what was shown before the amendment was shown). None when unknown."""
    if known is None:
        return None
    return card_leaks.leaks([c.text for c in captions], known.cards, known.secrets)


def run_live(audio: Path, engine: WhisperEngine, ref: Reference, cmap: ChannelMap,
             langs: dict[str, str], options: StreamingOptions | None = None, *,
             assist: Any = None, name: str = "live",
             known: KnownSecrets | None = None) -> RunResult:
    events: list[Any] = []
    source = FileSource(audio, cmap, realtime=True)
    session = CallSession(source, engine, store=None, redactor=Redactor(),
                          listeners=[events.append], realtime=True, langs=langs,
                          options=options, assist=assist)
    t0 = time.perf_counter()
    with PeakRss() as mem:
        session.run()
    res = RunResult(name, wall_seconds=time.perf_counter() - t0, events=events)
    # An amended final (a card completed later) replaces its caption's text; its timing is the
    # first final's.
    amended = {e.id: e for e in events if isinstance(e, Caption) and e.amended}
    captions = [e for e in events if isinstance(e, Caption) and not e.amended]
    res.finals = [amended.get(c.id, c) for c in captions if c.final]
    res.wer_by_channel = _score_wer(ref, res.finals, cmap, redacted=True)
    res.echoes = score_echoes(ref, res.finals, cmap)
    res.card_leaks = count_leaks([e for e in events if isinstance(e, Caption)], known)
    if ref.timed:
        res.latency = latency.score(ref.turns, captions)
        # Does latency grow over a long call? Compare the first and the last third of turns.
        lats = [t.latency for t in res.latency.turns if t.latency is not None]
        third = len(lats) // 3
        if third >= 3:
            res.extra["latency_p50_first_third"] = round(latency.median(lats[:third]) or 0, 3)
            res.extra["latency_p50_last_third"] = round(latency.median(lats[-third:]) or 0, 3)
    # How often a partial caption is refreshed while someone is still speaking.
    by_id: dict[str, list[float]] = {}
    for c in captions:
        if not c.final:
            by_id.setdefault(c.id, []).append(c.at)
    gaps = [b - a for ats in by_id.values() for a, b in zip(ats, ats[1:], strict=False)]
    if gaps:
        res.extra["partial_refresh_p50"] = round(latency.median(gaps) or 0, 3)
        res.extra["partial_refresh_p95"] = round(latency.percentile(gaps, 95) or 0, 3)
    stats = session.result.stats
    res.rtf = stats.get("asr_seconds", 0.0) / max(source.duration, 1e-9)
    res.peak_rss_mb = mem.peak_bytes / 2**20
    res.extra.update({"partials": session.result.partials,
                 "dropped_audio_seconds": round(session.result.dropped_seconds, 2),
                 "max_final_backlog": stats.get("max_final_backlog", 0),
                 "partials_stale": stats.get("partials_stale", 0),
                 # finals decoded during a pause, and how many of them became the final (the
                 # rest: the voice came back, a decode spent for nothing)
                 "early_finals_decoded": stats.get("early_finals_decoded", 0),
                 "early_finals_used": stats.get("early_finals_used", 0)})
    return res


def run_offline(audio: Path, engine: WhisperEngine, ref: Reference, cmap: ChannelMap,
                langs: dict[str, str]) -> RunResult:
    """faster-whisper's batch transcription of each whole channel, with the same loaded model."""
    frames, sr = read_audio(audio)
    signals = {ch: resample(x, sr, 16000) for ch, x in cmap.split(frames).items()}
    model = engine._fw  # the very same loaded WhisperModel
    finals = []
    t0 = time.perf_counter()
    with PeakRss() as mem:
        for ch, x in signals.items():
            lang = langs.get(ch) or None
            segments, _ = model.transcribe(x, language=lang if engine.multilingual else None,
                                           beam_size=5, vad_filter=True)
            for s in segments:
                finals.append(Caption(id="", final=True, channel=ch, start=s.start, end=s.end,
                                      at=0.0, lang=lang or "", text=s.text.strip()))
    res = RunResult("offline", wall_seconds=time.perf_counter() - t0, finals=finals)
    res.wer_by_channel = _score_wer(ref, finals, cmap)
    res.echoes = score_echoes(ref, finals, cmap)
    res.rtf = res.wall_seconds / max(len(next(iter(signals.values()))) / 16000, 1e-9)
    res.peak_rss_mb = mem.peak_bytes / 2**20
    return res


def run_peer(audio: Path, model_path: Path, ref: Reference, cmap: ChannelMap,
             langs: dict[str, str], policy: str) -> RunResult:
    from copilot.bench import peer_localagreement as peer

    channels_map = ({"mono": None} if cmap.mode == "mono" else
                    ({"agent": 1, "customer": 0} if cmap.swap else {"agent": 0, "customer": 1}))
    t0 = time.perf_counter()
    with PeakRss() as mem:
        captions = peer.run_peer(audio, model_path, channels_map, realtime=True,
                                 langs={c: v for c, v in langs.items() if v},
                                 opts=peer.PeerOptions(policy=policy))
    res = RunResult(f"peer:{policy}", wall_seconds=time.perf_counter() - t0)
    res.finals = [c for c in captions if c.final]
    res.wer_by_channel = _score_wer(ref, res.finals, cmap)
    res.echoes = score_echoes(ref, res.finals, cmap)
    if ref.timed:
        res.latency = latency.score(ref.turns, captions)
    res.peak_rss_mb = mem.peak_bytes / 2**20
    return res
