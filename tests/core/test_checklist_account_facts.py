"""The built-in reader of account facts (copilot/assist/checklist/account_facts.py) and an item
that opts into it with `reader = "account-facts"`."""

from __future__ import annotations

import pytest
from checklist_helpers import prepared, prepared_with, said

from copilot.assist.checklist import ChecklistError
from copilot.assist.checklist.account_facts import account_fact, first_answer
from copilot.assist.checklist.readers import VETOES
from copilot.assist.checklist.tracker import Checklists


@pytest.mark.parametrize("text", [
    # a sum, a date, a count or a status of the caller's account, however it is put
    "Thanks. Your line was suspended on Monday because a payment was missed.",
    "Okay, so you're on Fibre one fifty, and the router restarted eleven times.",
    "I can see two charges of 19.99 on the statement.",
    "Great, found you. You've been with us since 2019.",
    "Yes, that account closed in March, two years ago.",
    "Your last payment came in May.",
    "Looking at her line, she's got the Kids Bundle and 18 dollars of premium calls.",
    "So your phone was booked in for repair on the third.",
    "Your online account was locked at nine this morning.",
    # the fact told in a sentence that also says what the agent will do about it
    "I see the two charges of nine ninety-nine, I'll refund one.",
    # a plan named, read off the screen tersely, or confirmed with a tag or a run-on question
    "Lovely. Right, you're on Unlimited Plus, so the eSIM is free for you.",
    "Great. So, uh, his line's on the Junior plan, with no content filter at all.",
    "Got it. Balance is one dollar twenty.",
    "Okay. Plan's Essentials, twenty-two a month.",
    "Thanks. So, um, two lines on Unlimited Plus, contract ended in May.",
    "So the music add-on is still billing on your number since March, yeah?",
    "Your contract ends in June, is that right?",
    "I can see your number's been on your account since 2019, so can I take the PIN?",
    # no word of whose account, but a date and a sum or a status of what happened
    "Thanks. The caller tune started in March, three dollars a month.",
    "So the card we tried on the first was declined, it expired in May.",
    # a sum right after a bare account noun, read off the screen
    "Thanks. Balance eighteen dollars. Twelve gigs left.",
    "Very good, I make it. Next bill is twenty-five.",
    # what the records say
    "Okay, our records show the replacement went out on Monday.",
    "Right, we have it recorded as the ninth of June.",
    # ... or the record of one of the caller's dealings
    "Okay, so the service notes say the engineer swapped the socket.",
    "The delivery log shows it was left with a neighbour.",
    # a status of the caller on it, paid or not, a bill named by its month, a past said plainly
    "Okay, you're registered for paperless billing since April.",
    "I see, the last instalment is unpaid.",
    "Hm, October bill was not sent, a printing fault.",
    "Sixty dollars came in on the fourth, from a card ending two two.",
    # what the caller owes or may have; a date "from the ..."; a status of a thing on the line
    "Okay, you owe thirty dollars, due on the fifth.",
    "Right, you're eligible for a new handset from the first.",
    "Thanks. Your repair request from the eleventh is still open.",
    "I can see the hotspot is disabled on your number.",
    "Yeah, your pre-order is still on backorder.",
    # a plan or a holder named; the address on file; a card by its last digits
    "I see the plan is Basic.",
    "Thanks. The account is in the name of Priya Shah.",
    "So the address we've got for you is four Mill Lane, is that right?",
    "Thanks, the card ending four four was charged.",
    # read off the screen, then a question of its own
    "I've got you at ten Station Road, what's the new address?",
    "Broadband's at twenty Oak Street, fibre, fifty meg.",
    # a visit booked, someone on the account by "he" or "she"
    "Thanks. The engineer was booked for this morning.",
    "Your papers are on file. She used four gigs last month.",
    # a line opened on a date; what is left of a credit or an allowance
    "Thanks. A new line was opened on the second of March.",
    "Thanks, you've got nine dollars credit left.",
    # the caller's record read out, or the screen read, with no number or status
    "Your repair ticket says liquid damage, so the warranty won't cover it.",
    "Right now your paper bill lists the full numbers you called.",
    "I see the tablet line on your number.",
    "Yes, I can see here your line has the content filter.",
    # read back with the voice rising, so Whisper wrote a question mark
    "Thanks, so... Yeah. You've got two gigs left this month?",
    "Perfect, yeah. So you're on Soundloft Solo for 99 a month?",
    # what is left to pay, the line called from, a line test's result, what the records say,
    # what the caller pays now, a named kind of number
    "Right, twelve payments left on the phone plan, then it's yours.",
    "So the line you're calling from is on Talk Basic.",
    "The test I just ran shows no faults on your fibre.",
    "Thanks. Our records show we posted the router to your old flat.",
    "Cool, thanks. Our records show we sent you a standard SIM, not a nano one.",
    "Your mobile's a Dunmore number, that's why it costs more.",
    # the account brought up on screen; a state read back with the voice rising
    "Okay, pulling it up, three calls to a premium number last week, that's the fifteen.",
    "Right. Your router still has call forwarding switched on?",
    # a feature's setting as found, or what it reaches
    "Your spam filter is on strict, so the hospital went to voicemail.",
    "Yeah, so the activation lock was still on, like, your cloud account.",
    "Thanks. Your add-on covers landlines only. Her number's a mobile.",
    "No worries so you're on email bills right now and I can flip that to paper.",
    # where the caller stands with payments (blind call set 48)
    "Cheers, sell the studio numbers on flex 20. No contract and you're paid up",
    "You're two months behind, so the line was barred on the fifth.",
    # a kind of plan described (blind call set 50)
    "Lovely. So you're on a rolling monthly plan.",
    "You're still on an old pay-as-you-go tariff.",
    # a line named between, what was made last month, what the account is free of (blind call
    # set 65)
    "Thanks. One line, the shop phone, on Counter Basic at seventeen a month, no contract.",
    "Thanks. Last month you made calls to Tasmania, eighteen minutes at eighty cents a minute.",
    "Your line has no contract and nothing owing.",
    # the caller's number as "this number" (blind call set 69)
    "Wi-Fi calling's off on this number. Since the twentieth of March.",
])
def test_a_statement_of_the_callers_account_is_read(text: str) -> None:
    assert account_fact(text)


