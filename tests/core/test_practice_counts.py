"""Counts and quantifiers in a trainee's answer (copilot/practice/counts.py, arithmetic.py's
remainders, answer_clauses.QUANTIFIERS): a count of what the answer lists is no policy figure
when the call says as many, what is left of a stated limit is arithmetic, and "all" / "any"
set no scope under a negation, in a question, over the answer's own list or in an idiom. An
invented count or scope is still wrong."""

from __future__ import annotations

import pytest
from practice_helpers import scenario_checker

from copilot.knowledge.verify import verify
from copilot.practice.counts import Vocabulary, _items, tallies
from copilot.practice.factcheck import CASE, CORRECT, TALLY

KIDS = ("And my kids' phones too? How many devices can we have in total?",)


@pytest.fixture(scope="module")
def checkers(kb):
    made: dict = {}

    def get(name: str):
        if name not in made:
            made[name] = scenario_checker(kb, name)
        return made[name]
    return get


def facts(report) -> list[tuple[str, str]]:
    return [(f.text, f.status) for f in report.facts]


# -- a count of what the answer lists -----------------------------------------------------------

@pytest.mark.parametrize("scenario, answer, count", [
    ("card_number", "There are two ways to pay by card: the Northwind app, or our automated "
                    "secure payment line.", "two"),
    ("card_number", "Two ways: the automated secure payment line, which is option 3 from the "
                    "main menu, or the Northwind app. Which would you prefer?", "Two"),
    ("card_number", "You've got two options: I can transfer you to our secure payment line, "
                    "or you can pay by card in the Northwind app.", "two"),
    ("duplicate_charge", "You'll get two emails: one confirming the ticket was filed, and one "
                         "when the refund is issued.", "two"),
    ("one_device", "The tablet and the phone make 2 devices.", "2"),
    ("one_device", "Your phone plus the tablet is 2 devices, well under the 10 that Family "
                   "Unlimited allows.", "2"),
    ("one_device", "Your phone and tablet count as 2 devices.", "2"),  # (answer set 55)
    # an enumeration the answer marks itself ("first, ...; second, ..."; "One, ... Two, ...")
    ("cancellation", "So there are two things to keep in mind, Alex. One, the fee: 87.50 "
                     "dollars if you cancel now. Two, your number: let the new carrier request "
                     "the transfer, and don't cancel until it has completed.", "two"),
    ("card_number", "You've got two options: one, pay on the secure payment line; two, pay in "
                    "the Northwind app.", "two"),
    # fillers set off by commas are no items
    ("card_number", "So, um, there are, like, two ways: the, erm, automated secure payment line, "
                    "or, you know, the Northwind app.", "two"),
    # the passage's list opens with a clause of its own ("Before discussing account details,
    # verify the caller with the account number and the 4-digit account PIN": two items)
    ("cancellation", "Just two things: your account number and the 4-digit PIN on the account.",
     "two"),
    ("cancellation", "Just two things: the account number, plus the 4-digit PIN on the account.",
     "two"),
    # a count pointing back at the list just said
    ("card_number", "Could you give me your account number and your 4-digit account PIN? Not "
                    "the card - just those two.", "two"),
    # the list first, its count after a colon (answer set 56)
    ("one_device", "Phone and tablet: 2 devices, which Family Unlimited easily covers with its "
                   "10.", "2"),
    # what the answer asks the caller to remember, each said after it (answer set 56)
    ("one_device", "Two numbers to keep in mind. Any Northwind plan: up to 5 devices using the "
                   "data at the same time. Family Unlimited: up to 10 devices.", "Two"),
    # one of the call's places to pay (answer set 57)
    ("card_number", "It's one of the two places we take card payments, the other being the "
                    "secure payment line.", "two"),
])
def test_a_count_of_what_the_answer_lists_is_a_tally(checkers, scenario, answer, count):
    report = checkers(scenario).check(answer)
    assert not report.wrong, facts(report)
    assert (count, TALLY) in facts(report)
    assert count not in [f.text for f in report.correct]  # no policy figure to list


