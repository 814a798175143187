"""A rule, channel or requirement the trainee invents without a number or a promise word is
wrong; a procedure the call's passages state, in the trainee's own words, is not."""

from __future__ import annotations

import pytest
from practice_helpers import scenario_checker

from copilot.practice.factcheck import WRONG
from copilot.practice.invented_rules import content_stems, invented_rules
from copilot.practice.session import _wrong_note


@pytest.mark.parametrize("scenario, answer, words", [
    ("card_number", "You'll need to register the card at one of our shops first.",
     {"register", "shops"}),
    ("duplicate_charge", "The refund has to be collected in person at a branch.",
     {"collected", "branch"}),
    ("cancellation", "Cancelling has to be done by signed letter, sent to our head office.",
     {"signed", "letter"}),
    ("one_device", "The tablet must be bought from us before it can share your data.",
     {"bought"}),
    # a condition the passage does not set
    ("one_device", "Yes, the kids' phones too, provided the kids live at the same address.",
     {"live", "address"}),
    # when it happens, said in words no passage of the call uses
    ("duplicate_charge", "The money lands back in your bank overnight, once the ticket is in.",
     {"lands", "bank"}),
    ("card_number", "Pay on the secure line and your account unlocks instantly.",
     {"unlocks"}),
    # a condition put with "once"
    ("cancellation", "Once our retentions desk signs it off, your new carrier can take the number.",
     {"retentions", "desk"}),
    # what the caller will need, or must have to hand
    ("duplicate_charge", "To file it I'll need a screenshot from your banking app.",
     {"screenshot", "banking"}),
    ("card_number", "Keep your latest statement to hand, the line asks for its reference.",
     {"statement", "reference"}),
    # what anyone will ask the caller for, with a word between; a message they will get
    ("card_number", "The secure payment line will ask for your postcode and mother's maiden name.",
     {"postcode", "maiden"}),
    ("one_device", "You'll just need to put the tablet's serial code in your online profile.",
     {"serial", "profile"}),
    ("duplicate_charge", "No chasing needed, you'll get a text message when it's issued.",
     {"text", "message"}),
    # a curly apostrophe, as phones and word processors write it
    ("duplicate_charge", "I\u2019ll need a copy of your passport and a utility bill.",
     {"passport", "utility"}),
    # a requirement read with its purpose ("so it's ..."), not cut at "so"
    ("one_device", "You'll need to send us the tablet's model code so it's recorded under "
                   "your name.", {"model", "recorded"}),
    # a scope's exclusion, and a channel
    ("duplicate_charge", "The refund covers the charge itself but not the bank's conversion "
                         "surcharge.", {"conversion", "surcharge"}),
    ("one_device", "The device limit doesn't apply while the tablet is docked at a hotspot.",
     {"docked", "hotspot"}),
    ("cancellation", "The fee is taken by direct debit from your savings account.",
     {"direct", "debit"}),
    # a caveat put with "though" or "rather than", and an exclusion with "though not"
    ("duplicate_charge", "It's refunded in full, though the bank keeps the conversion surcharge.",
     {"bank", "conversion", "surcharge"}),
    ("one_device", "The tablet joins through a paired smartwatch rather than the plan itself.",
     {"paired", "smartwatch"}),
    ("cancellation", "Numbers can be kept for phones, though not for prepaid hotspot dongles.",
     {"prepaid", "hotspot", "dongles"}),
    # a channel or a means no passage offers: the post, a web chat, the website, a voucher
    ("duplicate_charge", "The refund arrives as a cheque-style letter in the post next week.",
     {"arrives", "style"}),
    ("one_device", "We'll post you a second SIM so the tablet gets its own signal.",
     {"post", "sim"}),
    ("card_number", "Our web chat team can key the card in for you as well.",
     {"team", "key"}),
    ("cancellation", "Send the cancellation through the form on our website afterwards.",
     {"form", "website"}),
    ("duplicate_charge", "The duplicate comes back as a voucher for your next handset.",
     {"voucher", "handset"}),
    # a claim added with "also", "as well", "on top of that" (twenty-seven answer sets, 12 more
    # inventions caught, no correct answer failed)
    ("card_number", "You can also pay by card through our voice assistant on a smart speaker.",
     {"voice", "assistant"}),
    ("duplicate_charge", "I've filed it, and I've also put a temporary block on that card.",
     {"temporary", "block"}),
    ("cancellation", "Once the number moves, they close the account for you as well, no call.",
     {"moves"}),
    # an account online, a line that asks for something (answer set 44)
    ("cancellation", "Cancellations are submitted through the cancellation form in your online "
                     "account.", {"submitted", "online"}),
    ("card_number", "Have your paper bill handy, though, because the line asks for the bill "
                    "reference printed on it.", {"paper", "handy"}),
    # a voice message left (answer set 45)
    ("duplicate_charge", "When the refund is issued, we leave you a voice message on your phone "
                         "instead of a second email.", {"leave", "voice"}),
    # a store among several, a text sent to us (answer set 43)
    ("cancellation", "The early termination fee is settled in one of our stores, not by phone.",
     {"settled", "stores"}),
    ("one_device", "You can see which devices are on the plan by sending us a text.",
     {"sending", "text"}),    # a means said as what the caller does, a phone's own settings (answer set 49)
    ("duplicate_charge", "You can chase the ticket by messaging our social media team.",
     {"chase", "messaging"}),
    ("one_device", "You can add the tablet yourself from your phone's settings, under the "
                   "Northwind menu.", {"settings"}),
])
def test_an_invented_requirement_is_wrong(kb, scenario, answer, words) -> None:
    report = scenario_checker(kb, scenario).check(answer)
    rules = [f for f in report.facts if f.kind == "rule"]
    assert rules and all(f.status == WRONG for f in rules), \
        [(f.text, f.kind, f.status) for f in report.facts]
    assert words <= set(rules[0].unsaid) | {w for f in rules for w in f.unsaid}
    note = _wrong_note(rules[0])
    assert note.startswith("a rule no passage of this call states") and rules[0].text in note


