"""Write FOLDER/kb_noasks/: a copy of FOLDER/kb/ with every `Customers ask:` line removed, so a
held-out question set can be written from a base without the callers' phrasings
(tests/data/heldout8/README.md says how the sets are made).

Recognises the same forms docs/knowledge-base.md describes for customer questions:
plain, bold (**...** or __...__), bulleted (- or *), and `Customer asks:`; any letter case.
Lines inside fenced code blocks are kept. Nothing else is changed.

    python3 tools/make_noasks.py tests/data/heldout9
"""
import re
import sys
from pathlib import Path

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
    if len(sys.argv) != 2 or not (Path(sys.argv[1]) / "kb").is_dir():
        sys.exit("usage: make_noasks.py FOLDER (a folder holding kb/)")
    src_dir, dst_dir = Path(sys.argv[1]) / "kb", Path(sys.argv[1]) / "kb_noasks"
    files = sorted(src_dir.rglob("*.md"))
    for src in files:
        dst = dst_dir / src.relative_to(src_dir)
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.write_text(strip(src.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote {len(files)} files to {dst_dir}")


if __name__ == "__main__":
    main()
