"""A small checklist for the checklist tests, written like a site would, and a way to feed it
captions with the hashed bag-of-words encoder (fake_encoder.HashEncoder: texts that share words
are close; a caption that repeats an example is a perfect match)."""

from __future__ import annotations

from pathlib import Path

from fake_encoder import HashEncoder

from copilot.assist.checklist import load_checklists
from copilot.assist.checklist.tracker import Checklists
from copilot.events import Caption

CHECKLIST = """
id = "support"
title = "Support call"

[closing]
examples = ["Goodbye, have a nice day."]
keywords = ["goodbye"]

[[item]]
id = "recorded"
text = "Say the call is recorded"
examples = ["This call is recorded for quality purposes."]
keywords = ["record*"]
unlike = ["I recorded your new address on the account."]

[[item]]
id = "verify"
text = "Verify the caller"
examples = ["Please confirm your account number and PIN."]
keywords = ["pin"]

[[item]]
id = "account"
text = "Discuss the account after verifying"
required = false
after = "verify"
examples = ["Your last bill was fifty dollars."]

[[item]]
id = "retention"
text = "Offer a discount before cancelling"
examples = ["I can offer you a loyalty discount to stay."]
[item.when]
examples = ["I want to cancel my contract."]
keywords = ["cancel*"]

[[item]]
id = "anything-else"
text = "Ask if there is anything else"
closing = true
examples = ["Is there anything else I can help you with?"]
"""


def write_checklist(folder: Path, text: str = CHECKLIST, name: str = "support.toml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def prepared(folder: Path, encoder=None) -> Checklists:
    return Checklists(load_checklists(write_checklist(folder)),
                      HashEncoder() if encoder is None else encoder)


def said(cid: str, text: str, channel: str = "agent", start: float = 0.0) -> Caption:
    return Caption(cid, True, channel, start, start + 2.0, start + 2.5, "en", text)


def prepared_with(folder: Path, after: str, added: str) -> Checklists:
    """The test checklist with the line `added` put after the line `after` (an item's key the
    test needs: `reader = "offers"` after that item's examples), hashed encoder."""
    assert after in CHECKLIST, after
    text = CHECKLIST.replace(after, f"{after}\n{added}", 1)
    return Checklists(load_checklists(write_checklist(folder, text)), HashEncoder())