@pytest.mark.parametrize("scenario, answer", [
    ("card_number", "You have to use the secure payment line, press 3 from the main menu, or "
                    "the Northwind app."),
    ("card_number", "I must ask you to stop there, please don't read your card out."),
    ("cancellation", "Your partner's carrier has to request the transfer first, so don't "
                     "cancel with us until it's complete."),
    ("duplicate_charge", "I just need your account number and PIN first."),
    ("card_number", "The secure payment line will ask for the card, so have it ready."),
    # the trainee's own step: "something", "quickly" name nothing
    ("duplicate_charge", "I will just need to check something quickly."),
    ("one_device", "No, you don't have to stop using your phone."),
    # a time word with the passage's own words
    ("duplicate_charge", "I'm filing the billing correction ticket the moment we hang up."),
    ("duplicate_charge", "Once the ticket is filed, the duplicate amount is refunded in full."),
    # the trainee's own next step, and "hand" as a verb
    ("duplicate_charge", "As soon as I've double-checked the dates, I'll raise it for you."),
    ("cancellation", "Of course, nobody wants to hand out a new number to everyone."),
    # idioms of time that state nothing
    ("duplicate_charge", "I can't see any outage at the moment, let me look at the bill for you."),
    ("duplicate_charge", "Honestly, at the end of the day we want loyal customers happy."),
    # "though" of the trainee's own, of a feeling, or closing a sentence states no rule
    ("duplicate_charge", "I'll file the correction now, though I can't see the bank's side of it."),
    ("cancellation", "Sorry you're going, though it sounds like an exciting new job!"),
    ("one_device", "The forum post had it wrong, though: no plan stops at one device."),
    # "so" before the trainee's own next step still ends the rule's clause
    ("card_number", "Card payments only go through the secure payment line or the app so grab "
                    "your phone and pop it open."),
    # "post" as a noun, a voucher declined: no channel
    ("one_device", "The forum post you read was simply wrong: any plan covers the tablet."),
    # "also" with the passages' own words
    ("card_number", "You can also pay in the Northwind app."),
    ("duplicate_charge", "I've also filed the billing correction, so the duplicate is refunded."),
    # the main menu the passage names, reached by pressing (a near miss of answer set 49's
    # shapes)
    ("card_number", "I can put you through, or you can reach it by pressing 3 from the main "
                    "menu."),
    # typed shorthand for "because" (answer set 50)
    ("cancellation", "no, not yet cuz the number needs to move over before that"),
    # the policy reported, space said, a line reached by pressing (answer sets 14-55)
    ("card_number", "It only says the app is one of the places card payments are taken."),
    ("cancellation", "The rule I have says the fee applies inside the first 12 months of a "
                     "contract and there's no fee after 12 months."),
    ("one_device", "Family Unlimited allows up to 10 devices in total, across up to 5 phone "
                   "lines, so there's room for your children's phones as well."),
    ("card_number", "Card payments are accepted only through our automated secure payment line, "
                    "reached by pressing 3 from the main menu, or through the Northwind app."),
])
def test_a_procedure_the_passages_state_is_not(kb, scenario, answer) -> None:
    report = scenario_checker(kb, scenario).check(answer)
    assert not [f for f in report.facts if f.kind == "rule"], \
        [(f.text, f.kind, f.status) for f in report.facts]


