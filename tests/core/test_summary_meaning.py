"""A summary that follows the issue (issue "meaning", item 6), on realistic calls: the reason
stays the customer's problem through follow-up questions and changes only for a new issue;
reference codes are facts (never a card number or a placeholder); open items are asked once and
closed by the agent's answer or a suggestion the agent used; numbers the recognizer was unsure
of are marked for the agent to confirm; "Knowledge used" is what the agent used or copied."""

from __future__ import annotations

import dataclasses
import json

import pytest

from copilot.assist.after_call import after_call_note
from copilot.assist.describe import summary_block
from copilot.assist.summary import (
    CallSummarizer,
    RunningSummary,
)
from copilot.assist.summary_extract import Line, Used, extract, issues, open_items
from copilot.assist.summary_lines import CONFIRM_LEGEND
from copilot.events import Caption
from copilot.knowledge.base import Hit
from copilot.knowledge.parse import Passage
from copilot.privacy.redaction import Redactor
from copilot.settings import AssistSettings


def cap(i: int, channel: str, text: str, unsure: tuple[str, ...] = ()) -> Caption:
    s = float(i * 5)
    return Caption(f"c{i}", True, channel, s, s + 4, s + 4.5, "en", text, unsure)


def turns(*said: tuple[str, str]) -> list[Caption]:
    return [cap(i, ch, text) for i, (ch, text) in enumerate(said)]


A, C = "agent", "customer"

# The customer describes a problem abroad, then asks short follow-ups about what to claim.
TRAVEL = turns(
    (A, "Thank you for calling Northwind Mobile, this is Priya. How can I help?"),
    (C, "Hi. I'm on holiday in Spain and my phone fell in the pool, now it won't turn on."),
    (A, "I'm sorry to hear that. Do you have Device Protection on that phone?"),
    (C, "Yes, I added it when I bought the phone in January."),
    (A, "Good. Accidental damage is covered and claims are filed within 60 days."),
    (C, "Okay. What can I claim?"),
    (C, "And how long does that take?"),
    (C, "What's the limit?"),
)


# ---- 1. the reason follows the issue ------------------------------------------------------------

def test_follow_up_questions_never_replace_the_reason():
    rs = RunningSummary()
    problem = "I'm on holiday in Spain and my phone fell in the pool, now it won't turn on."
    for k in range(2, len(TRAVEL) + 1):  # at every refresh, not only at the end
        rs.update(TRAVEL[:k])
        assert rs.latest.sections["reason"] == problem
    assert rs.latest.sections["earlier"] == []


def test_a_problem_described_without_cue_words_is_still_the_reason():
    """The description matches no problem word; the first question is a follow-up's shape."""
    lines = [Line(C, "I'm in Lisbon for work and my phone screen went black this morning."),
             Line(A, "I'm sorry. Do you have Device Protection?"),
             Line(C, "Yes I do. What can I claim?"),
             Line(C, "How long does that take?")]
    assert extract(lines).reason == ("I'm in Lisbon for work and my phone screen went black "
                                     "this morning.")


def test_a_clear_new_issue_replaces_the_reason_and_the_first_is_kept():
    call = [*TRAVEL, cap(8, A, "You can make up to 2 claims in any 12 month period."),
            cap(9, C, "Also, separate thing, I want to cancel my other line.")]
    s = RunningSummary().update(call).sections
    assert s["reason"] == "I want to cancel my other line."
    assert s["earlier"] == ["I'm on holiday in Spain and my phone fell in the pool, now it "
                            "won't turn on."]
    note = after_call_note(RunningSummary().update(call))
    assert note.startswith("Reason for the call: I want to cancel my other line.\n\n"
                           "Also raised earlier in the call:\n- I'm on holiday in Spain")
    assert "Raised earlier:" in summary_block(s)


@pytest.mark.parametrize("follow_up", [
    "I want to know how long that takes.",  # a request, but about "that"
    "Can I also claim for the case it was in?",  # a question: never a new issue
    "I need the claim done before I fly home.",  # shares "claim" with what the agent said
    "I want it replaced.",  # "it"
])
def test_requests_about_the_current_issue_keep_the_reason(follow_up):
    call = [*TRAVEL[:5], cap(5, C, follow_up)]
    assert RunningSummary().update(call).sections["reason"].startswith("I'm on holiday in Spain")


