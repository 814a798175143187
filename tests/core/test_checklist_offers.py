"""The built-in reader of retention offers (copilot/assist/checklist/offers.py) and a
conditional item that names it with `reader = "offers"`."""

from __future__ import annotations

import pytest
from checklist_helpers import prepared_with, said

from copilot.assist.checklist.offers import ended_deal, retention_offer, staying_offer
from copilot.assist.checklist.readers import VETOES
from copilot.assist.checklist.tracker import Checklists


@pytest.mark.parametrize("text", [
    "Stay, and I'll take ten dollars off your monthly bill.",
    "Might I offer our Business Flex bundle at two ninety, if you remain with us?",
    "Wait, what if I drop you to five dollars a month while you're away?",
    "Before you go, how about your next month free, on us?",
    "I can put you on our loyalty rate of 28 dollars a month if you stay with us.",
    # the proposal in one sentence, the deal in the next
    "Is there anything I could do to keep you? We have a twenty dollar plan with more data.",
    "If I dropped that to forty-five and added five extra gigs, would you stay?",
    # an offer that asks the caller to stay is an offer
    "Thanks. Look, stick with us and I'll throw in a free wireless charger.",
    "I hear you, but let me knock fifteen off every month.",
    # a price in words, a price lower
    "Then, rather than leaving, how about Essentials? Eight gigs for thirty five a month.",
    "Should you stay, I could move you to Go Plus, two dollars less a month.",
    # the deal just before the proposal
    "Not as such, but we have a senior plan at thirty dollars. Shall I move you onto it?",
    # a deal named by its terms; the price they pay now kept on a better plan
    "I'd hate to lose you. I can do twelve months and five dollars a month off for staying.",
    "I can move both lines to Countryside Fifty, with Wi-Fi calling, at the Forty price.",
    "Hang on, how about Breeze Max, full speed, for what you pay now, for a whole year?",
    # in the future, "tell you what", and as a learner of English puts it
    "Okay, I'll knock ten off your bill for the next six months.",
    "Tell you what, keep the box and I'll do fifteen a month.",
    "Please, wait. I send you free router, and twenty percent off for one year.",
    # a proposal put as "may I propose", before the caller closes, something removed
    "Before you close it, may I propose a pause plan at three dollars a month instead?",
    "Instead, I could remove the spare line and put you on Lite at half price.",
    # the price made so, and as the recognizer wrote a month's (blind call set 46)
    "Should you remain with us, I could make it fourteen a month for two years.",
    "Should you remain with us, I could make it 40 in a month for two years.",
    "If you stay, I can make it twelve fifty.",
    # a price for each line (blind call set 48)
    "Rather than cancel, how about eight dollars each for a year?",
    "If you stay, I can do the three SIMs at $6 per line.",
    # a rival's price matched (blind call set 49)
    "I can match their twenty-four if you stay with us for another year.",
    # "I'd like to" with no space before "'d" (the script of a development call)
    "I understand. We'll send a replacement, and I'd like to take twenty dollars off your bill.",
    # a price reduced, as the script of a development call put it
    "I see. I could reduce yours to twenty-four dollars, and your mobile keeps its discount.",
    # a plan at its price (blind call set 51), as the recognizer wrote it too
    "Might I propose Fibre Eighty at twenty-five dollars, should you remain with us?",
    "Myd I propose Fiber 80 at $25. Should you remain with us?",
    # the price they pay now as a sum, a price brought down or fixed, a line kept (blind call
    # set 55), and as the recognizer wrote them
    "Stick with us and I'll bump you up to Fiber Pro 300 for the same 39.",
    "How about this? If you stay, I knock it down to eighteen for a year.",
    "Were you to remain with us, I could offer Duo Lite at 52 fixed for two years.",
    "Keep the line, and I'll put it on unlimited at the same $9 for a year.",
    "Where you to remain with us, I could offer do a light at 52 fixed for two years.",
    # a charge wiped or waived (blind call set 56), and as the recognizer wrote them
    "Tell you what, hang on with us and I'll wipe the fifty-four.",
    "Were you to stay, I could waive the broadband for six months.",
    "Tell you what, hang on with us and I'll wipe the 54er",
    "Indeed, where you just stay. I could wave the broadband for six months",
    # proposed, a price held, fixed for years said after (blind call set 60)
    "Then allow me to propose the same Duo at forty-four, fixed for two years.",
    "Fair point. I'll hold you at twenty, two years fixed.",
    "Done, it's back. Let me make it up to you: 40 bucks off your next bill if you give us"
    " another shot.",
    # hang in there, months on the house, renew and I'll ... (blind call set 63), and as the
    # recognizer wrote them
    "Hang in there with us and the next three months are on the house.",
    "Renew, and I'll do twenty-two a month, fixed two years.",
    "That's on us, so it's gone and hang in there with us. And your next two months are on the"
    " house",
    # more of what they have (blind call set 64), and as the recognizer wrote it
    "If you stay with us, I can give you double the data for the same price.",
    "Okay, well if you stay with us I can do Street Top Plus at 22 with twice the data.",
    # a plan named at a bare price, fixed; stay put (blind call set 65), and as the recognizer
    # wrote them
    "Then may I propose Fibre Ninety at twenty-four, fixed two years, should you remain?",
    "Ooh, well, stay put and I'll pop you on Shore Talk Lite at twenty, same minutes?",
    "Then may I propose Fiber 90 at 24, fix two years. Should you remain?",
])
def test_an_offer_of_something_to_stay_is_read(text: str) -> None:
    assert retention_offer(text)


