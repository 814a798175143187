"""Issue 12: whatever the summary says from words Whisper was unsure of is marked for the agent
to confirm, never presented as settled: not only facts but the reason, the actions, the next
steps, the open items and the earlier issues, in the summary event and in the after-call note.
One rule for every kind of line (summary_lines.heard_unsure): only the words the line uses
count, words that carry nothing ("the", "and") mark nothing, and the same words said again
clearly settle them."""

from __future__ import annotations

import json

import pytest

from copilot.assist.after_call import after_call_note
from copilot.assist.pipeline import AssistPipeline
from copilot.assist.summary import (
    CallSummarizer,
    RunningSummary,
)
from copilot.assist.summary_extract import CONFIRM, Line, extract, heard_unsure
from copilot.assist.summary_lines import CONFIRM_LEGEND
from copilot.events import Caption, Summary
from copilot.knowledge.base import KnowledgeBase
from copilot.llm.engine import LlmEngine
from copilot.llm.fake import ScriptedBackend
from copilot.settings import AssistSettings

A, C = "agent", "customer"


def cap(i: int, channel: str, text: str, unsure: tuple[str, ...] = ()) -> Caption:
    s = float(i * 5)
    return Caption(f"c{i}", True, channel, s, s + 4, s + 4.5, "en", text, unsure)


def sections(*captions: Caption) -> dict:
    return RunningSummary().update(list(captions)).sections


def marked(text: str) -> str:
    return text + CONFIRM


# ---- every kind of line ------------------------------------------------------------------------

@pytest.mark.parametrize(("said", "unsure", "section", "line"), [
    # The demo call: "refund policy" heard as "Reef and Policy", Whisper unsure of both words.
    ("Let me check the Reef and Policy for you.", ("Reef", "and"), "actions",
     "Agent is checking the Reef and Policy for you."),
    ("I've credited the late fee to your acount.", ("acount",), "actions",
     "Agent credited the late fee to your acount."),
    ("I can see the roaming pass was added in Madrid.", ("Madrid",), "actions",
     "Agent can see the roaming pass was added in Madrid."),
    ("I'll send the replacement SIM to your home address.", ("SIM",), "next",
     "Agent will send the replacement SIM to your home address."),
    ("You should see the credit on your next bill.", ("credit",), "next",
     "Customer should see the credit on your next bill."),
    ("Please restart the router tonight.", ("router",), "next",
     "Customer to restart the router tonight."),
])
def test_an_agent_line_read_from_an_unsure_word_is_marked(said, unsure, section, line):
    s = sections(cap(0, C, "My internet stopped working yesterday."), cap(1, A, said, unsure))
    assert s[section] == [marked(line)]
    # The same words heard clearly: the line stands.
    assert sections(cap(0, C, "My internet stopped working yesterday."),
                    cap(1, A, said))[section] == [line]


@pytest.mark.parametrize(("said", "unsure", "reason"), [
    ("I was charged twice for my phone bill this month and want the extra payment back.",
     ("want",), "I was charged twice for my phone bill this month and want the extra payment "
                "back."),
    ("My voicemail stopped working after the update.", ("voicemail",),
     "My voicemail stopped working after the update."),
    ("I'd like to cancel my Gold Plus plan.", ("Gold",), "I'd like to cancel my Gold Plus plan."),
])
def test_a_reason_read_from_an_unsure_word_is_marked(said, unsure, reason):
    assert sections(cap(0, C, said, unsure))["reason"] == marked(reason)
    assert sections(cap(0, C, said))["reason"] == reason


def test_open_items_and_earlier_issues_are_marked_too():
    call = [cap(0, C, "My bill went up by ten dollars this month and nobody told me.",
                ("nobody",)),
            cap(1, A, "Let me look at the bill for you."),
            cap(2, C, "One more thing. My voicemail stopped working after the update."),
            cap(3, C, "Can you unlock the handset for travel?", ("handset",))]
    s = sections(*call)
    assert s["earlier"] == [marked("My bill went up by ten dollars this month and nobody told "
                                   "me.")]
    assert s["reason"] == "My voicemail stopped working after the update."
    assert s["open"] == [marked("Can you unlock the handset for travel?")]


# ---- only the words the line uses --------------------------------------------------------------

def test_the_unsure_word_of_another_clause_of_the_caption_marks_nothing():
    """One caption, two lines: the one built from the clause with the unsure word is marked,
    the other is not; an acknowledgement dropped from the line ("Sure,") marks nothing."""
    call = [cap(0, C, "I was charged twice this month."),
            cap(1, A, "Sure, I'll send you the form today. Let me check the Reef and Policy.",
                ("Sure", "Reef"))]
    s = sections(*call)
    assert s["next"] == ["Agent will send you the form today."]
    assert s["actions"] == [marked("Agent is checking the Reef and Policy.")]


@pytest.mark.parametrize(("said", "unsure"), [
    ("Hi Sam. I was charged twice for my phone bill.", ("Sam",)),  # a greeting, not the reason
    ("I was charged twice for my phone bill. My dog is barking, sorry.", ("dog",)),
    ("Sam, I was charged twice for my phone bill.", ("Sam",)),  # a name said to the agent
])
def test_a_reason_is_marked_only_by_its_own_words(said, unsure):
    assert sections(cap(0, C, said, unsure))["reason"] == (
        "I was charged twice for my phone bill.")


