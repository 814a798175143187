"""The draft box's words (ui/panels/draft_box.py): its labels, what became of the local model's
rewording said in one sentence, and the result's text with each unsupported fact marked."""

from __future__ import annotations

import html
from typing import Any

from ui.theme import Colors

TONES = (("calm", "Calm"), ("formal", "Formal"), ("brief", "Brief"))
TOGGLE = "Rephrase a draft (Ctrl+D)"
PLACEHOLDER = ("Type or paste what you are about to say or send: a follow-up message, a case "
               "note, a sentence for an upset customer. Ctrl+Enter rephrases.")
DRAFT_TIP = ("Rephrased by rules (and the local model when it keeps every fact), each policy "
             "fact checked against the knowledge base. During a stored call the draft (redacted) "
             "and the result are kept with the call; nothing is ever sent.")
SAME_LANGUAGE = "No translation"
WORKING = "Rephrasing… (Esc or Cancel stops it)"
CANCELLED = "Cancelled: nothing was rephrased."
NOT_IN_KB = "Not in the knowledge base, check before you say or send it:"
NOTHING_LEFT_SHOWN = "(nothing left to say: see the note below)"
FLAG_TIP = "Not in the knowledge base"
COPY_FLAGGED_TIP = ("Copy the rephrased text. Marked facts are not in the knowledge base: check "
                    "them before you send it.")
NO_FACTS = "No policy fact to check."
# What became of the local model's rewording (copilot.assist.rephrase's llm_outcome).
LLM_STATUS = {
    "used": "Reworded by the local model; every fact checked against the knowledge base.",
    "declined": "The local model's rewording was declined ({why}): this is the rule-based "
                "rephrasing.",
    "too_slow": "The local model was too slow ({why}): this is the rule-based rephrasing.",
    "failed": "The local model failed ({why}): this is the rule-based rephrasing.",
    "cancelled": "Rule-based rephrasing (the local model's rewording was stopped).",
    "": "Rule-based rephrasing (no local model is loaded).",
}
SAID = ("declined", "too_slow", "failed")  # outcomes said in a sentence under the text


def llm_status(result: Any) -> str:
    """One plain sentence on the local model's part in `result`, its reason the one worded for
    the agent (RephraseResult.llm_why: 'it left out "5 business days" from your draft'), never
    the diagnostic one the audit trail keeps (the rejected draft's, the notes')."""
    outcome = getattr(result, "llm_outcome", "")
    why = getattr(result, "llm_why", "")
    return LLM_STATUS.get(outcome, LLM_STATUS[""]).format(why=why or "no reason given")


def other_notes(result: Any) -> list[str]:
    """The result's notes but the LLM's (llm_status says that one in words)."""
    from copilot.assist.rephrase import LLM_NOTE  # the engine is loaded: it made `result`

    return [n for n in result.notes if not n.startswith(LLM_NOTE)]


def marked_html(text: str, facts: Any, colors: Colors) -> str:
    """`text` as rich text, each unsupported fact (by its span) a marked link "flag:N"."""
    parts, at = [], 0
    flagged = sorted((f for f in facts if not f.supported), key=lambda f: f.span)
    for n, f in enumerate(flagged):
        start, end = f.span
        if start < at or end > len(text) or start >= end:
            continue  # overlapping or stale span: the list below still names it
        parts.append(html.escape(text[at:start]))
        parts.append(f'<a href="flag:{n}" style="color:{colors.warn_text}; '
                     f'background-color:{colors.warn_bg}; text-decoration: underline;">'
                     f"{html.escape(text[start:end])}</a>")
        at = end
    parts.append(html.escape(text[at:]))
    return "".join(parts)