@pytest.mark.parametrize("scenario, answer, count", [
    # a count of nothing the answer lists
    ("card_number", "You get two free replacements a year.", "two"),
    ("card_number", "You can pay two ways.", "two"),
    ("duplicate_charge", "We refund up to two duplicate charges per account.", "two"),
    # a list that does not bear the count out
    ("one_device", "The phone and the tablet make 3 devices.", "3"),
    ("one_device", "Your phone and tablet count as 3 devices.", "3"),
    ("duplicate_charge", "You'll get three emails: one now and one when the refund is issued.",
     "three"),
    # a list longer than the call's (BILL-01 lists two emails), or with an item it never names
    ("duplicate_charge", "You'll get three emails: one when the ticket is filed, one when the "
                         "refund is issued, and one when the money is back.", "three"),
    ("card_number", "There are three ways to pay: the Northwind app, the secure payment line, "
                    "or a Northwind store.", "three"),
    ("card_number", "There are three ways to pay: the Northwind app, the secure payment line, "
                    "or over the phone with me.", "three"),
    ("one_device", "The phone, the tablet and a laptop make 3 devices.", "3"),
    # "those" pointing back at a list the count does not bear out, or at none
    ("card_number", "Could you give me your account number and your 4-digit account PIN? Just "
                    "those six.", "six"),
    ("card_number", "I can't take card details. Just those two.", "two"),
    # a limit the policy does not state, its items listed after it
    ("one_device", "Your plan allows 2 devices: your phone and the tablet.", "2"),
    ("one_device", "You can have 2 devices: your phone and the tablet.", "2"),
    # an enumeration with an item the call never names, or of more ways than the call lists
    ("card_number", "You've got two options: one, the secure payment line; two, pay in a "
                    "Northwind store.", "two"),
    ("card_number", "You've got two options: one, the secure payment line; two, pay in the "
                    "Northwind app with a cheque.", "two"),
    ("card_number", "There are three ways to pay: first, the secure payment line; second, the "
                    "Northwind app; third, over the phone with me.", "three"),
    # the list first: a count it does not bear out
    ("one_device", "Phone and tablet: 3 devices.", "3"),
    # things the caller must bring or do are a requirement's count, not the answer's structure
    ("cancellation", "Two things you need to send us first.", "Two"),
    # places to pay the call does not offer as many of
    ("card_number", "It's one of the three places we take card payments.", "three"),
])
def test_an_invented_count_stays_wrong(checkers, scenario, answer, count) -> None:
    report = checkers(scenario).check(answer)
    assert count in [f.text for f in report.wrong], facts(report)


@pytest.mark.parametrize("scenario, answer, heard", [
    # labels of the answer's own steps, from one, in order
    ("cancellation", "Step one, ask your partner's carrier to request the number transfer. Step "
                     "two, wait until that transfer is complete.", ()),
    ("duplicate_charge", "Here's what happens: 1) I file a billing correction ticket now, 2) you "
                         "get an email confirming it today.", ()),
    # "one" standing for a thing named before
    ("duplicate_charge", "You will receive a confirmation email today, and a second one once the "
                         "refund is issued.", ()),
    ("card_number", "Press 3 from the main menu for the secure payment line, or open the "
                    "Northwind app. Either one takes card payments.", ()),
    # ... and for what the caller gets or is sent ("an email: you'll get one when ...")
    ("duplicate_charge", "There's a confirmation email too: you'll get, um, one the moment "
                         "the ticket is filed.", ()),
    # ways of doing a thing, as many as the call's alternatives ("... the secure payment line
    # ... or the Northwind app")
    ("card_number", "That's one of the two ways we take card payments, the other being the "
                    "secure payment line.", ()),
    ("card_number", "Card payments go through the secure payment line or the app. So those are "
                    "the two routes, I'm afraid.", ()),
    # ... named in the sentences after the count (answer set 54)
    ("card_number", "No harm done. There are two ways. You can dial into the secure payment "
                    "line, an automated service. Or you can pay in the Northwind app.", ()),
    # a tally of the caller's own things, one of them only asked about
    ("one_device", "Phone, tablet and laptop are three devices, and up to 5 can be on the data "
                   "at the same time.", ("What about my laptop as well?",)),
    # a matter for someone, one of a pair the sentence names the other of (answer sets 36, 37)
    ("cancellation", "Whether the handset works on their network is one for them, I'm afraid, "
                     "I can't say.", ()),
    ("cancellation", "Couldn't say, sorry. That's one for your partner's carrier.", ()),
    ("duplicate_charge", "One 49 dollar payment comes back in full and the other one covers "
                         "the bill.", ()),
    # a question left open, a thing named before as "that one" or after an ordinal (answer
    # set 38)
    ("cancellation", "That's one I can't answer, sorry, I've got nothing on voicemail.", ()),
    ("card_number", "That one we'd need the card issuer for. The app or the secure line work.",
     ()),
    ("cancellation", "Each extra full month takes 12.50 dollars off, the fifth one too.", ()),
    # a set phrase that counts nothing (answer set 46), and "never" said as "not ... under any
    # circumstances"
    ("card_number", "Let's go one step at a time: the account number first, then the PIN.", ()),
    ("card_number", "One moment. I can't take the card number under any circumstances; press "
                    "3 for the secure payment line.", ()),
    # the caller's reading said back, not confirmed (answer set 46)
    ("one_device", "So you were told that your plan allows one device. Which plan are you on?",
     ()),
    # the payments taken, opening the sentence (answer set 47)
    ("duplicate_charge", "Two payments of 49 dollars were taken, so 98 dollars in all.", ()),
    # one of a pair the sentence names "a second one" of (answer set 49)
    ("duplicate_charge", "You get one email when the ticket is filed, so today, and a second one "
                         "when the refund is issued.", ()),
    # a verb's object with its particle, how close something is, a kind of card (answer set 51)
    ("card_number", "I can't take a card number over the phone or write one down, sorry.", ()),
    ("card_number", "The secure payment line is one transfer away, and I can do that now.", ()),
    ("card_number", "The policy doesn't split credit from debit: card payments go through the "
                    "secure payment line or the Northwind app.", ()),
    # what was just named is one more of them; a credit score (answer set 53)
    ("one_device", "If the laptop runs on the plan's data, it's simply one more device, and "
                   "you've got room for it.", ()),
    ("duplicate_charge", "I can't say how credit scores work, but the duplicate is refunded in "
                         "full.", ()),
])
def test_labels_pronouns_and_the_callers_things_are_no_figures(checkers, scenario, answer,
                                                               heard) -> None:
    report = checkers(scenario).check(answer, heard=heard)
    assert not report.wrong, facts(report)