def test_a_new_subject_announced_in_its_own_sentence():
    call = turns((C, "My bill went up by ten dollars this month and nobody told me."),
                 (A, "Let me look at the bill for you."),
                 (C, "One more thing. My voicemail stopped working after the update."))
    found = issues([Line(c.channel, c.text) for c in call])
    assert [i.text for i in found] == [
        "My bill went up by ten dollars this month and nobody told me.",
        "My voicemail stopped working after the update."]


def test_a_vacuous_opening_gives_way_to_the_real_issue():
    call = turns((C, "Hi, can you help me?"),
                 (A, "Of course, what's going on?"),
                 (C, "I was charged a roaming fee in Canada but I had the day pass."))
    s = RunningSummary().update(call).sections
    assert s["reason"] == "I was charged a roaming fee in Canada but I had the day pass."
    assert s["earlier"] == []


def call(testdata, name: str) -> list[Caption]:
    """A test call's exact turns as final captions, through the redactor like the live path."""
    got = json.loads((testdata / "calls" / f"{name}.json").read_text("utf-8"))["turns"]
    red = Redactor()
    return [Caption(f"c{i}", True, t["speaker"], t["start"], t["end"], t["end"] + 0.5,
                    t["lang"], red.redact(t["text"], final=True).text)
            for i, t in enumerate(got)]


def test_the_test_calls_keep_their_reasons(testdata):
    billing = RunningSummary().update(call(testdata, "billing_refund")).sections
    assert billing["reason"].startswith("I was charged twice") and billing["earlier"] == []
    device = RunningSummary().update(call(testdata, "device_limit")).sections
    assert device["reason"].endswith("Is that true?") and device["earlier"] == []


# ---- 2. reference codes -------------------------------------------------------------------------

@pytest.mark.parametrize("said, fact", [
    ("My booking reference is K L M 4 7 2.", "Reference: KLM472"),
    ("It's K-L-M four seven two.", "Reference: KLM472"),
    ("The claim number is C L 4 4 7 1 9, I wrote it down.", "Reference: CL44719"),
    ("I have a ticket, AB1234, from last week.", "Ticket: AB1234"),
    ("The confirmation code they gave me was XY-99812.", "Reference: XY99812"),
    ("It's about order number 55-1234.", "Order number: 551234"),
])
def test_reference_codes_are_facts(said, fact):
    captions = [cap(0, C, said)]
    s = RunningSummary().update(captions).sections
    assert fact in s["facts"]


def test_a_code_asked_for_by_the_agent_and_spelled_by_the_customer():
    call = turns((A, "Do you have the booking reference?"),
                 (C, "Yes, it's K L M, four seven two."))
    assert RunningSummary().update(call).sections["facts"] == ["Reference: KLM472"]


@pytest.mark.parametrize("said", [
    "My card number is 4111 1111 1111 1111.",  # masked by the redactor
    "The reference is on my card, 4111 1111 1111 1112.",  # not Luhn-valid: not masked
    "It was the card ending 4242.",
    "The code was [REDACTED] and the reference [card ending 1111].",
    "I paid 1250 dollars on 12/03.",  # an amount and a date, already facts of their own
])
def test_card_numbers_placeholders_and_amounts_are_never_references(said):
    text = Redactor().redact(said, final=True).text
    s = RunningSummary().update([cap(0, C, text)]).sections
    refs = [f for f in s["facts"] if f.split(":")[0] in ("Reference", "Order number", "Ticket",
                                                         "Account number")]
    assert refs == []
    assert "4111" not in " ".join(s["facts"]) and "1112" not in " ".join(s["facts"])


def test_amounts_are_not_counted_twice():
    s = RunningSummary().update([cap(0, C, "Order number 55-1234 cost me 49 dollars.")])
    assert s.sections["facts"] == ["Order number: 551234", "Amount: 49 dollars"]


# ---- 3. open items: once, closed by an answer or a used suggestion ------------------------------