@pytest.mark.parametrize("text", [
    "I'll process the cancellation now.",
    "I can refund you the forty dollars and close the account today.",
    "There's an early termination fee of fifty dollars.",
    "Your final bill will arrive next week.",
    "Okay, I'll text you your transfer code, anything else I can do today?",
    "Your code's free to use. Is there anything more I can do for you?",
    "Let me see what we can do. Your plan is forty a month.",
    "I get it, if you want to cancel I can do it now, no fee as you're out of contract.",
    "How about I send you the confirmation by email?",  # a proposal, nothing to get
    "The Europe pass is five dollars a day.",  # something to get, no proposal
    "Could I suggest the engineer comes at five?",  # a time, not a price
    "Let me check your bill. It's forty dollars a month.",  # "let me" does, offers nothing
    "I'll take your details and close the account today.",  # a future step, nothing to get
    "I send you the final bill by email.",
    # a payment taken, with the price of what they pay
    "It's twenty a month until June, so eighty dollars, and I can take that off your card now.",
    # a time made so, not a price
    "If you stay on the line, I can make it 3 pm tomorrow.",
    "If you stay, I can make it three days sooner.",
    # what each line costs now, with no proposal
    "You've three SIMs on that account, twelve dollars each a month.",
    # matching something that is no price
    "If you stay on the line, I can match the payment to your account.",
    # the same words, offering nothing (near misses of blind call set 55's shapes)
    "I'll put you on hold for a moment while I check.",
    "I'll put it on your bill for the same 39 as last month.",
    "Your line is fixed now, and the fault report is closed.",
    "If you stay on the line, I'll knock on the engineer's door.",
    "If you stay on the line, I'll wave to you from the shop window.",
    "If you stay on the line, I can wipe the phone remotely.",
    # held, proposed, fixed: nothing to get (near misses of set 60's shapes)
    "I'll hold you in the queue for the billing team.",
    "Allow me to propose a time for the engineer: Friday at nine.",
    "Your line has been fixed for two weeks now.",
    "Give the router another go, and the speed should come back.",
    # on the house, renewing, hanging in there: nothing to get (near misses of set 63's shapes)
    "The replacement SIM is on the house.",
    "Renew your card in the app and the payment goes through.",
    "Hang in there, the engineer is on his way.",
    # more data wanted, no proposal (a near miss of set 64's shape)
    "If you need more data, the bolt-on is in the app.",
    # a day at a time suggested, a move to a day (near misses of set 65's shapes)
    "May I suggest Tuesday at 5 for the engineer?",
    "Stay put, I'll move you to Saturday at 10 am.",
    "",
])
def test_what_offers_nothing_is_not_read(text: str) -> None:
    assert retention_offer(text) is None