@pytest.mark.parametrize("text", [
    # a recording notice "on this line" tells nothing of the account (set 69's near miss)
    "Hello, calls on this line are recorded for training.",
    # asking for the caller's details names the account and numbers, but tells nothing
    "Could you read me the account number on your bill, and then the four digit PIN?",
    "May I have your account number, followed by your PIN",
    "Please tell me your account number, and also your PIN of four digits.",
    # offers, instructions, what the agent will do, what holds under a condition
    "What if I took ten dollars off your monthly bill for the next year?",
    "If you stay, I'll waive it and take five bucks off your plan.",
    "Dial one two one from your phone, and it'll ask you to set a PIN.",
    "I'll send your new SIM out on Monday.",
    "Once the SIM is active, we move your number over within a day.",
    # policy, not the caller's account; the caller's account with no detail
    "Roaming in Europe costs five dollars a day.",
    "Calls on this line may be recorded.",
    "Hello, you're 3-D Northwind Mobile.",  # "you're through to ..." as Whisper heard it
    "Morning, your three to Linus at Northwind Mobile.",  # ... and so (blind call set 52)
    "Thanks, your account number and PIN both check out.",
    # "may" the modal, not the month, in a request Whisper wrote without its "I" and "?"
    "Certainly, before I access the account may have the account number followed by your PIN.",
    # a plan not named, or named in general; a question that is not a tag
    "You're on the line with Northwind Mobile support.",
    "Plans on Unlimited Plus start at forty dollars.",
    # "today" dates nothing of the account; what the agent could do is no fact of it
    "Thanks for calling today, your call may be recorded for training.",
    "Let me just pull up your account today.",
    "I can have it enabled on your line.",
    # what someone will do, said formally or of a colleague
    "I shall close both lines on the fifth.",
    "I'll pass it on, and she'll call you on Monday.",
    "Is your contract ending in June?",
    # a question that opens like a statement but asks for a detail or names its shape
    "Your account number and PIN, please?",
    "Your PIN is four digits?",
    "Have you got two lines with us?",
    "Thanks so much, so can I have your PIN and the date of birth on the account?",
    # a date and a sum of an offer or a price, not of what happened on the account
    "The Black Friday deal ends on Sunday, twenty dollars off.",
    "From March, Unlimited Plus goes up to forty-nine dollars a month.",
    "",
    "Balance transfers are not something we do.",  # no sum: policy
    # what the agent offers, and an offer's terms after its question
    "But wait, I can give her the Evening Bundle, free calls at night, four dollars more.",
    "Before we close it, may I suggest Line Saver? Two dollars a month keeps his number.",
    # "I see" of the caller's feelings, and a record that is not the caller's
    "I see your point, and I can see your frustration.",
    "The website says roaming is free this month.",
    # what a service costs, not what the caller pays
    "You pay ten dollars for a replacement SIM.",
    # bringing the account up, with nothing read off it yet
    "I'm pulling it up now, one moment.",
    # an acronym explained, a promotion's terms, an offer's terms, a past report, a question
    "Your PUK is a PIN Unlock Key, it's printed on the card.",
    "There are two months left on the promotion for new customers.",
    "You pay nothing now and twenty a month after.",
    "I brought that up with the billing team on Monday.",
    "Your router has four lights on?",
    # "you're on" as "connected", a parcel on its way, a setting the agent will make
    "Then it texts a code, pop that in and you're on.",
    "Sorry, I think you're on mute.",
    "Your call is on speaker, I can hear an echo.",
    "Is your phone on silent maybe?",
    "Your new SIM is on the way, it should arrive tomorrow.",
    "I'll set your spam filter to standard.",
    # a plan put to the caller, not the one they are on
    "If you stay, I could put you on a cheaper monthly plan.",
    # a record that is no dealing of the caller's
    "The release notes say the update fixes the battery drain.",
    # a rate told as it is to anyone, a plan with no contract offered (near misses of set 65's
    # shapes)
    "Calls to Tasmania are eighty cents a minute.",
    "If you like, I can put you on a plan with no contract.",
])
def test_what_tells_no_fact_of_the_account_is_not_read(text: str) -> None:
    assert account_fact(text) is None