def test_one_word_of_the_trainees_own_is_not_a_rule() -> None:
    said = ["Card payments are taken only through the secure payment line (press 3 from the "
            "main menu) or the Northwind app."]
    assert invented_rules("Press 3 from the main menu to reach the secure payment line.", said) \
        == []
    (rule,) = invented_rules("You'll need to register the card in a store first.", said)
    assert set(rule.unsaid) == {"register", "store"}
    assert rule.text == "You'll need to register the card in a store first"
    # ... reported as the policy's, it is still one, and so is reaching a line not by pressing
    (rule,) = invented_rules("The policy says you must register the card in a store first.",
                             said)
    assert set(rule.unsaid) == {"register", "store"}
    (rule,) = invented_rules("You'll need to hang up and call back before you can reach the "
                             "secure payment line.", said)
    assert "reach" in rule.unsaid


def test_the_callers_own_words_are_said() -> None:
    said = ["The refund goes back to the original payment method.",
            "Do I need to send you my bank statement?"]
    assert invented_rules("You don't need to send us your bank statement.", said) == []


def test_function_and_time_words_are_no_content() -> None:
    assert content_stems("since you're inside the first twelve months, tonight, rather") == set()
    assert content_stems("register the card in a store") >= {"register", "card"}


def test_answers_in_another_language_are_not_read_by_the_english_rules() -> None:
    # French answers have a reader of their own (tests/core/test_practice_french_rules.py).
    assert invented_rules("Il faut faire la demande par écrit, en agence.", []) == []


def test_a_question_states_no_rule() -> None:
    assert invented_rules("Could you confirm your 4-digit PIN first? Thanks.", []) == []
    assert invented_rules("You must confirm your 4-digit PIN first.", [])


@pytest.mark.parametrize("scenario, answer", [
    # what the trainee does not have, know or can do (answer sets 22, 23, 31 and 35)
    ("one_device", "I don't have the tablet's setup guide to hand, sorry, but both can use it."),
    ("cancellation", "I can't promise anything by letter, as I don't have that process here."),
    ("cancellation", "Because your new carrier has to request it, the transfer isn't something "
                     "I can start from our side."),
    # said as "I'm not able to", with the question put first, or as not guessing (answer set 36)
    ("cancellation", "I'm not able to promise anything by letter, sorry."),
    ("duplicate_charge", "How your bank would treat a chargeback on top of that, I couldn't say."),
    ("one_device", "I'd rather tell you I don't know than make something up about the watch."),
    # ... and in French, the question put first (answer set 37)
    ("late_fee_fr", "Honnêtement, si ça figurera déjà sur la prochaine facture, je l'ignore."),
])
def test_what_the_trainee_does_not_have_states_no_rule(kb, scenario, answer) -> None:
    assert not [f for f in scenario_checker(kb, scenario).check(answer).wrong
                if f.kind == "rule"]


@pytest.mark.parametrize("scenario, answer", [
    # the company's lack is a rule; the trainee's lack beside a rule leaves the rule
    ("card_number", "We don't have that in the app, so you'll need to register the card at one of "
                    "our shops first."),
    ("cancellation", "I don't know the date, but cancelling has to be done by signed letter."),
    ("cancellation", "I couldn't say when, but cancelling has to be done by signed letter."),
    # what is not in what the trainee charges or takes is no lack of theirs
    ("cancellation", "A store visit is not in what I charge you, but cancelling has to be done "
                     "by signed letter."),
])
def test_a_rule_beside_the_trainees_own_lack_is_still_read(kb, scenario, answer) -> None:
    assert [f for f in scenario_checker(kb, scenario).check(answer).wrong if f.kind == "rule"]