def test_the_same_question_twice_is_one_open_item():
    call = turns((C, "I was double charged this month. How long will the refund take?"),
                 (A, "I'm sorry about that."),
                 (C, "Sorry, how long will the refund take?"),
                 (C, "And how long until I get my money back on the card?"),
                 (C, "How long until I get my money back?"))
    assert RunningSummary().update(call).sections["open"] == [
        "How long will the refund take?", "How long until I get my money back on the card?"]


def test_the_agents_answers_close_the_follow_ups():
    call = [*TRAVEL[:6],
            cap(6, A, "Water damage is covered with a 99 dollar deductible."),  # a number
            cap(7, C, "And how long does that take?"),
            cap(8, A, "Once it's approved, the replacement ships the next business day."),
            cap(9, C, "What's the limit?"),
            cap(10, A, "Let me check that for you."),  # a stall answers nothing ...
            cap(11, C, "Is it covered if I'm abroad?"),
            cap(12, A, "Yes, Device Protection covers you anywhere.")]  # yes / no
    s = RunningSummary().update(call).sections
    assert s["open"] == ["What's the limit?"]  # ... so this one stays open


def test_a_stall_then_an_unrelated_turn_answers_nothing():
    call = turns((C, "How long will it take to get my money back?"),
                 (A, "Let me check the refund policy for you."),
                 (C, "Okay."),
                 (A, "I'm sorry about the wait."))
    assert RunningSummary().update(call).sections["open"] == [
        "How long will it take to get my money back?"]


def test_a_used_suggestion_closes_the_question_it_answers():
    call = turns((C, "I want to cancel my contract."),
                 (C, "Is there a fee if I cancel now?"),
                 (A, "Let me check."),
                 (C, "And can I keep my number?"))
    worker = CallSummarizer(AssistSettings(summary_min_interval=0.0))
    for c in call:
        worker.on_caption(c, None, [], now=c.end)
    assert worker.running.latest.sections["open"] == [
        "Is there a fee if I cancel now?", "Can I keep my number?"]
    out = worker.on_agent_action("used", ["CAN-01"], 20.0, of="c1",
                                 text="There is no early termination charge after 12 months.")
    assert out[0].sections["open"] == ["Can I keep my number?"]
    # A copied line offered for another caption closes a question it shares a topic with.
    out = worker.on_agent_action("copied", ["CAN-03"], 21.0, of="c9",
                                 text="You can keep your number when you leave.")
    assert out[0].sections["open"] == []


def test_a_line_used_before_the_question_was_asked_does_not_close_it():
    lines = [Line(C, "Can I keep my number?", "c4", 30.0)]
    used = [Used("c1", "You can keep your number when you leave.", 12.0)]
    assert open_items(lines, used) == ["Can I keep my number?"]


# ---- 4. numbers the recognizer was unsure of ----------------------------------------------------

def test_an_unsure_amount_is_marked_in_the_summary_and_the_note():
    call = [cap(0, A, "How can I help?"),
            cap(1, C, "I was charged $600 for roaming on March third.", unsure=("$600",)),
            cap(2, A, "Let me look into the roaming charge.")]
    s = RunningSummary().update(call).sections
    assert "Amount: 600 dollars (confirm)" in s["facts"]
    assert "Date: March third" in s["facts"]  # heard clearly
    note = after_call_note(RunningSummary().update(call))
    assert "- Amount: 600 dollars (confirm)" in note
    # What "confirm" asks, said once, first: any line may carry it (here the reason too).
    assert note.startswith(f"{CONFIRM_LEGEND}\n\nReason for the call: I was charged $600")
    assert "\nKey facts:\n" in note


def confirm_marks_sit_after_their_values(note: str) -> None:
    """Every "(confirm)" of the note ends one of the summary's lines, once; the legend saying
    what it asks is the note's first line, never a line under a list (which reads as a mark of
    its last line)."""
    lines = note.splitlines()
    if "(confirm" in note:
        assert lines[:2] == [CONFIRM_LEGEND, ""]
        lines = lines[2:]
    for line in lines:
        if "(confirm" in line:
            assert line.startswith(("- ", "Reason for the call: ")), line
            assert line.endswith(" (confirm)") and line.count("(confirm") == 1, line