def _with_reader(tmp_path, reader: str = '"account-facts"') -> Checklists:
    return prepared_with(tmp_path, 'examples = ["Your last bill was fifty dollars."]',
                         f"reader = {reader}")


def test_an_item_with_the_reader_ticks_on_any_account_fact(tmp_path):
    fact = "Thanks. Your SIM was swapped in October, and the line is active."
    call = _with_reader(tmp_path).call()
    call.on_caption(said("c1", "Please confirm your account number and PIN."), 1.0)
    (tick,) = call.on_caption(said("c2", fact), 2.0)
    assert (tick.kind, tick.item, tick.of, tick.by) == ("tick", "account", "c2", "copilot")
    assert tick.words == account_fact(fact) and tick.text == fact and tick.score is None
    # without the reader, the examples alone do not say it
    call = prepared(tmp_path / "plain").call()
    call.on_caption(said("c1", "Please confirm your account number and PIN."), 1.0)
    assert call.on_caption(said("c2", fact), 2.0) == []


@pytest.mark.parametrize("text", [
    "Cheers. Fibre Fifty, thirty-five a month, no contract.",
    "Two lines, both without contract, so no fee for closing.",
    # (blind call set 65, as the recognizer wrote it)
    "Thanks, Ploughtrak. Buy the month no contract.",
    "Cheers. Yep, three roaming days this month, about eighteen bucks.",
    # a date the account is paid to is no feature's capacity (blind call set 67's near miss)
    "Thanks. Broadband at Flat Two, paid up to the twentieth.",
    # notice the caller gave is the account's (set 68's near miss)
    "Thanks. You gave us two weeks' notice on the fourth, so it moves on the eighteenth.",
])
def test_the_first_answer_after_the_check_needs_no_word_of_whose(text: str) -> None:
    assert first_answer(text) and not account_fact(text)


def test_every_one_of_the_callers_own_is_theirs() -> None:
    # (blind call set 58's near miss: not every phone of a kind that anyone gets)
    assert first_answer("Thanks. All the phones on your plan have five gigs left.")


@pytest.mark.parametrize("text", [
    "Thank you. I could move you to Fibre Solo: no line rental, four dollars less a month.",
    "Thanks. How many lines do you have?",
    "Thanks, that's all confirmed.",
    # what anyone pays or gets, told as it is to every caller (three "no details" calls of blind
    # call sets 53-55)
    "Thank you. Morocco is zone four, calls $2 a minute, a day pass $10.",
    "Thanks, our shortest broadband is FlexFiber, 28 a month, $40 setup.",
    "So, Nepal is zone three, calls cost $1.90 a minute.",
    # (blind call set 57: a zone and its rates, the rate in the next sentence; a product's price)
    "Thank you, Faroe Islands is Zone 3. Calls 150 the minute. Data $8 a day.",
    "Thanks, Data SIM starts at $8 a month for five gigabytes.",
    # (blind call set 58: every phone of a kind, and as the recognizer wrote it)
    "Thank you. Every phone Northwind sells is unlocked, and most take two SIMs.",
    "Thank you. Every phone with Northwind cells is a mock and most take two SIMs.",
    # (blind call set 60: what the company does not have)
    "Thank you. A pause of the plan we do not have, but there's Keep My Number, three dollars per"
    " month.",
    # (blind call set 65: what the company does for anyone)
    "Thanks. For big crowds we bring a mast on a trailer. The organiser books it six weeks ahead.",
    # (blind call set 67: how many a feature takes)
    "Thanks. Yes, that's Group Ring. One number rings up to five phones at once.",
    # (blind call set 68: on what terms anyone gets it)
    "Thanks. So yeah, broadband moves free with two weeks' notice.",
])
def test_the_first_answer_is_no_offer_question_or_bare_thanks(text: str) -> None:
    assert first_answer(text) is None


