"""The handoff note of Transfer / escalate (copilot/assist/handoff.py): laid out from the running
summary's own events, the customer signals and the lines the agent used, never worked out again;
its fixed layout, destination line, disposition, redaction, and `replay --handoff-at`'s timing."""

from __future__ import annotations

import json

import pytest

from copilot.assist import handoff as ho
from copilot.assist import summary as summary_module
from copilot.assist import summary_extract
from copilot.assist.summary import RunningSummary
from copilot.events import AfterCallNote, Caption, Handoff, Signal, Summary
from copilot.settings import Settings

SECTIONS = {"reason": "I was charged twice for my phone bill this month.",
            "facts": ["Account number: 742931", "Amount: 49 dollars (confirm)"],
            "actions": ["Agent can see both payments of forty nine dollars on March third."],
            "next": ["Agent will file the billing correction now."],
            "open": ["How long will it take to get my money back?"],
            "sources": ["[BILL-01] Duplicate or double charges"], "earlier": []}
SUMMARY = Summary(4, SECTIONS, 40.0)
FRUSTRATED = Signal("c5", "frustration", 0.72, ("second time", "frustrated"), 37.9)


def _caption(cid: str, channel: str, start: float, text: str) -> Caption:
    return Caption(cid, True, channel, start, start + 3.0, start + 3.5, "en", text)


CALL = [
    _caption("c0", "agent", 0.5, "Thank you for calling Northwind Mobile, how can I help?"),
    _caption("c1", "customer", 6.4, "Hi. I was charged twice for my phone bill this month and "
                                     "I want the extra payment back."),
    _caption("c2", "agent", 13.7, "Can I have the account number, please?"),
    _caption("c3", "customer", 18.5, "Sure, it's seven four two nine three one. The charge was "
                                      "forty nine dollars, twice, on March third."),
    _caption("c4", "agent", 41.5, "I will file the billing correction now."),
]


def _tracker(*events) -> ho.HandoffTracker:
    tracker = ho.HandoffTracker()
    for e in events:
        tracker.feed(e)
    return tracker


def test_the_note_has_the_fixed_layout_from_the_summary_and_the_signal():
    tracker = _tracker(SUMMARY, FRUSTRATED)
    tracker.line_used("I've filed a billing correction; the refund takes 5 business days.")
    note = tracker.note("Billing team", 45.0, "handoff-3")
    assert note.note == (
        "Handoff to: Billing team\n"
        "Reason for the call: I was charged twice for my phone bill this month.\n"
        "Key facts:\n"
        "- Account number: 742931\n"
        "- Amount: 49 dollars (confirm)\n"
        "Tried and suggested:\n"
        "- Agent can see both payments of forty nine dollars on March third.\n"
        "- Knowledge used: [BILL-01] Duplicate or double charges\n"
        "Customer was told:\n"
        "- \u201cI've filed a billing correction; the refund takes 5 business days.\u201d\n"
        "- Agent will file the billing correction now.\n"
        "Open items:\n"
        "- How long will it take to get my money back?\n"
        "Customer signal: frustrated (\u201csecond time\u201d, \u201cfrustrated\u201d)\n")
    assert (note.id, note.destination, note.at, note.summary_version) == (
        "handoff-3", "Billing team", 45.0, 4)
    assert (note.action, note.edited) == ("draft", False)
    assert note.sections["facts"] == SECTIONS["facts"]  # "(confirm)" kept for the next agent


def test_with_nothing_yet_every_heading_stays_and_says_so():
    note = ho.HandoffTracker().note("Supervisor", 3.0)
    assert note.summary_version == 0
    lines = note.note.splitlines()
    assert lines[:2] == ["Handoff to: Supervisor", "Reason for the call: (not stated yet)"]
    for heading in ("Key facts:", "Tried and suggested:", "Customer was told:", "Open items:"):
        assert lines[lines.index(heading) + 1] == ho.NONE
    assert lines[-1] == "Customer signal: calm (no frustration or escalation cue)"