def test_the_notes_confirm_marks_sit_right_after_the_values_they_qualify():
    # The demo call's turns: the customer's account number and cents were unsure.
    call = [cap(0, A, "Can I have the account number please?"),
            cap(1, C, "Sure, at 742-931 the charge was $49.25 on March 3rd.",
                unsure=("742", "931", "25")),
            cap(2, A, "Thank you. I can see both payments of $49 on March 3rd."),
            cap(3, C, "Also, should I give you my card number? It's for [card number].")]
    note = after_call_note(RunningSummary().update(call))
    facts = note.split("Key facts", 1)[1].split("\n\n", 1)[0].splitlines()
    assert facts[1:] == ["- Account number: 742931 (confirm)",
                         "- Amount: 49.25 dollars or 49 dollars (confirm)",
                         "- Date: March 3rd", "- Card: [card number]"]
    confirm_marks_sit_after_their_values(note)
    # Nothing to confirm: no legend either.
    clear = after_call_note(RunningSummary().update(call[2:]))
    assert "confirm" not in clear and "Key facts:" in clear


# ---- 4b. amounts the two sides said differently ---------------------------------------------------

def test_an_amount_read_back_differently_is_one_fact_to_confirm():
    """The customer says $49.25, the agent reads back $49: one fact with both values, marked to
    confirm, at the place the amount was first said; never two amounts that both look settled."""
    call = [cap(1, C, "The charge was $49.25 on March 3rd."),
            cap(2, A, "Thank you. I can see both payments of $49 on March 3rd.")]
    assert RunningSummary().update(call).sections["facts"] == [
        "Amount: 49.25 dollars or 49 dollars (confirm)", "Date: March 3rd"]


@pytest.mark.parametrize(("customer", "agent", "merged"), [
    ("I paid 120 dollars.", "I see a payment of $119.99 here.",
     "Amount: 120 dollars or 119.99 dollars (confirm)"),  # rounded by one side
    ("It was seventy five euros.", "I have 75.40 euros on the invoice.",
     "Amount: 75 euros or 75.40 euros (confirm)"),  # in words, another currency
    ("They took £1,249.50 from my card.", "I see £1,249.05 taken on the 2nd.",
     "Amount: 1249.50 pounds or 1249.05 pounds (confirm)"),  # the cents heard differently
])
def test_the_conflict_rule_is_not_one_calls(customer, agent, merged):
    call = [cap(1, C, customer), cap(2, A, agent)]
    facts = RunningSummary().update(call).sections["facts"]
    assert [f for f in facts if f.startswith("Amount")] == [merged]


@pytest.mark.parametrize("call", [
    # One side alone names two close amounts: two different things, both facts.
    [cap(1, C, "My plan is $45 but this month I paid $45.99."),
     cap(2, A, "Let me look at that for you.")],
    # The agent agrees on the customer's amount and names another: no conflict.
    [cap(1, C, "My plan is $45 but this month I paid $45.99."),
     cap(2, A, "Yes, I see $45.99 on the bill.")],
    # Amounts a whole unit or more apart, or in other currencies, are different amounts.
    [cap(1, C, "The charge was $49.25."), cap(2, A, "There is also a $5 late fee.")],
    [cap(1, C, "The charge was 49 dollars."), cap(2, A, "I see 49.50 euros.")],
])
def test_different_amounts_stay_apart(call):
    facts = [f for f in RunningSummary().update(call).sections["facts"]
             if f.startswith("Amount")]
    assert len(facts) == 2 and all(" or " not in f and not f.endswith("(confirm)")
                                   for f in facts), facts


def test_a_disputed_amount_keeps_its_mark_once_when_it_was_also_unsure():
    call = [cap(1, C, "The charge was $49.25 on March 3rd.", unsure=("25",)),
            cap(2, A, "I can see $49 on March 3rd.")]
    facts = RunningSummary().update(call).sections["facts"]
    assert facts[0] == "Amount: 49.25 dollars or 49 dollars (confirm)"
    confirm_marks_sit_after_their_values(after_call_note(RunningSummary().update(call)))


