"""Live checklists: what the agent must say on a call, ticked as the agent says it.

`format.py` reads the checklist files (docs/checklists.md), `match.py` decides whether a caption
says an item (by meaning with the sentence encoder, backed by the item's keywords; `names.py`
and `wording.py` prepare the words it compares), `tracker.py`
follows one call (ticks, order, conditions, the end of the call) and emits `checklist` events,
`note.py` writes what was done into the after-call note.
"""

from copilot.assist.checklist.format import (
    Checklist,
    ChecklistError,
    Item,
    Phrases,
    load_checklists,
)

__all__ = ["Checklist", "ChecklistError", "Item", "Phrases", "load_checklists"]
