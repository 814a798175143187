"""Translation engines: a real (tiny) CTranslate2 model built here with ctranslate2's spec API and
real SentencePiece models, the LLM fallback with a scripted backend, the chooser, and Whisper's
translations in the streaming scheduler (fake engine, real VAD)."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np
import pytest

from copilot.asr.streaming import Clock, StreamingOptions, StreamingTranscriber
from copilot.asr.whisper_engine import Transcript
from copilot.assist.translate.service import (
    Ct2Options,
    Ct2Translator,
    LlmTranslator,
    Translated,
    TranslationCancelled,
    TranslationModelError,
    TranslationRejected,
    TranslationService,
    UnsupportedPair,
    choose_translator,
    split_sentences,
)
from copilot.audio.base import BlockQueue
from copilot.audio.channels import ChannelMap
from copilot.audio.decode import read_audio
from copilot.audio.synthetic import SyntheticSource
from copilot.events import Caption, Translation
from copilot.llm.engine import LlmEngine
from copilot.llm.fake import ScriptedBackend

FR = "bonjour le monde je voudrais résilier mon abonnement merci . ?".split()
EN = "hello the world i would cancel my subscription thanks . ?".split()
SPECIALS = ["<unk>", "<s>", "</s>"]
LANG_TOKENS = {"en": "__en__", "fr": "__fr__"}


# -- a tiny word-for-word translation model -----------------------------------------------------

def _train_spm(words: list[str], prefix: Path):
    import sentencepiece as spm

    corpus = [" ".join(words)] + words * 3
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(corpus), model_prefix=str(prefix), model_type="word",
        vocab_size=len(set(words)) + 3, character_coverage=1.0, unk_id=0, bos_id=1, eos_id=2,
        pad_id=-1, minloglevel=2)
    sp = spm.SentencePieceProcessor(model_file=f"{prefix}.model")
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


def build_model(folder: Path, *, layout: str = "opus", languages: bool = False) -> Path:
    """A CTranslate2 Transformer whose weights are set by hand: the decoder's cross-attention at
    step t looks only at source position t (one-hot positions, a large query scale) and reads
    that token; the output layer maps each French word to its English one. So it translates
    word by word, deterministically, through the real loading and decoding path."""
    import ctranslate2
    from ctranslate2.specs import transformer_spec

    folder.mkdir(parents=True)
    if layout == "opus":
        src_vocab = _train_spm(FR, folder / "source")
        tgt_vocab = _train_spm(EN, folder / "target")
        (folder / "source.model").rename(folder / "source.spm")
        (folder / "target.model").rename(folder / "target.spm")
    else:
        src_vocab = tgt_vocab = _train_spm(FR + EN, folder / "sentencepiece")
    for extra in (folder / "source.vocab", folder / "target.vocab",
                  folder / "sentencepiece.vocab"):
        extra.unlink(missing_ok=True)
    if languages:
        src_vocab = src_vocab + list(LANG_TOKENS.values())
        tgt_vocab = tgt_vocab + list(LANG_TOKENS.values())
        (folder / "languages.json").write_text(json.dumps({"languages": LANG_TOKENS}))
    mapping = {t: t for t in SPECIALS + list(LANG_TOKENS.values())}
    mapping.update({"▁" + f: "▁" + e for f, e in zip(FR, EN, strict=True)})
    mapping.update({"▁" + e: "▁" + e for e in EN})
    vs, vt, positions = len(src_vocab), len(tgt_vocab), 260
    d = vs + positions
    zeros = lambda *shape: np.zeros(shape, np.float32)  # noqa: E731
    pos = zeros(positions, d)
    pos[np.arange(positions), vs + np.arange(positions)] = 1

    def norm(layer) -> None:
        layer.gamma, layer.beta = np.ones(d, np.float32), zeros(d)

    def silent(linear, rows: int, cols: int) -> None:
        linear.weight, linear.bias = zeros(rows, cols), zeros(rows)

    spec = transformer_spec.TransformerSpec.from_config(1, 1)
    enc, dec = spec.encoder, spec.decoder
    enc.scale_embeddings = dec.scale_embeddings = False
    emb = zeros(vs, d)
    emb[np.arange(vs), np.arange(vs)] = 1
    enc.embeddings[0].weight, enc.position_encodings.encodings = emb, pos
    dec.embeddings.weight, dec.position_encodings.encodings = zeros(vt, d), pos.copy()
    for layer in [*enc.layer, *dec.layer]:  # self-attention and feed-forward add nothing
        norm(layer.self_attention.layer_norm)
        silent(layer.self_attention.linear[0], 3 * d, d)
        silent(layer.self_attention.linear[1], d, d)
        norm(layer.ffn.layer_norm)
        silent(layer.ffn.linear_0, 4, d)
        silent(layer.ffn.linear_1, d, 4)
    norm(enc.layer_norm)
    norm(dec.layer_norm)
    for layer in dec.layer:
        cross = layer.attention
        norm(cross.layer_norm)
        query, kv, out = zeros(d, d), zeros(2 * d, d), zeros(d, d)
        query[vs + np.arange(positions), vs + np.arange(positions)] = 10.0
        kv[vs + np.arange(positions), vs + np.arange(positions)] = 1.0  # keys: positions
        kv[d + np.arange(vs), np.arange(vs)] = 1.0  # values: the source token
        out[np.arange(vs), np.arange(vs)] = 1.0
        cross.linear[0].weight, cross.linear[0].bias = query, zeros(d)
        cross.linear[1].weight, cross.linear[1].bias = kv, zeros(2 * d)
        cross.linear[2].weight, cross.linear[2].bias = out, zeros(d)
    proj = zeros(vt, d)
    for i, piece in enumerate(src_vocab):
        proj[tgt_vocab.index(mapping[piece]), i] = 1.0
    dec.projection.weight, dec.projection.bias = proj, zeros(vt)
    spec.register_source_vocabulary(src_vocab)
    spec.register_target_vocabulary(tgt_vocab)
    spec.validate()
    spec.optimize()
    spec.save(str(folder))
    assert ctranslate2.contains_model(str(folder))
    return folder


@pytest.fixture(scope="module")
def mt_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("mt")
    build_model(root / "fr-en")
    (root / "de-en").mkdir()  # no model.bin: not a model
    (root / "notes").mkdir()
    (root / "notes" / "model.bin").write_bytes(b"")  # not a pair name, no language map
    return root


# -- CTranslate2 ---------------------------------------------------------------------------------

def test_pair_folder_opus_layout_translates_word_by_word(mt_dir):
    with Ct2Translator(mt_dir) as tr:
        assert tr.pairs() == [("fr", "en")]
        assert tr.translate("bonjour le monde", "fr", "en") == "hello the world"
        assert tr.translate("je voudrais résilier mon abonnement", "fr", "en") == \
            "i would cancel my subscription"
        assert tr.translate("  ", "fr", "en") == ""


def test_sentences_are_translated_one_by_one_and_long_ones_cut(mt_dir):
    assert split_sentences("Bonjour. Ça coûte 4.99 euros ? Oui!  Merci") == \
        ["Bonjour.", "Ça coûte 4.99 euros ?", "Oui!", "Merci"]
    tr = Ct2Translator(mt_dir)
    assert tr.translate("bonjour le monde . merci ?", "fr", "en") == "hello the world . thanks ?"
    short = Ct2Translator(mt_dir, Ct2Options(max_input_tokens=2, beam_size=1))
    assert short.translate("je voudrais résilier mon abonnement", "fr", "en") == \
        "i would cancel my subscription"


def test_shared_sentencepiece_layout(tmp_path):
    build_model(tmp_path / "fr-en", layout="shared")
    assert (tmp_path / "fr-en" / "sentencepiece.model").is_file()
    assert Ct2Translator(tmp_path).translate("merci le monde", "fr", "en") == "thanks the world"


def test_multilingual_model_uses_language_tokens(tmp_path):
    build_model(tmp_path / "m2m", layout="shared", languages=True)
    tr = Ct2Translator(tmp_path)
    assert tr.pairs() == [("en", "fr"), ("fr", "en")]
    assert tr.translate("bonjour le monde", "fr", "en") == "hello the world"  # prefix stripped


def test_missing_pair_and_missing_folder_say_what_is_installed(mt_dir, tmp_path):
    with pytest.raises(UnsupportedPair, match=r"es-en.*installed pairs: fr-en"):
        Ct2Translator(mt_dir).translate("hola", "es", "en")
    nothing = Ct2Translator(tmp_path / "absent")
    assert nothing.pairs() == []
    with pytest.raises(UnsupportedPair, match="none"):
        nothing.translate("bonjour", "fr", "en")


def test_corrupt_model_and_missing_sentencepiece_are_clear_errors(tmp_path):
    good = build_model(tmp_path / "src" / "fr-en")
    corrupt = tmp_path / "mt" / "fr-en"
    corrupt.mkdir(parents=True)
    for f in good.iterdir():
        (corrupt / f.name).write_bytes(f.read_bytes())
    (corrupt / "model.bin").write_bytes(b"\x00garbage" * 50)
    with pytest.raises(TranslationModelError, match=r"cannot load.*fr-en.*reinstall"):
        Ct2Translator(tmp_path / "mt").translate("bonjour", "fr", "en")
    (good / "source.spm").unlink()
    with pytest.raises(TranslationModelError, match="no SentencePiece model"):
        Ct2Translator(tmp_path / "src").translate("bonjour", "fr", "en")


def test_bad_language_map_is_ignored_not_fatal(tmp_path):
    build_model(tmp_path / "fr-en")
    bad = tmp_path / "nllb"
    bad.mkdir()
    (bad / "model.bin").write_bytes(b"x")
    (bad / "languages.json").write_text("{not json")
    assert Ct2Translator(tmp_path).pairs() == [("fr", "en")]


def test_safe_from_several_threads(mt_dir):
    tr = Ct2Translator(mt_dir, Ct2Options(threads=1))
    cases = {"bonjour le monde": "hello the world", "merci": "thanks",
             "je voudrais résilier mon abonnement": "i would cancel my subscription"}
    results: list[tuple[str, str]] = []
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            for j in range(8):
                text = list(cases)[(i + j) % len(cases)]
                results.append((text, tr.translate(text, "fr", "en")))
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(results) == 32 and all(cases[src] == out for src, out in results)


# -- the LLM fallback ----------------------------------------------------------------------------

def _llm(script) -> tuple[LlmEngine, ScriptedBackend]:
    backend = ScriptedBackend(script)
    return LlmEngine(lambda: backend), backend


def test_llm_translator_prompts_bounds_and_cleans():
    engine, backend = _llm(["Translation: \"I would like to cancel my subscription.\""])
    with engine:
        out = LlmTranslator(engine).translate("Je voudrais résilier mon abonnement.", "fr", "en")
    assert out == "I would like to cancel my subscription."
    assert "French" in backend.prompts[0] and "English" in backend.prompts[0]
    opts = backend.options[0]
    assert opts.temperature == 0.0 and opts.max_tokens <= 96


@pytest.mark.parametrize("script, why", [
    ("", "no translation"),
    ("I'm sorry, I'm sorry, I'm sorry, I'm sorry, I'm sorry, I'm sorry", "repeated"),
    ("Sure! " + "Here is a long answer with a story about the customer and the agent. " * 3,
     "far longer|repeated"),
    ("Je voudrais résilier mon abonnement.", "echoed"),
    ("I would like.", "far shorter"),
])
def test_llm_translator_rejects_what_is_not_a_translation(script, why):
    engine, _ = _llm([script])
    with engine, pytest.raises(TranslationRejected, match=why):
        LlmTranslator(engine).translate("Je voudrais résilier mon abonnement.", "fr", "en")


def test_a_short_source_may_have_a_short_translation():
    engine, _ = _llm(["Yes, okay."])
    with engine:
        assert LlmTranslator(engine).translate("Oui, d'accord, bien sûr.", "fr", "en") == \
            "Yes, okay."


def test_a_chinese_translation_is_not_judged_by_its_length():
    engine, _ = _llm(["让我为您查看漫游选项。"])
    with engine:
        assert LlmTranslator(engine).translate(
            "Let me check the roaming options for you.", "en", "zh") == "让我为您查看漫游选项。"


def test_a_long_chinese_source_may_have_a_long_english_translation():
    source = "上个月我的账单被扣了两次费用，我想知道退款大概需要多长时间。"  # 30 characters
    english = ("Last month my bill was charged twice, and I would like to know roughly how long "
               "it will take for the refund to be returned to the bank card I paid with.")
    assert len(english) > 3 * len(source) + 40  # what the rule for Latin scripts would refuse
    engine, _ = _llm([english])
    with engine:
        assert LlmTranslator(engine).translate(source, "zh", "en") == english


def test_llm_translation_cut_short_is_rejected():
    engine, _ = _llm(["word " * 200])
    with engine, pytest.raises(TranslationRejected, match="cut|repeated"):
        LlmTranslator(engine, max_tokens=20).translate("Bonjour tout le monde.", "fr", "en")


def test_newer_llm_translation_cancels_the_stale_one():
    started = threading.Event()

    def script(prompt: str) -> str:
        started.set()
        return "Hello " + "there " * 3

    backend = ScriptedBackend(script, delay=0.2)
    with LlmEngine(lambda: backend) as engine:
        translator = LlmTranslator(engine)
        stale: list[BaseException | str] = []

        def first() -> None:
            try:
                stale.append(translator.translate("Bonjour, ça va bien ?", "fr", "en"))
            except BaseException as e:
                stale.append(e)

        t = threading.Thread(target=first)
        t.start()
        assert started.wait(10)
        fresh = translator.translate("Merci.", "fr", "en")
        t.join()
    assert fresh.startswith("Hello")
    assert isinstance(stale[0], TranslationCancelled)


# -- the chooser ---------------------------------------------------------------------------------

def test_chooser_prefers_ct2_then_whisper_for_speech_then_llm(mt_dir):
    engine, _ = _llm(["Hello, I am travelling to Mexico."])
    with engine:
        service = choose_translator(mt_dir, engine, whisper_multilingual=True)
        assert service.engine_for("fr", "en") == "ct2"
        assert service.engine_for("es", "en", speech=True) == "whisper"
        assert service.engine_for("es", "en") == "llm"  # text (e.g. a suggested line)
        assert service.engine_for("en", "es") == "llm"
        assert service.engine_for("en", "en") is None
        assert service.text_sources("en") == ("fr",)
        assert service.translate_text("bonjour le monde", "fr", "en") == \
            Translated("hello the world", "ct2")
        assert service.translate_text("Hola, viajo a México.", "es", "en") == \
            Translated("Hello, I am travelling to Mexico.", "llm")
        assert service.translate("merci", "fr", "en") == "thanks"  # the Translator protocol
    bare = choose_translator(None, None)
    assert bare.engine_for("fr", "en") is None and bare.translate("bonjour", "fr", "en") == ""
    assert choose_translator(mt_dir.parent / "absent", None).ct2 is None


def test_a_broken_ct2_model_falls_back_to_the_llm(tmp_path):
    (tmp_path / "fr-en").mkdir()
    (tmp_path / "fr-en" / "model.bin").write_bytes(b"broken")
    engine, _ = _llm(["Hello everyone."])
    with engine:
        service = choose_translator(tmp_path, engine)
        assert service.engine_for("fr", "en") == "ct2"
        assert service.translate_text("Bonjour à tous.", "fr", "en") == \
            Translated("Hello everyone.", "llm")
    assert TranslationService(choose_translator(tmp_path, None).ct2).translate(
        "Bonjour.", "fr", "en") == ""  # and with no fallback: nothing, not an exception


# -- Whisper's translations in the streaming scheduler ----------------------------------------

class TranslatingEngine:
    """The customer speaks French (detected), the agent English (fixed); translate() answers
    with the utterance's duration and records the encoder output it was given."""

    multilingual = True

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.encoded: list[object] = []
        self.translated: list[tuple[float, str]] = []

    def transcribe(self, audio, lang=None, opts=None, prior=None) -> Transcript:
        return Transcript(f"parole {len(audio) / 16000:.1f}", lang or "fr", 1.0, -0.1, 0.0,
                          "direct", {}, ("enc", len(audio)))

    def translate(self, audio, lang, opts=None, encoded=None) -> Transcript:
        if self.fail:
            raise RuntimeError("decoder broke")
        self.encoded.append(encoded)
        self.translated.append((len(audio) / 16000, lang))
        return Transcript(f"speech {len(audio) / 16000:.1f}", "en", 1.0, -0.1, 0.0, "direct")