def test_said_again_clearly_the_value_stands():
    call = [cap(1, C, "My account number is 7 4 2 9 3 1.", unsure=("7",)),
            cap(2, A, "Thank you, account 742931, I have it here.")]
    assert RunningSummary().update(call[:1]).sections["facts"] == [
        "Account number: 742931 (confirm)"]
    assert RunningSummary().update(call).sections["facts"] == ["Account number: 742931"]


def test_unsure_words_outside_values_mark_nothing():
    call = [cap(1, C, "I think the charge was 49 dollars on March third.",
                unsure=("think", "the", "on"))]
    facts = RunningSummary().update(call).sections["facts"]
    assert facts == ["Amount: 49 dollars", "Date: March third"]


def test_an_unsure_spelled_code_is_marked():
    call = [cap(1, C, "The booking reference is K L M 4 7 2.", unsure=("M",))]
    assert RunningSummary().update(call).sections["facts"] == ["Reference: KLM472 (confirm)"]


def test_unsure_words_never_outlive_redaction():
    heard = Caption("c1", True, C, 0, 4, 4.5, "en",
                    "My card is 4111 1111 1111 1111 and it cost 49 dollars.",
                    ("4111", "49"))
    red = Redactor().redact(heard.text, final=True).text
    masked = dataclasses.replace(heard, text=red)  # what the session does
    assert "4111" not in red and masked.unsure == ("49",)
    assert dataclasses.replace(heard, text="[payment mode]").unsure == ()
    assert masked.to_dict()["unsure"] == ["49"]
    assert "unsure" not in cap(0, C, "Hello").to_dict()  # the contract's shape without any


def test_a_translated_caption_keeps_only_its_unsure_digits():
    heard = Caption("c1", True, C, 0, 4, 4.5, "es", "Me cobraron 600 dólares por roaming.",
                    ("cobraron", "600"))
    s = RunningSummary().update([heard], english={"c1": "They charged me 600 dollars for "
                                                        "roaming."}).sections
    assert s["facts"] == ["Amount: 600 dollars (confirm)"]


# ---- 5. knowledge used -------------------------------------------------------------------------

def hit(pid: str, title: str) -> Hit:
    return Hit(Passage(pid, title, "text", (), "kb.md"), 5.0, True, 1.0)


def test_knowledge_used_lists_only_what_the_agent_used_or_copied():
    worker = CallSummarizer(AssistSettings(summary_min_interval=0.0))
    shown = [hit("INS-01", "Device Protection"), hit("INS-02", "Making a claim"),
             hit("ROAM-05", "Phone not working abroad")]
    for c in TRAVEL:
        worker.on_caption(c, None, shown if c.channel == C else [], now=c.end)
    assert worker.running.latest.sections["sources"] == []
    assert worker.on_agent_action("opened", ["ROAM-05"], 41.0) == []
    assert worker.on_agent_action("dismissed", ["INS-01"], 41.5) == []
    ev = worker.on_agent_action("used", ["INS-02"], 42.0, of="c5",
                                text="The deductible is 99 dollars for accidental damage.")
    assert ev[0].sections["sources"] == ["[INS-02] Making a claim"]
    worker.on_agent_action("copied", ["INS-01", "INS-02"], 43.0, of="c7")
    note = worker.finish(now=50.0)[-1].note
    assert note.endswith("Knowledge used:\n- [INS-02] Making a claim\n"
                         "- [INS-01] Device Protection\n")
    assert "ROAM-05" not in note


def test_a_passage_used_without_a_card_is_listed_by_its_id():
    worker = CallSummarizer(AssistSettings(summary_min_interval=0.0))
    worker.on_caption(cap(0, C, "My phone was stolen in Rome."), None, [], now=4.0)
    ev = worker.on_agent_action("used", ["INS-03"], 5.0)
    assert ev[0].sections["sources"] == ["[INS-03]"]


def test_a_name_said_to_the_agent_is_not_part_of_the_reason():
    from copilot.assist.summary_extract import _tidy

    assert _tidy("Hi Sam, I was charged twice for my bill.") == "I was charged twice for my bill."
    assert _tidy("Paris, France is where I am.") == "Paris, France is where I am."