@pytest.mark.parametrize("scenario, answer, wrong", [
    # a step's own figure is still checked
    ("cancellation", "Step one, pay the 20 dollar transfer fee. Step two, wait until the "
                     "transfer is complete.", "20 dollar"),
    # a lone "two," labels nothing: the run starts at one
    ("card_number", "You can pay two ways, two, really.", "two"),
    # "one" after no word that says which: a count
    ("one_device", "Every plan allows one tablet at the same time.", "one"),
    # ... nor after "only" with what is got
    ("duplicate_charge", "You'll only get one today, the refund email.", "one"),
    ("duplicate_charge", "You'll get one free month of service for the trouble.", "one"),
    # one for a thing, not for someone; "one" with no other after it
    ("one_device", "It's one for each of your lines, so every plan has one tablet.", "one"),
    ("duplicate_charge", "One payment comes back today.", "One"),
    # ways counted wrong, or as many as a list that is no choice of ways ("never ask for a
    # full card number, a card security code, or a full social security number")
    ("card_number", "Card payments can be made three ways, the app is one.", "three"),
    ("card_number", "There are three ways we take card payments.", "three"),
    ("card_number", "There are three ways. You can dial into the secure payment line. Or you "
                    "can pay in the Northwind app.", "three"),
    # the caller never named a laptop
    ("one_device", "Phone, tablet and laptop are three devices.", "three"),
    # the caller's reading confirmed, not said back
    ("one_device", "You've read that right: your plan allows one device.", "one"),
    ("one_device", "you read that right the plan allows one device", "one"),
    ("one_device", "As you've read, the plan allows one device.", "one"),
    # a time of day is no count of the caller's lines; a day away says when; a count up front
    ("one_device", "New devices join the plan at 2 am each night.", "2 am"),
    ("duplicate_charge", "The refund is one day away once the ticket is filed.", "one day"),
    ("cancellation", "You pay one up front and the rest monthly.", "one"),
    # one more of a time is still when
    ("cancellation", "If you wait, it's one more full month and the fee drops.", "one"),
    # a credit given is still a credit
    ("duplicate_charge", "You'll get a credit on your next bill for the trouble.", "credit"),
])
def test_what_labels_and_pronouns_leave_checked(checkers, scenario, answer, wrong) -> None:
    report = checkers(scenario).check(answer)
    assert any(wrong in f.text for f in report.wrong), facts(report)