def test_the_note_reads_the_running_summary_it_is_given_and_extracts_nothing(monkeypatch):
    """Nothing computed twice: the note is the summary's latest event, regrouped."""
    summary = RunningSummary().update(CALL)
    assert summary is not None and summary.sections["facts"]
    tracker = _tracker(summary)

    def no_second_extraction(*_a, **_k):
        raise AssertionError("the handoff note must not extract the summary again")

    monkeypatch.setattr(summary_extract, "extract", no_second_extraction)
    monkeypatch.setattr(summary_module, "extract", no_second_extraction)
    monkeypatch.setattr(RunningSummary, "update", no_second_extraction)
    note = tracker.note("Billing team", 44.0)
    assert note.sections["reason"] == summary.sections["reason"]
    assert note.sections["facts"] == summary.sections["facts"]
    assert "Account number: 742931" in note.note
    assert note.sections["told"] == summary.sections["next"]
    assert note.summary_version == summary.version


def test_the_newest_summary_wins_and_a_reset_forgets_the_call():
    older = Summary(1, {"reason": "An old reason", "facts": ["Old fact"]}, 5.0)
    tracker = _tracker(older, SUMMARY)
    assert tracker.note("Billing team", 50).sections["reason"] == SECTIONS["reason"]
    tracker.line_used("A line")
    tracker.line_used("  A   line ")  # the same line used twice is said once
    assert tracker.sections()["told"][0] == "\u201cA line\u201d"
    assert len(tracker.sections()["told"]) == 1 + len(SECTIONS["next"])
    tracker.reset()
    assert tracker.sections()["reason"] == "" and tracker.sections()["told"] == []


@pytest.mark.parametrize(("signals", "expected"), [
    ([], "calm (no frustration or escalation cue)"),
    ([FRUSTRATED], "frustrated (\u201csecond time\u201d, \u201cfrustrated\u201d)"),
    ([Signal("c1", "frustration", 0.9, ("ridiculous",), 5.0)], "angry (\u201cridiculous\u201d)"),
    ([FRUSTRATED, Signal("c9", "frustration", 0.15, (), 60.0)],
     "calmer now, frustrated earlier (\u201csecond time\u201d, \u201cfrustrated\u201d)"),
    ([Signal("c3", "escalation", 0.6, ("speak to a manager",), 9.0),
      Signal("c4", "escalation", 0.8, ("speak to a manager", "complaint"), 12.0)],
     "escalation cue (\u201cspeak to a manager\u201d, \u201ccomplaint\u201d)"),
    ([FRUSTRATED, Signal("c6", "offer_escalation", 0.8, ("frustrated",), 40.0)],
     "frustrated (\u201csecond time\u201d, \u201cfrustrated\u201d); upset more than once during "
     "the call"),
])
def test_the_customer_signal_in_words(signals, expected):
    assert ho.signal_text(signals) == expected


def test_a_new_destination_replaces_only_its_line():
    edited = ho.layout("Billing team", {"reason": "x"}).replace("(none)", "ask about May", 1)
    moved = ho.with_destination(edited, "Supervisor")
    assert moved.splitlines()[0] == "Handoff to: Supervisor"
    assert moved.splitlines()[1:] == edited.splitlines()[1:]  # the agent's edit stays
    assert ho.with_destination("Customer wants a call back.", "Supervisor") == \
        "Handoff to: Supervisor\nCustomer wants a call back."


DEFAULT_CODES = Settings().assist.disposition_codes


def test_the_default_codes_have_both_handoff_dispositions():
    assert {"escalated", "transferred"} <= set(DEFAULT_CODES)
    assert DEFAULT_CODES[-1] == "other"  # still the fallback


# The rule of settings.py's HandoffSettings: escalated for a supervisor or manager destination,
# transferred otherwise.
@pytest.mark.parametrize(("destination", "codes", "expected"), [
    ("Billing team", DEFAULT_CODES, "transferred"),  # the default codes
    ("Technical support", DEFAULT_CODES, "transferred"),
    ("Supervisor", DEFAULT_CODES, "escalated"),
    ("Shift manager", DEFAULT_CODES, "escalated"),
    ("Team lead", DEFAULT_CODES, "escalated"),
    ("Escalations desk", DEFAULT_CODES, "escalated"),
    ("Complaints team", DEFAULT_CODES, "transferred"),  # a peer team, not a supervisor
    ("Second line support", DEFAULT_CODES, "transferred"),
    ("Billing team", ["resolved", "transferred", "escalated"], "transferred"),
    ("Supervisor", ["resolved", "transferred", "escalated"], "escalated"),
    ("Team lead", ["transferred", "escalated"], "escalated"),
    ("Billing team", ["resolved", "escalated", "other"], "escalated"),  # a site without it
    ("Supervisor", ["resolved", "transferred"], "transferred"),
    ("Billing team", ["resolved", "other"], None),
])
def test_the_disposition_after_a_handoff(destination, codes, expected):
    assert ho.disposition_for(destination, codes) == expected