@pytest.mark.parametrize("scenario, answer", [
    # in shorthand, not in what they have, nothing on it (answer set 43): no word of it is
    # judged, not "everything" nor "automatic"
    ("one_device", "speed with everything connected isn't smth I can speak to, not in what I "
                   "have."),
    ("card_number", "automatic payments are tbc, that's not in what I have."),
    ("card_number", "I have nothing on automatic payments, sorry."),
    ("card_number", "Automatic payments aren't in my notes, I'm afraid."),
    # spelled out nowhere, not to be confirmed, a promise declined last (answer set 44)
    ("card_number", "Which kinds of card are accepted isn't spelled out in what I have, so I "
                    "can't confirm a credit card one way or the other."),
    ("one_device", "Pricing isn't something I have in front of me, so I can't confirm a cost."),
    ("duplicate_charge", "You'll get emails. Anything on paper on top of that I can't promise."),
    # nothing the trainee has says it (answer set 45)
    ("card_number", "Nothing I have says it has to be a particular phone. From the main menu, "
                    "press 3 for the secure payment line."),
    ("card_number", "Nothing about a cost in what I have. Press 3 at the main menu, or use the "
                    "app."),
    # ... and of voicemail, now a channel's word (answer sets 41 and 45)
    ("cancellation", "I can't answer that from the policy I've got; it says nothing about "
                     "voicemail, and I'd rather not guess."),
    ("cancellation", "Voicemail isn't something my information goes into, so I can't say what "
                     "becomes of it."),
    # nothing in the guidance the trainee follows, no figure of theirs to confirm (answer set 46)
    ("cancellation", "Nothing in the guidance I work from mentions a form, so there's no paper "
                     "step for you."),
    ("card_number", "I have no charge to quote you for using the line, I'm afraid."),
    # nothing the trainee has compares them, no price to give (answer set 49)
    ("card_number", "Nothing I have compares the two on fees, so I won't guess."),
    ("one_device", "I can't give you a price from what I have here."),
    # nothing saying it, not anything on it (answer set 52)
    ("cancellation", "I've nothing saying your partner has to ring us, so that's not needed."),
    ("one_device", "I haven't got anything on charges for extra devices, sorry."),
    # nothing in our rule says (answer set 53)
    ("one_device", "Nothing in our device rule says where the devices have to be."),
    # the rules "I've got" (answer set 54)
    ("card_number", "The rules I've got don't say whose card it has to be, sorry."),
    # no answer to give, the guidance "I have" (answer set 55)
    ("cancellation", "That's something our policy notes don't cover, so I can't give you an "
                     "answer on voicemail."),
    ("card_number", "The guidance I have says nothing about charges in the app, so I can't tell "
                    "you that."),
])
def test_what_the_trainee_does_not_have_is_not_judged(kb, scenario, answer) -> None:
    assert not scenario_checker(kb, scenario).check(answer).wrong


@pytest.mark.parametrize("scenario, answer, word", [
    # a counter to pay at that no passage offers (six answer sets)
    ("card_number", "Pay it at the post office with the slip from your bill.", "rule"),
    ("card_number", "Supermarket kiosks take card payments too.", "rule"),
    # the end of the day said of when something happens, not the idiom
    ("card_number", "Card payments in the app clear at the end of the day.", "rule"),
    # a channel named, its one word unsaid; the app where the call's passage has none; a
    # message we send (answer set 47)
    ("card_number", "You can also settle the bill on our website.", "rule"),
    ("one_device", "You add the tablet to your plan in the Northwind app.", "rule"),
    ("one_device", "We'll send you a code by text to confirm the tablet.", "rule"),
    # a fax, a cash machine (answer set 52)
    ("cancellation", "Your new carrier sends us the transfer request by fax.", "rule"),
    ("card_number", "Most cash machines let you pay the bill by card.", "rule"),
    # the caller's reading confirmed, not said back
    ("one_device", "As you've heard, you have to register the tablet in a store first.", "rule"),
])
def test_a_channel_or_a_time_no_passage_offers_is_an_invented_rule(kb, scenario, answer,
                                                                    word) -> None:
    assert [f for f in scenario_checker(kb, scenario).check(answer).wrong if f.kind == word]


@pytest.mark.parametrize("scenario, answer", [
    # the idiom opening a clause, a preference ("if that doesn't suit"), a negation's stump
    ("card_number", "At the end of the day, the secure payment line is the quickest."),
    ("card_number", "If the app doesn't suit you, press 3 at the main menu for the secure "
                    "payment line."),
    # a hedge, a connective; the caller's reading said back; a channel the call offers, named
    # (answer set 47)
    ("card_number", "Otherwise it's press 3 from the main menu, if I remember right."),
    ("one_device", "You heard from a friend that you'd have to choose one device: not so, every "
                   "plan allows up to 5 devices at the same time."),
    ("card_number", "You can also use the Northwind app."),
    ("one_device", "Don't worry, there's no need to give up your phone."),
    # a hedge on reading the rule, sorry for all this (answer set 49)
    ("cancellation", "If I'm reading the rule correctly, the fee only applies in the first 12 "
                     "months."),
    ("duplicate_charge", "I'm so sorry for all this. The duplicate 49 dollars comes back within "
                         "5 business days."),
])
def test_an_idiom_or_a_preference_is_no_invented_rule(kb, scenario, answer) -> None:
    assert not scenario_checker(kb, scenario).check(answer).wrong


def test_a_claim_before_what_the_trainee_cannot_do_is_still_judged(kb) -> None:
    # the lack pointing back is of what they have or know, not of what they can do
    assert "free" in [f.text for f in scenario_checker(kb, "card_number").check(
        "Automatic payments are free, that's not something I can change.").wrong]
