"""A pack's ASR language list narrows what language detection may choose."""

from __future__ import annotations

from packs_helpers import build_pack

from copilot.asr.model_paths import pack_languages
from copilot.asr.streaming import options_from_settings
from copilot.settings import AsrSettings
from models.packs import PackStore, Policy, install


def test_detection_chooses_among_the_languages_both_settings_and_pack_name():
    asr = AsrSettings(languages=["en", "fr", "es"])
    assert options_from_settings(asr).final_decode.languages == ("en", "fr", "es")
    opts = options_from_settings(asr, ("en", "es", "de"))
    assert opts.final_decode.languages == ("en", "es")
    assert opts.partial_decode.languages == ("en", "es")


def test_with_nothing_in_common_or_no_settings_list_the_pack_decides():
    assert options_from_settings(AsrSettings(languages=["fr"]),
                                 ("en",)).final_decode.languages == ("en",)
    assert options_from_settings(AsrSettings(languages=[]),
                                 ("en", "de")).final_decode.languages == ("en", "de")


def test_the_active_pack_names_the_languages_of_its_own_model_only(copilot_home, tmp_path):
    root = copilot_home / "packs"
    install(root, build_pack(tmp_path, "site", "1.0.0"), Policy())
    pack = PackStore(root).active()
    assert pack_languages(pack.whisper_dir()) == ("en",)
    assert pack.asr_languages(pack.whisper_dir()) == ("en",)
    # A model chosen by path or settings is not the pack's: settings alone decide.
    assert pack_languages(tmp_path / "elsewhere") == ()


def test_no_pack_or_a_damaged_one_names_none(copilot_home, tmp_path):
    assert pack_languages(tmp_path / "model") == ()
    root = copilot_home / "packs"
    install(root, build_pack(tmp_path, "site", "1.0.0"), Policy())
    pack = PackStore(root).active()
    (pack.path / "pack.toml").write_text("not toml [")
    assert pack_languages(pack.whisper_dir()) == ()