# The AI's own disposition at hang-up (copilot.assist.summary.choose_disposition) with the
# default codes: "transferred" only when the agent hands the call to a peer team, never for a
# number transfer or a bank transfer, and a supervisor stays "escalated".
@pytest.mark.parametrize(("agent", "expected"), [
    ("I'll transfer you to the billing team now.", "transferred"),
    ("I'm transferring you to technical support, one moment.", "transferred"),
    ("I will put you through to our billing team.", "transferred"),
    ("Let me transfer you to my supervisor.", "escalated"),
    ("I'll transfer you to the escalations team.", "escalated"),
    ("I will escalate this to my manager.", "escalated"),
    ("You can pay by bank transfer; it arrives in 3 days.", "other"),
    ("To bring your number over I'll need the transfer PIN from your current carrier.",
     "other"),
])
def test_the_ai_disposition_tells_a_transfer_from_an_escalation(agent, expected):
    captions = [_caption("c0", "customer", 0.0, "I need some help with my account."),
                _caption("c1", "agent", 4.0, agent)]
    assert summary_module.choose_disposition(captions, [], DEFAULT_CODES) == expected


def test_destinations_come_from_the_settings_with_defaults():
    assert ho.destinations(Settings()) == ["Billing team", "Technical support", "Supervisor"]
    assert ho.destinations(None) == ho.destinations(Settings())
    site = Settings.from_dict({"handoff": {"destinations": ["Retention", " Fraud  desk ",
                                                             "Retention", ""]}})
    assert ho.destinations(site) == ["Retention", "Fraud desk"]
    assert ho.destinations(Settings.from_dict({"handoff": {"destinations": []}})) == \
        ho.destinations(Settings())


def test_the_stored_note_is_redacted_and_keeps_its_layout():
    text = ("Handoff to: Billing team\nKey facts:\n- Card 4111 1111 1111 1111 read out\n\n"
            "- Account number: 742931\n")
    stored = ho.redact_note(text)
    assert "4111 1111" not in stored and "[card ending 1111]" in stored
    assert stored.split("\n")[0] == "Handoff to: Billing team"
    assert stored.count("\n") == text.count("\n")
    assert "742931" in stored  # an account number is what the next agent needs


def test_the_event_has_the_contract_shape():
    d = Handoff("handoff-1", "Billing team", "Handoff to: Billing team\n", {"reason": "x"},
                45.04321, 3).to_dict()
    assert list(d)[0] == "type" and d["type"] == "handoff"
    assert d == {"type": "handoff", "id": "handoff-1", "destination": "Billing team",
                 "note": "Handoff to: Billing team\n", "sections": {"reason": "x"},
                 "at": 45.043, "summary_version": 3, "action": "draft", "edited": False}
    assert json.loads(Handoff("h", "d", "n", {}, 1.0).to_json())["type"] == "handoff"


def test_replay_makes_it_before_the_first_event_at_its_time_from_what_came_before():
    at = ho.HandoffAt(45.0, "Billing team")
    assert at.before(SUMMARY) is None  # 40.0
    assert at.before(FRUSTRATED) is None
    later = Summary(5, {**SECTIONS, "reason": "Something said after the handoff"}, 46.0)
    made = at.before(later)
    assert made is not None and made.at == 45.0
    assert made.sections["reason"] == SECTIONS["reason"]  # not the summary of 46.0
    assert made.summary_version == 4
    assert at.before(Summary(6, SECTIONS, 50.0)) is None  # once
    assert at.at_end(60.0) is None


def test_replay_of_a_shorter_call_makes_it_at_the_end():
    at = ho.HandoffAt(500.0, "Supervisor")
    at.before(SUMMARY)
    made = at.before(AfterCallNote("note", "other", 64.0))
    assert made is not None and made.at == 64.0 and made.destination == "Supervisor"
    quiet = ho.HandoffAt(500.0, "Supervisor")
    made = quiet.at_end(12.0)
    assert made is not None and made.at == 12.0 and made.summary_version == 0