def _offers(tmp_path) -> Checklists:
    return prepared_with(tmp_path, 'examples = ["I can offer you a loyalty discount to stay."]',
                         'reader = "offers"')


@pytest.mark.parametrize("text", [
    "Stay, and I'll take ten dollars off your monthly bill.",
    "I understand. Should you remain with us, I can waive next month's bill.",
    "Look, stick with us and I'll throw in a free wireless charger.",
    "Then, rather than leaving, how about Essentials? Eight gigs for $35 a month.",
    "Oh, please don't! Um, I can do a loyalty discount, like, ten off a month?",
    "Aw, don't go yet. How about your next month free, on us?",
    "I'd hate to lose you, so how about six months of double data, free?",
    "As a loyal customer, I can give you ten dollars off every month if you decide to stay.",
    "I could waive your next two months if you stay on.",
    "Tell you what, twelve months at five dollars a month off for staying.",
    "No, stay, please. I give you ten percent off for a year.",
    "If you are staying with us, I give you Unlimited for same price.",
])
def test_an_offer_that_asks_the_caller_to_stay_presumes_they_would_leave(text: str) -> None:
    assert staying_offer(text)


@pytest.mark.parametrize("text", [
    "Might I offer you ten dollars off your plan for twelve months?",  # no staying asked
    "How about Unlimited Plus? It's only five dollars more a month.",
    "If you stay on Essentials, your price stays the same.",  # a plan, not us
    "If you stay on the line, I'll transfer you to billing for the credit.",
    "Stay connected abroad with our five dollar day pass.",
    "Thanks for staying with us all these years.",  # nothing offered
    "Rather than waiting, I'll send the refund today.",
    "Thanks for staying on the line, I can take ten dollars off that charge.",
])
def test_an_offer_that_does_not_ask_the_caller_to_stay_presumes_nothing(text: str) -> None:
    assert staying_offer(text) is None


def test_an_offer_to_stay_ticks_the_item_though_its_condition_was_not_heard(tmp_path):
    call = _offers(tmp_path).call()
    # The caller's leaving said in words no example covers (or lost by the recognizer):
    assert call.on_caption(said("c1", "Honestly, I'm off to Pelican.", channel="customer"),
                           1.0) == []
    # a deal with no staying asked does not presume it ...
    assert call.on_caption(said("c2", "Might I offer you ten dollars off a month?"), 2.0) == []
    # ... one that asks the caller to stay does: the tick says the item came up.
    (tick,) = call.on_caption(said("c3", "If you stay, I'll take ten dollars off a month."),
                              3.0)
    assert (tick.kind, tick.item, tick.by, tick.score) == ("tick", "retention", "copilot", None)
    state = {s.item.id: s for _, states in call.states() for s in states}["retention"]
    assert state.applies and state.done
    assert "retention" not in call.lists[0].open_required()


def test_an_offer_split_over_two_captions_at_a_comma_is_read_whole(tmp_path):
    """The agent paused mid-sentence: the recognizer closed "If you stay with us," and went on
    with the deal in the next caption (blind call set 47)."""
    call = _offers(tmp_path).call()
    assert call.on_caption(said("c1", "If you stay with us,"), 1.0) == []
    (tick,) = call.on_caption(said("c2", "I give ten dollars off every month for a year."), 2.0)
    assert (tick.kind, tick.item, tick.of) == ("tick", "retention", "c2")
    # a caption ended by a full stop is not joined to the next
    call = _offers(tmp_path).call()
    assert call.on_caption(said("c1", "If you stay with us, thank you."), 1.0) == []
    assert call.on_caption(said("c2", "I give ten dollars off every month for a year."),
                           2.0) == []


