"""Write kb_noasks/: a copy of kb/ with every `Customers ask:` line removed.

Recognises the same forms docs/knowledge-base.md describes for customer questions:
plain, bold (**...** or __...__), bulleted (- or *), and `Customer asks:`; any letter case.
Lines inside fenced code blocks are kept. Nothing else is changed.

    python3 tests/data/heldout9/make_noasks.py
"""
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE / "kb"
DST = HERE / "kb_noasks"

ASK = re.compile(r"^\s*(?:[-*]\s+)?(?:\*\*|__)?customers?\s+asks?\s*:", re.IGNORECASE)
FENCE = re.compile(r"^\s*(```|~~~)")


def strip(text: str) -> str:
    out, fenced = [], False
    for line in text.splitlines(keepends=True):
        if FENCE.match(line):
            fenced = not fenced
        if not fenced and ASK.match(line):
            continue
        out.append(line)
    return "".join(out)


def main() -> None:
    files = sorted(SRC.rglob("*.md"))
    for src in files:
        dst = DST / src.relative_to(SRC)
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.write_text(strip(src.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote {len(files)} files to {DST}")


if __name__ == "__main__":
    main()