@pytest.mark.parametrize("scenario, answer, free", [
    # permission given to the caller, not a price
    ("cancellation", "You're free to cancel whenever you want.", False),
    ("cancellation", "I can confirm that you are free to cancel at any time.", False),
    # a thing that is free to add is a price
    ("one_device", "Your first 2 tablets are free to add.", True),
])
def test_free_to_is_a_permission_when_said_of_the_caller(checkers, scenario, answer, free):
    report = checkers(scenario).check(answer)
    assert ("free" in [f.text for f in report.wrong]) is free, facts(report)
    if not free:
        assert not report.wrong, facts(report)


def test_the_items_of_a_list() -> None:
    assert _items("the secure line, which is option 3 from the main menu, or the app") == [
        "the secure line, which is option 3 from the main menu", "the app"]
    assert _items("your phone, the tablet and the kids' phones") == [
        "your phone", "the tablet", "the kids' phones"]
    assert _items("the app") == ["the app"]
    # a clause opening the sentence is none of its items
    assert _items("Before discussing account details, verify the caller with the account "
                  "number and the 4-digit account PIN") == [
        "verify the caller with the account number", "the 4-digit account PIN"]


def test_a_tally_needs_the_calls_own_list() -> None:
    text = "Two ways: the app or the line."
    two = verify(text, []).facts
    assert tallies(text, two, Vocabulary(["Pay in the app or on the line."]))
    assert not tallies(text, two, Vocabulary(["Pay in the app.", "Call the line."]))


# -- what is left of a limit ---------------------------------------------------------------------

@pytest.mark.parametrize("scenario, answer, left", [
    ("one_device", "Up to 10 devices across up to 5 phone lines. You've got 2 lines now, so "
                   "the plan has room for up to 3 more lines.", "3"),
    ("one_device", "Your phone and the tablet are 2 devices, so you'd still have room for up "
                   "to 8 more on Family Unlimited; it allows up to 10 devices in total.", "8"),
    ("cancellation", "Five months in, so you've still got seven months to go before the "
                     "twelve-month mark.", "seven months"),
    # what is left said "to spare" (answer set 52)
    ("one_device", "Family Unlimited allows up to 10 devices, so your phone and tablet use 2 of "
                   "them and leave 8 to spare.", "8"),
    # the count held said bare (answer set 55)
    ("cancellation", "Once the contract's first 12 months are behind you. You've done 5, so in "
                     "another 7 months there'd be no fee at all.", "7 months"),
])
def test_what_is_left_of_a_stated_limit_is_arithmetic(checkers, scenario, answer, left):
    report = checkers(scenario).check(answer)
    assert not report.wrong, facts(report)
    assert dict(facts(report))[left] in (CASE, TALLY)


@pytest.mark.parametrize("scenario, answer, left", [
    ("one_device", "Up to 5 phone lines. You have 2 lines now, so you can add up to 4 more.",
     "4"),
    ("one_device", "Up to 10 devices; you have 2 lines, so 8 more lines.", "8"),  # not lines
    ("one_device", "You have 2 lines now, so you can add 3 more lines.", "3"),  # no limit said
    ("cancellation", "You're five months in, so in another six months there'd be no fee.",
     "six months"),
    ("cancellation", "Once the contract's first 12 months are behind you. You've done 5, so in "
                     "another 8 months there'd be no fee at all.", "8 months"),
])
def test_a_wrong_or_unfounded_remainder_stays_wrong(checkers, scenario, answer, left):
    report = checkers(scenario).check(answer)
    assert left in [f.text for f in report.wrong], facts(report)


def test_a_count_of_other_things_is_not_the_callers(checkers) -> None:
    # answer set 55: the caller was charged "two times"; "2 other ... tickets" counts none of it
    checker = checkers("duplicate_charge")
    report = checker.check("Thanks, you're verified. I can see 2 other billing correction "
                           "tickets on your account this year.")
    assert "2" in [f.text for f in report.wrong], facts(report)
    # near miss: the caller's repetition said back, or the charges counted in words of the
    # answer's own
    for answer in ("You were charged 2 times for March, so I'm filing the ticket.",
                   "Both of the 2 charges were 49 dollars."):
        assert dict(facts(checker.check(answer)))["2"] == CASE, answer


# -- all / any -----------------------------------------------------------------------------------

