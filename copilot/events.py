"""Event dataclasses: the contract between engine, CLI, UI and store.

Times are seconds on the call clock (0 = start of the call audio). `at` is when the event was
emitted, on the same clock. `to_json()` gives exactly the JSON-lines shape of DESIGN.md.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

AGENT = "agent"
CUSTOMER = "customer"
MONO = "mono"


@dataclass(frozen=True)
class Caption:
    id: str
    final: bool
    channel: str
    start: float
    end: float
    at: float
    lang: str
    text: str
    type: str = field(default="caption", init=False)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for k in ("start", "end", "at"):
            d[k] = round(d[k], 3)
        return {"type": d.pop("type"), **d}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)


@dataclass(frozen=True)
class Notice:
    """Something the operator should know that is not a caption (dropped audio, a fallback)."""

    kind: str
    message: str
    at: float
    type: str = field(default="notice", init=False)

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, "kind": self.kind, "message": self.message,
                "at": round(self.at, 3)}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)


Event = Caption | Notice