def test_the_reader_ticks_a_retention_offer_only_once_the_customer_wants_to_leave(tmp_path):
    deal = "How about three months at half price?"  # no staying asked: presumes nothing
    call = _offers(tmp_path).call()
    assert call.on_caption(said("c1", deal), 1.0) == []  # no one is leaving yet
    out = call.on_caption(said("c2", "I want to cancel my contract.", channel="customer"), 2.0)
    assert [(e.kind, e.item) for e in out] == [("applies", "retention")]
    (tick,) = call.on_caption(said("c3", deal), 3.0)
    assert (tick.kind, tick.item, tick.by, tick.score) == ("tick", "retention", "copilot", None)
    assert tick.words == deal


@pytest.mark.parametrize("text", [
    "Thank you. Your welcome discount finished in May, so now you pay thirty-eight, not twenty.",
    "Your half price offer is finish in May.",
    "That promo rate expired last month, which is why the bill went up.",
    "The loyalty credit ran out on Monday.",
])
def test_a_deal_said_to_have_ended_is_no_offer(text: str) -> None:
    assert ended_deal(text)


@pytest.mark.parametrize("text", [
    "Your discount ended in May, but if you stay I can give you ten off a month.",
    "I can offer you a loyalty discount to stay.",
    "Your contract ended in May.",  # no deal named
])
def test_what_is_not_a_deal_ended_without_an_offer(text: str) -> None:
    assert not ended_deal(text)


def test_a_deal_said_to_have_ended_never_ticks_the_offer_however_close_to_its_examples(
        tmp_path) -> None:
    call = prepared_with(tmp_path, 'examples = ["I can offer you a loyalty discount to stay."]',
                         'keywords = ["discount*"]\nreader = "offers"').call()
    out = call.on_caption(said("c1", "I want to cancel my contract.", channel="customer"), 1.0)
    assert [(e.kind, e.item) for e in out] == [("applies", "retention")]
    # The example's words with its keyword, told as the account's history: close to it (the
    # hashed encoder's 0.53 against the keyword's floor of 0.50), yet no offer.
    history = "Your loyalty discount you can stay on ended in May."
    assert call.on_caption(said("c2", history), 2.0) == []
    (tick,) = call.on_caption(said("c3", "I can offer you a loyalty discount to stay."), 3.0)
    assert (tick.kind, tick.item) == ("tick", "retention")


@pytest.mark.parametrize("text, vetoed", [
    # a fact of the caller's account told, nothing put to them (blind call set 50, and set 47
    # once its caller's leaving was read)
    ("Okay. Your plan is eighteen dollars, and last month you used forty minutes.", True),
    ("Lovely. So you're on a rolling monthly plan, no contract, and your last bill's paid.", True),
    ("Last month you used nine gigabytes, your plan has five, so eighteen dollars extra.", True),
    ("Your welcome discount finished in May, so now you pay thirty-eight.", True),
    # an offer beside the account's facts is still one
    ("Your plan is eighteen dollars, but if you stay I can make it nine.", False),
    ("We'll send a replacement, and I'd like to take twenty dollars off your next bill.", False),
])
def test_the_account_told_is_no_offer_however_close_to_the_examples(text, vetoed) -> None:
    assert VETOES["offers"](text) is vetoed



@pytest.mark.parametrize("told, ticks", [
    # the examples match a piece that alone says nothing of the account; its sentence does
    ("Okay, a loyalty discount, and your plan is eighteen dollars, last month you used forty "
     "minutes.", False),
    ("A loyalty discount for you, and you used forty minutes last month.", False),
    # another sentence of the caption may still offer something
    ("You can have a loyalty discount. Your plan is eighteen dollars.", True),
])
def test_a_sentence_that_tells_the_account_never_ticks_the_offer_by_a_piece_of_it(
        tmp_path, told, ticks) -> None:
    call = prepared_with(tmp_path, 'examples = ["I can offer you a loyalty discount to stay."]',
                         'keywords = ["discount*"]\nreader = "offers"').call()
    out = call.on_caption(said("c1", "I want to cancel my contract.", channel="customer"), 1.0)
    assert [(e.kind, e.item) for e in out] == [("applies", "retention")]
    out = call.on_caption(said("c2", told), 2.0)
    assert [(e.kind, e.item) for e in out] == ([("tick", "retention")] if ticks else [])