@pytest.mark.parametrize("scenario, answer, heard", [
    ("duplicate_charge", "I just need your account number and PIN first. I won't need any card "
                         "details.", ()),
    ("card_number", "Please don't read out your card number. I haven't written any of it down.",
     ()),
    # four words from the negation (answer set 32)
    ("card_number", "Card payments are taken only on the secure payment line or in the Northwind "
                    "app, so I wouldn't be able to use any digits anyway.", ()),
    ("cancellation", "Don't cancel with us before that transfer completes. Does that all make "
                     "sense?", ()),
    ("card_number", "Do you have any other questions?", ()),
    ("card_number", "Once you've paid on the secure line, you're all set.", ()),
    ("card_number", "All good. I can transfer you to our secure payment line.", ()),
    ("one_device", "Good news, Sam: all our plans let you use up to five devices at once.", ()),
    ("one_device", "Up to ten. Your phone, the tablet and the kids' phones all count toward "
                   "that total.", KIDS),
    # the agent's attention; the whole of an amount, which is checked as a value
    ("duplicate_charge", "Account number and PIN first, please, then I'm all yours.", ()),
    ("duplicate_charge", "Yes, it's the full duplicate amount, all 49 dollars of it.", ()),
    # idioms: what was checked, the whole of what is told, a sum said last
    ("cancellation", "Thank you, Alex, that all matches. How long ago did you sign up?", ()),
    ("card_number", "Thanks, that all checks out and you're all confirmed.", ()),
    ("duplicate_charge", "Right, let me lay it all out: I'm filing a billing correction ticket "
                         "during this call.", ()),
    ("duplicate_charge", "So you paid forty-nine dollars twice, ninety-eight in all.", ()),
    ("one_device", "All told, 10 devices max, and no more than 5 phone lines.", ()),
    # what the agent will do in the conversation (a walk-through's trainee was flagged)
    ("duplicate_charge", "Let me explain everything about the billing correction.", ()),
    ("duplicate_charge", "I'll go through it all with you, and I'll do everything I can.", ()),
    ("cancellation", "I'll check everything on your account before we talk about fees.", ()),
])
def test_all_and_any_without_a_scope_of_their_own_pass(checkers, scenario, answer, heard):
    report = checkers(scenario).check(answer, heard=heard)
    assert not report.wrong, facts(report)


@pytest.mark.parametrize("verb", ["allow", "permit", "support", "have"])
def test_all_reads_the_passages_every(checkers, verb) -> None:
    # whatever verb ends what "all" ranges over (answer set 32: "All our plans permit ...")
    report = checkers("one_device").check(f"All our plans {verb} up to 5 devices.")
    (term,) = [f for f in report.facts if f.text == "All"]
    assert term.status == CORRECT and term.passages == ("DEV-01",)


@pytest.mark.parametrize("scenario, answer, word", [
    ("card_number", "You can pay at any Northwind store.", "any"),
    ("card_number", "Paying by card over the phone is fine, we'll refund any fees.", "any"),
    ("one_device", "You can have up to 10 devices, as long as all the devices were bought "
                   "from Northwind.", "all"),
    ("cancellation", "Ask your new carrier to request the transfer. It'll all be done by "
                     "tomorrow.", "all"),
    ("late_fee_fr", "I can waive all your late fees from now on.", "all"),
    ("late_fee_fr", "Your late fees are all set to be waived.", "all"),
    ("cancellation", "There's no fee on all 3 of your lines.", "all"),
    # "in all" and "at all" before what they range over still set a scope
    ("one_device", "Up to 5 devices are included in all plans bought in a store.", "all"),
    # the passage's "every Northwind plan allows": a plan, not a phone or a SIM
    ("one_device", "All our phones allow up to 5 devices.", "All"),
    ("one_device", "All our SIM cards allow up to 5 devices.", "All"),
    # a tag asks only for assent; "no charge" does not negate where
    ("card_number", "You can pay at any Northwind store, okay?", "any"),
    ("card_number", "There's no charge at any Northwind store.", "any"),
    # what the policy does to everything, not what the agent will go through
    ("duplicate_charge", "We refund everything within 5 business days.", "everything"),
    ("one_device", "Your plan covers everything, so do everything you like on it.", "everything"),
])
def test_an_invented_scope_stays_wrong(checkers, scenario, answer, word) -> None:
    report = checkers(scenario).check(answer)
    assert word in [f.text for f in report.wrong], facts(report)