def test_words_that_carry_nothing_mark_no_line():
    """The same words facts ignore: an unsure "the" or "and" changes no step."""
    s = sections(cap(0, C, "My router keeps dropping the connection."),
                 cap(1, A, "Let me check the line and the router for you.", ("the", "and")),
                 cap(2, A, "I'll send an engineer on Friday.", ("an", "on")))
    assert s["actions"] == ["Agent is checking the line and the router for you."]
    assert s["next"] == ["Agent will send an engineer on Friday."]


def test_a_reason_with_its_context_from_the_caption_before():
    """"Is that true?" is shown with the sentence before it, from another caption: a word
    unsure there marks the reason."""
    call = [cap(0, C, "I read my plan allows one device.", ("device",)),
            cap(1, C, "Is that true?")]
    assert sections(*call)["reason"] == marked("I read my plan allows one device. Is that true?")
    clear = [cap(0, C, "I read my plan allows one device."), cap(1, C, "Is that true?")]
    assert sections(*clear)["reason"] == "I read my plan allows one device. Is that true?"


def test_a_word_cut_off_a_long_reason_marks_nothing():
    words = ("I was charged twice for the same phone bill this month even though I paid it "
             "on time through the app and the bank shows both payments leaving my account "
             "on the third of March").split()
    assert len(words) > 30
    said = " ".join(words) + "."
    cut_off = sections(cap(0, C, said, ("March",)))["reason"]  # word 34: not shown
    assert cut_off.endswith("...") and CONFIRM not in cut_off
    shown = sections(cap(0, C, said, ("bill",)))["reason"]
    assert shown.endswith("..." + CONFIRM)


def test_the_same_words_said_again_clearly_settle_them():
    """As for a fact said again: the agent's step repeated clearly, the customer's question
    asked again in the same words and heard clearly."""
    call = [cap(0, C, "My parcel never arrived."),
            cap(1, A, "I'll send a replacement parcel today.", ("replacement",)),
            cap(2, C, "When will the courier come?", ("courier",)),
            cap(3, A, "I'll send a replacement parcel today."),
            cap(4, C, "When will the courier come?")]
    s = sections(*call)
    assert s["next"] == ["Agent will send a replacement parcel today."]
    assert s["open"] == ["When will the courier come?"]
    assert s["reason"] == "My parcel never arrived."
    # Unsure both times: still to confirm.
    twice = [cap(0, C, "My parcel never arrived."),
             cap(1, A, "I'll send a replacement parcel today.", ("replacement",)),
             cap(2, A, "I'll send a replacement parcel today.", ("parcel",))]
    assert sections(*twice)["next"] == [marked("Agent will send a replacement parcel today.")]


def test_facts_and_lines_follow_one_rule():
    """heard_unsure is the facts' rule too: the mark of a fact and of the line it was said in
    agree, whatever the kind of value."""
    for text, unsure in [("I'll refund the 49 dollars by Friday.", ("49",)),
                         ("I'll refund the 49 dollars by Friday.", ("Friday",)),
                         ("I'll refund the 49 dollars by Friday.", ("the", "by"))]:
        s = sections(cap(0, C, "I was charged twice."), cap(1, A, text, unsure))
        line_marked = s["next"][0].endswith(CONFIRM)
        assert line_marked == any(f.endswith(CONFIRM) for f in s["facts"]), (unsure, s)
        assert line_marked == heard_unsure(Line(A, text, unsure=unsure), text)


def test_a_placeholder_is_never_heard():
    """The redactor's words are not the caller's: an unsure "card" said elsewhere in the
    caption does not mark the line that only has "[card number]"."""
    line = Line(C, "Card? Also it's [card number].", unsure=("Card",))
    assert not heard_unsure(line, "Also it's [card number].")
    assert heard_unsure(line, "Card?")


# ---- the LLM's reason, the event and the note ----------------------------------------------------

def test_the_llms_rephrasing_of_an_unsure_reason_is_marked():
    call = [cap(0, A, "How can I help?"),
            cap(1, C, "I was charged twice for my phone bill this month.", ("twice",))]
    good = "The customer was charged twice for the phone bill this month."
    with LlmEngine(lambda: ScriptedBackend([good])) as llm:
        rs = RunningSummary(llm=llm)
        rs.update(call)
        refined = rs.refine(timeout=10)
    assert refined is not None and refined.sections["reason"] == marked(good)


def test_the_event_keeps_its_shape_the_mark_is_in_the_text():
    ev = RunningSummary().update([cap(0, C, "My voicemail stopped working.", ("voicemail",)),
                                  cap(1, A, "Let me check the voicemail.", ("voicemail",))])
    d = json.loads(ev.to_json())
    assert set(d["sections"]) == {"reason", "facts", "actions", "next", "open", "sources",
                                  "earlier"}
    assert all(isinstance(x, str) for k, v in d["sections"].items() if k != "reason"
               for x in v)
    assert d["sections"]["reason"] == marked("My voicemail stopped working.")
    assert d["sections"]["actions"] == [marked("Agent is checking the voicemail.")]