@pytest.fixture(scope="module")
def call(testdata):
    frames, sr = read_audio(testdata / "calls" / "billing_refund.wav")
    return {k: v[: 25 * sr] for k, v in ChannelMap().split(frames).items()}


def _stream(signals, engine, opts: StreamingOptions, langs=None, realtime=False, emit=None):
    events: list = []
    clock = Clock(realtime, 4.0)
    tr = StreamingTranscriber(engine, tuple(signals), emit or events.append, clock, opts,
                              langs if langs is not None else {"agent": "en"})
    blocks = BlockQueue(100000)
    source = SyntheticSource(signals, realtime=realtime, speed=4.0)
    feeder = threading.Thread(target=source.run, args=(blocks,))
    feeder.start()
    tr.run(blocks)
    feeder.join()
    return events, tr


def test_customer_finals_get_a_whisper_translation_right_after_them(call):
    engine = TranslatingEngine()
    events, tr = _stream(call, engine, StreamingOptions(translate_customer=True))
    finals = [e for e in events if isinstance(e, Caption) and e.final]
    translations = [e for e in events if isinstance(e, Translation)]
    customer = [c for c in finals if c.channel == "customer"]
    assert customer and any(c.channel == "agent" for c in finals)
    assert [t.of for t in translations] == [c.id for c in customer]
    for t in translations:
        cap = next(c for c in customer if c.id == t.of)
        assert events.index(t) > events.index(cap)
        assert (t.lang, t.engine) == ("en", "whisper") and t.at >= cap.at
        assert t.text == "speech " + cap.text.split()[-1]  # the same utterance's audio
    assert all(lang == "fr" for _, lang in engine.translated)
    assert engine.encoded and all(e is not None and e[0] == "enc" for e in engine.encoded)
    assert tr.stats["translations"] == len(customer)


