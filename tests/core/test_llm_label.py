"""The model's name as people read it in the status bar (issue: the raw GGUF name
"Smollm2 135M 8k Lc100K Mix1 Ep2" was shown)."""

from __future__ import annotations

from copilot.llm.types import BackendInfo

# The metadata of the GGUFs that install from PyPI, as llama.cpp reads them.
SMOLLM2 = {"general.basename": "smollm2", "general.name": "Smollm2 135M 8k Lc100K Mix1 Ep2",
           "general.size_label": "135M", "general.finetune": "8k-lc100k-mix1-ep2"}
GEMMA3 = {"general.basename": "gemma-3", "general.name": "Gemma 3 270m",
          "general.size_label": "270M"}


def test_a_training_run_tag_becomes_the_base_name_and_size_cased_as_the_file() -> None:
    info = BackendInfo(SMOLLM2["general.name"], 8192, metadata=SMOLLM2,
                       file="SmolLM2-135M-Instruct.Q4_1.gguf")
    assert info.label == "SmolLM2 135M"


def test_a_short_name_is_kept_and_a_missing_file_name_is_no_problem() -> None:
    assert BackendInfo("Gemma 3 270m", 32768, metadata=GEMMA3,
                       file="gemma-3-270m-q4_k_m.gguf").label == "Gemma 3 270m"
    assert BackendInfo(SMOLLM2["general.name"], 8192, metadata=SMOLLM2).label == "smollm2 135M"
    assert BackendInfo("a b c d e", 512).label == "a b c d e"  # no base name: as it is