def test_only_the_agents_first_caption_after_the_check_is_read_so(tmp_path):
    """"Thanks. Two lines, both without contract" right after the check is the account's; the
    same words before it, or a caption later, are read as any other (no tick)."""
    bare = "Thanks. Two lines, both without contract, so no fee for closing."
    call = _with_reader(tmp_path).call()
    assert call.on_caption(said("c1", bare), 1.0) == []  # before the check: no tick, no flag
    call.on_caption(said("c2", "Please confirm your account number and PIN."), 2.0)
    # the caller reading out their details does not use up the agent's first answer
    call.on_caption(said("c3", "It's 4471 and the PIN is 2580.", channel="customer"), 3.0)
    (tick,) = call.on_caption(said("c4", bare), 4.0)
    assert (tick.kind, tick.item, tick.of) == ("tick", "account", "c4")
    assert _checked_then(tmp_path / "later", "Thanks, that's all confirmed.", bare) == []


def _checked_then(folder, between: str, fact: str) -> list:
    """What the agent's `fact` ticks when `between` was said after the security check."""
    call = _with_reader(folder).call()
    call.on_caption(said("c1", "Please confirm your account number and PIN."), 1.0)
    call.on_caption(said("c2", between), 2.0)
    return call.on_caption(said("c3", fact), 3.0)


@pytest.mark.parametrize(("between", "ticks"), [
    # blind call set 48: "Lovely, so." came as a caption of its own between the check and
    # "Six lines sharing 40 gigs, and you used 38 last month"
    ("Lovely, so.", True), ("Thanks.", True), ("Okay, one moment.", True),
    # a caption that says anything else does use it up
    ("Lovely, so what can I do for you?", False),
])
def test_a_caption_that_only_acknowledges_does_not_use_up_the_first_answer(tmp_path, between,
                                                                           ticks):
    out = _checked_then(tmp_path, between, "Six lines, sharing 40 gigs.")
    assert [(e.kind, e.item, e.of) for e in out] == ([("tick", "account", "c3")] if ticks else [])


def test_the_reader_flags_an_account_fact_before_the_check(tmp_path):
    call = _with_reader(tmp_path).call()
    out = call.on_caption(said("c1", "Right, you're on Basic Ten since May."), 1.0)
    assert [(e.kind, e.item) for e in out] == [("tick", "account"), ("order", "account")]


def test_the_customer_never_ticks_it(tmp_path):
    call = _with_reader(tmp_path).call()
    assert call.on_caption(said("c1", "Your bill was 90 dollars in May!", channel="customer"),
                           1.0) == []


def test_an_unknown_reader_is_refused(tmp_path):
    with pytest.raises(ChecklistError, match="reader must be one of account-facts, leaving, offers"):
        _with_reader(tmp_path, '"account facts"')
    with pytest.raises(ChecklistError, match="reader must be a quoted string"):
        _with_reader(tmp_path, "true")


def test_every_reader_name_the_format_accepts_has_a_reader():
    from copilot.assist.checklist.format import READER_NAMES
    from copilot.assist.checklist.readers import READERS

    assert sorted(READER_NAMES) == sorted(READERS)


@pytest.mark.parametrize(("sentence", "vetoed"), [
    # asked for, whatever account words it names (blind call set 52, four scripts)
    ("Please tell me the PIN and the email on the account.", True),
    ("Can I take the full name on the account, please?", True),
    ("And was there anything else on your bill you wanted to query?", True),
    ("If you stay, I can double your data allowance at no extra cost.", True),
    # told, even when an offer or a question follows in the same sentence
    ("You've been with us six years, so I could waive your next two months if you stay on.",
     False),
    ("you're on the basic plan at thirty bucks and um would you stay if I sent you a booster",
     False),
    ("Your contract runs until the end of March next year.", False),
    ("So you're on Soundloft Solo for 99 a month?", False),
])
def test_a_request_vetoes_the_examples_a_fact_told_before_it_does_not(sentence, vetoed):
    assert VETOES["account-facts"](sentence) is vetoed