@pytest.mark.parametrize("opts, langs, multilingual", [
    (StreamingOptions(translate_customer=False), {"agent": "en"}, True),
    (StreamingOptions(translate_customer=True, translate_skip=("fr",)), {"agent": "en"}, True),
    (StreamingOptions(translate_customer=True), {"agent": "de"}, True),  # Whisper: English only
    (StreamingOptions(translate_customer=True), {"agent": "en"}, False),  # tiny.en
])
def test_no_whisper_translation_when_not_wanted_or_not_possible(call, opts, langs, multilingual):
    engine = TranslatingEngine()
    engine.multilingual = multilingual
    events, _ = _stream(call, engine, opts, langs)
    assert any(isinstance(e, Caption) and e.channel == "customer" for e in events)
    assert not [e for e in events if isinstance(e, Translation)] and not engine.translated


def test_partials_are_never_translated(call):
    engine = TranslatingEngine()
    events, _ = _stream({k: v[: 12 * 16000] for k, v in call.items()}, engine,
                        StreamingOptions(translate_customer=True), realtime=True)
    partial_ids = {e.id for e in events if isinstance(e, Caption) and not e.final}
    final_ids = {e.id for e in events if isinstance(e, Caption) and e.final
                 and e.channel == "customer"}
    assert partial_ids, "no partials in a paced replay"
    assert {e.of for e in events if isinstance(e, Translation)} == final_ids


def test_a_failing_translation_costs_only_itself(call):
    engine = TranslatingEngine(fail=True)
    events, tr = _stream(call, engine, StreamingOptions(translate_customer=True))
    customer = [e for e in events if isinstance(e, Caption) and e.channel == "customer"]
    translations = [e for e in events if isinstance(e, Translation)]
    assert len(customer) >= 2
    assert [t.of for t in translations] == [c.id for c in customer]  # said, with empty text
    assert all(t.text == "" for t in translations)
    assert tr.stats["translate_errors"] == len(customer) and tr.worker_error is None

    def picky(event) -> None:  # a listener that cannot take translations
        if isinstance(event, Translation):
            raise TypeError("unexpected event")
        got.append(event)

    got: list = []
    _stream(call, TranslatingEngine(), StreamingOptions(translate_customer=True), emit=picky)
    assert len([e for e in got if e.channel == "customer"]) == len(customer)