def test_the_note_marks_any_line_and_says_so_once_first():
    call = [cap(0, A, "Can I have the account number please?"),
            cap(1, C, "It's 742931. I was charged twice for my phone bill.", ("742931",)),
            cap(2, A, "Let me check the Reef and Policy for you.", ("Reef", "and")),
            cap(3, C, "Please send me an email when it's done.", ("email",))]
    note = after_call_note(RunningSummary().update(call))
    lines = note.splitlines()
    assert lines[:3] == [CONFIRM_LEGEND, "", "Reason for the call: I was charged twice for my "
                                             "phone bill."]
    assert CONFIRM_LEGEND.startswith('Lines ending in "(confirm)"')  # any line, not facts only
    assert "- Account number: 742931 (confirm)" in lines
    assert "- Agent is checking the Reef and Policy for you. (confirm)" in lines
    assert "- Please send me an email when it's done. (confirm)" in lines
    # The legend once, first; every other "(confirm)" ends its own line.
    assert note.count(CONFIRM_LEGEND) == 1
    for line in lines[2:]:
        if "(confirm" in line:
            assert line.endswith(CONFIRM) and line.count("(confirm") == 1, line


def test_a_note_with_only_a_marked_action_still_has_the_legend():
    call = [cap(0, C, "I was charged twice for my phone bill."),
            cap(1, A, "Let me check the Reef and Policy for you.", ("Reef",))]
    note = after_call_note(RunningSummary().update(call))
    assert note.startswith(CONFIRM_LEGEND + "\n\nReason for the call: ")
    assert "Key facts" not in note  # no fact: the legend cannot hang on their heading


def test_a_note_with_nothing_unsure_has_no_legend():
    call = [cap(0, C, "I was charged twice for my phone bill."),
            cap(1, A, "Let me check the refund policy for you.")]
    note = after_call_note(RunningSummary().update(call))
    assert note.startswith("Reason for the call: ") and "confirm" not in note


# ---- the live path -----------------------------------------------------------------------------

def test_an_english_caption_handed_over_with_its_own_text_keeps_all_its_unsure_words():
    """The assistance pipeline gives the summary a customer caption in the knowledge base's
    language with its own text as "English": that is no translation, so its unsure words all
    count (they were cut to the digits, as for a translation, and "want" was lost)."""
    worker = CallSummarizer(AssistSettings(summary_min_interval=0.0))
    said = cap(1, C, "I was charged twice and want the extra payment back.", ("want",))
    (ev,) = worker.on_caption(said, said.text, [], now=5.0)
    assert ev.sections["reason"] == marked("I was charged twice and want the extra payment back.")


def test_a_translation_keeps_only_the_unsure_digits():
    """A real translation: the unsure words of the other language are not words of the English
    text, only a number keeps its digits."""
    heard = Caption("c1", True, C, 0, 4, 4.5, "es", "¿Cuándo me devuelven los 600 dólares?",
                    ("Cuándo", "600"))
    english = {"c1": "When do I get the 600 dollars back?"}
    s = RunningSummary().update([heard], english=english).sections
    assert s["open"] == [marked("When do I get the 600 dollars back?")]
    only_words = Caption("c1", True, C, 0, 4, 4.5, "es", heard.text, ("Cuándo",))
    s = RunningSummary().update([only_words], english=english).sections
    assert s["open"] == ["When do I get the 600 dollars back?"]


def test_the_pipeline_marks_the_customers_and_the_agents_unsure_lines(testdata):
    events: list = []

    class Clock:
        t = 0.0

        def now(self) -> float:
            return self.t

    with KnowledgeBase.load(testdata / "kb" / "northwind") as kb:
        p = AssistPipeline(kb, Clock(), events.append,
                           summary=CallSummarizer(AssistSettings(summary_min_interval=0.0)))
        p.start()
        for c in [cap(1, C, "I was charged twice and want the extra payment back.", ("want",)),
                  cap(2, A, "Let me check the Reef and Policy for you.", ("Reef", "and")),
                  cap(3, C, "How long will it take?")]:
            p.on_event(c)
        p.finish(30)
    summaries = [e for e in events if isinstance(e, Summary)]
    s = summaries[-1].sections
    assert s["reason"] == marked("I was charged twice and want the extra payment back.")
    assert s["actions"] == [marked("Agent is checking the Reef and Policy for you.")]
    assert s["open"] == ["How long will it take?"]


def test_extraction_keeps_plain_texts_for_its_other_readers():
    """The disposition and the LLM's prompt read the extraction: its texts carry no mark."""
    lines = [Line(C, "My voicemail stopped working.", unsure=("voicemail",)),
             Line(A, "Let me check the voicemail.", unsure=("check",))]
    ex = extract(lines)
    assert ex.reason == "My voicemail stopped working."
    assert ex.actions == ("Agent is checking the voicemail.",)
    assert ex.to_confirm == {ex.reason, *ex.actions}
