"""Is the agent's own name in what they said? When the desk knows it (`[asr] agent_name`), an
item every example of which names someone ("Sam speaking": the demo's "give your name") is
said only by a piece that holds that name, or a near spelling of it: Whisper writes "Ana" as
"Anna", "Dariusz" as "Darius", "Fenella" as "Phinella". Without it, any name would do, and a
terse line misheard as two capitalised words ("Line's on Flex" as "Line Zone") or a greeting
that names a team ("Northwind Mobile Support") read as an agent giving their name.

And the agent who says their own name, spelt as the desk has it, gives it, however far from
the examples: "Northwind, Omar.", "Tomasz on the phone!", "ask for Mei, that's me" name no one
else. Only the exact name, capitalised as Whisper writes a name (a near spelling of a short
name is a common word too: "me" for "Mei"); where it is given in so many words (`gives_name`:
introducing themselves, for a call back, beside the site's name) whatever the rest says,
elsewhere only in a piece not wholly unlike the examples (match.PhraseSet.matches): the name is
in Whisper's prompt, and "great, enjoy the phone" came out "Greta enjoyed the fun bait".
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from copilot.text.sentences import sentences

__all__ = ["NEAR_NAME", "gives_name", "holds_name", "says_name"]

# How alike a word must be to the name (difflib's ratio): "Anna" for "Ana" 0.86, "Maze" for
# "Maeve" 0.67, "Phinella" for "Fenella" 0.67; "Mobile" for "Morgan" 0.33, "Mr" 0.5.
NEAR_NAME = 0.6


def says_name(text: str, name: str) -> bool:
    """Whether a word of `text` is `name` or spelt near it (module docstring)."""
    want = name.strip().lower()
    if not want:
        return True
    return any(SequenceMatcher(None, w, want).ratio() >= NEAR_NAME
               for w in re.findall(r"[^\W\d_]+", text.lower()))


def holds_name(text: str, name: str) -> bool:
    """Whether `text` holds `name` itself, capitalised as Whisper writes a name."""
    want = _as_written(name)
    return bool(want) and re.search(rf"(?<![\w-]){re.escape(want)}(?![\w-])", text) is not None


def gives_name(text: str, name: str, site: frozenset[str] = frozenset()) -> bool:
    """Whether `text` gives `name` itself as an agent gives their own, whatever else it says
    (module docstring): introducing themselves ("this is Omar"), for a call back ("ask for
    Mei", "Soraya, that's me"), or as a clause of its own beside one of the `site`'s own names
    ("Northwind, Omar.", "Nadia, Northwind Mobile.")."""
    if not holds_name(text, name):
        return False
    want = _as_written(name)
    n = re.escape(want)
    if re.search(rf"(?i:\b(?:this is|it's|i'm|i am|my name's|my name is|ask(?:ing)? for)) {n}"
                 rf"(?![\w-])|(?<![\w-]){n}(?:,? that's me| here| speaking)\b", text):
        return True
    return any(want in [c.strip(" .!?") for c in re.split(r"[,;:]", sentence)]
               and any(word in sentence for word in site)
               for sentence in sentences(text))


def _as_written(name: str) -> str:
    """The desk's name as Whisper writes a name: capitalised ("omar" -> "Omar")."""
    want = name.strip()
    return want[:1].upper() + want[1:]
