"""The cases of tools/experiments/redaction_probe.py, second part: security codes and expiry
dates, numbers that must not be masked, other attacks, and the second batch."""

from __future__ import annotations

import itertools

from redaction_cases import (  # noqa: F401 (names the generators use)
    CARDS,
    CODE,
    EXP,
    HOMO,
    PREFIXES,
    SEPS,
    UNIT,
    UNIT_OH,
    add,
    group_styles,
    pair_word,
    regroup,
    render_groups,
    repeat_words,
)


def gen_codes_and_expiry():
    c = CARDS["visa2"][0]
    body = "4012 8888 8888 1881"
    code_forms = [
        "CVV 737", "CVV is 737", "the CVV is seven three seven", "CVV: 7 3 7", "CVC 737",
        "CBB 737", "C V V 737", "cvv two is 737", "the three digits on the back are seven three seven",
        "the three digits on the back are 737", "three-digit code 737", "code is 737",
        "the code is seven thirty-seven", "security number 737", "security code, um, 737",
        "and the code on the back, 737", "the number on the back is 737", "737 on the back",
        "the back says 737", "security code seven hundred thirty seven", "security code 7-3-7",
        "security code is double seven three", "the little number is 737", "pin 737",
        "verification code 737", "secret code 737", "the last three on the back 737",
        "three numbers on the back, 737", "the code on the back is seven, three, seven",
        "737 is the security code", "737", "seven three seven",
    ]
    exp_forms = [
        "expires 04/28", "exp 04/28", "expiration oh four twenty eight", "expiry date is 04 28",
        "expires 4/28", "expires 04-28", "valid thru 04/28", "good thru 04/28",
        "expiration date, um, zero four, two eight", "it expires in April 2028",
        "expires April of 28", "expiration 0428", "expiry 04/2028", "exp. date 04/28",
        "the date is 04/28", "end date 04/28", "04/28", "oh four twenty eight",
        "expires for 28", "expires all for 28", "expiration is four twenty-eight",
        "expires zero four slash two eight", "expiry month 04 year 28",
        "expires the fourth month of 2028", "it's good until April 2028", "expires 4 28",
        "and the expiration date is April, 2028", "month 04, year 2028",
    ]
    for i, cf in enumerate(code_forms):
        for where in ("same", "next", "next-long", "agent-asks", "agent-asks-long", "nocard"):
            if where == "same":
                evs = [("final", 0, "customer", f"{body}, {cf}.")]
            elif where == "next":
                evs = [("final", 0, "customer", body + "."), ("final", 2, "customer", cf + ".")]
            elif where == "next-long":
                evs = [("final", 0, "customer", body + "."), ("final", 30, "customer", cf + ".")]
            elif where == "agent-asks":
                evs = [("final", 0, "customer", body + "."),
                       ("final", 3, "agent", "And the security code?"),
                       ("final", 5, "customer", cf + ".")]
            elif where == "agent-asks-long":
                evs = [("final", 0, "customer", body + "."),
                       ("final", 70, "agent", "And the three digits on the back?"),
                       ("final", 73, "customer", "Um, let me find it."),
                       ("final", 80, "customer", cf + ".")]
            else:
                evs = [("final", 0, "customer", cf + ".")]
            add(f"code/{where}/{i}", evs, [c], [CODE])
            # partials of the code caption
            words = cf.split(" ")
            pe = list(evs[:-1]) + [("partial", evs[-1][1] - 0.5 + 0.05 * j, "customer",
                                    " ".join(words[:j])) for j in range(1, len(words) + 1)]
            pe.append(evs[-1])
            add(f"code-partials/{where}/{i}", pe, [c], [CODE])
    # code alone after the agent asks, with only the card cue from earlier
    for i, cf in enumerate(["737", "seven three seven", "It's 737.", "7 3 7", "seven thirty seven",
                            "Uh, 737.", "Yeah it's seven, three, seven."]):
        for ask in ("What's the CVV?", "And the three digits on the back?", "And the code?",
                    "Security code please.", "And the code on the back of the card?",
                    "What's the CVV on the card?"):
            for gap in (2.0, 15.0, 25.0):
                add(f"code-answer/{i}/{ask}/gap{gap}", [
                    ("final", 0, "customer", body + "."), ("final", 5, "agent", ask),
                    ("final", 5 + gap, "customer", cf)], [c], [CODE])
    for i, ef in enumerate(exp_forms):
        for where in ("same", "next", "agent-asks", "nocard"):
            if where == "same":
                evs = [("final", 0, "customer", f"{body}, {ef}.")]
            elif where == "next":
                evs = [("final", 0, "customer", body + "."), ("final", 2, "customer", ef + ".")]
            elif where == "agent-asks":
                evs = [("final", 0, "customer", body + "."),
                       ("final", 3, "agent", "And the expiration date?"),
                       ("final", 5, "customer", ef + ".")]
            else:
                evs = [("final", 0, "customer", ef + ".")]
            add(f"expiry/{where}/{i}", evs, [c], [EXP, "428"], eye=where != "nocard")
    # card + expiry + code in one breath, different orders
    for order in itertools.permutations(["card", "exp", "code"]):
        part = {"card": body, "exp": "expires 04/28", "code": "CVV 737"}
        add(f"all3/{order}", [("final", 0, "customer", ", ".join(part[o] for o in order))],
            [c], [CODE, EXP])
        add(f"all3-split/{order}", [("final", 2 * i, "customer", part[o])
                                     for i, o in enumerate(order)], [c], [CODE, EXP])


def gen_false_masks():
    texts = [
        "That'll be $1,234.56.", "The total is 1,249 dollars.", "Call me back on 555 123 4567.",
        "My phone number is 4155551234.", "Order number 4111 1111.", "order number 4012 8888 8888",
        "It was on 2024-03-14.", "It takes 5 business days.", "I paid 49.99 on March 3rd.",
        "My account number is 40128888.", "Reference 601100099013.",
        "The tracking number is 1Z999AA10123456784.", "Zip code 94105.",
        "I've been waiting for 20 minutes.", "I called 3 times.", "It's 2024, come on.",
        "Extension 4012.", "My order was 4012 8888 and it hasn't arrived.",
        "The IMEI is 490154203237518.", "Case number 5105 1051 0510.",
        "I was charged 4,012.88 twice.", "About 40 or 50 dollars a month.",
        "Room 4012, building 8.", "It's 12:45 now.", "My zip is 10001 and my phone is 212-555-0100.",
        "the confirmation is 4012888", "Invoice 5555 5555 5555.", "ticket 60110009",
        "I'm 45 years old.", "It's four hundred dollars.", "I want to pay 4012 dollars.",
        "My birthday is 04/28/1990.", "The appointment is on 04/28.",
        "Can I pay by card? My order number is 4012 8888 8888.",
        "account ending in 1881", "card ending in 1881", "The last four are 1881.",
    ]
    for i, t in enumerate(texts):
        add(f"neg/{i}", [("final", 0, "customer", t)], [], [], eye=True)
        words = t.split(" ")
        add(f"neg-partial/{i}", [("partial", 0.1 * j, "customer", " ".join(words[:j]))
                                 for j in range(1, len(words) + 1)], [], [], eye=True)
    # order number asked then a card read in pieces (the "other" cue makes releases lenient)
    c = CARDS["visa2"][0]
    for ask in ("Can I have your order number?", "What's the card number on the account?",
                "And your account number?", "What's the phone number on the account?",
                "Do you have the order number or the card number?",
                "Is the card on the account?", "Okay, the card number on the account please."):
        for gap in (2.0, 5.0, 10.0):
            add(f"other-then-card/{ask}/gap{gap}", [
                ("final", 0, "agent", ask),
                ("final", 2, "customer", "Sure, 4012 8888"),
                ("final", 2 + gap, "customer", "8888 1881")], [c])
            add(f"other-then-card3/{ask}/gap{gap}", [
                ("final", 0, "agent", ask),
                ("final", 2, "customer", "4012"),
                ("final", 2 + gap, "customer", "8888"),
                ("final", 2 + 2 * gap, "customer", "8888"),
                ("final", 2 + 3 * gap, "customer", "1881")], [c])
            add(f"other-then-card-misheard/{ask}/gap{gap}", [
                ("final", 0, "agent", ask),
                ("final", 2, "customer", "Sure, 4012 8888"),
                ("final", 2 + gap, "customer", "8888 188")], [c])


def gen_misc_attacks():
    c = CARDS["visa2"][0]
    m = CARDS["mc"][0]
    # homophone / filler interruptions mid-number, in split captions
    pieces_list = [
        ["for oh one two", "ate ate ate ate", "ate ate ate ate", "one ate ate one"],
        ["For 012", "8888", "8888", "1881"],
        ["4012", "ate 888", "8888", "1881"],
        ["4012 8888", "ate 888 1881"],
        ["four oh one two eight eight eight eight", "eight eight eight eight one eight eight one"],
        ["four oh", "one two", "eight eight", "eight eight", "eight eight", "eight eight",
         "one eight", "eight one"],
        ["40", "12", "88", "88", "88", "88", "18", "81"],
        ["401", "288", "888", "888", "188", "1"],
        ["5555", "5555", "5555", "4444"],
        ["fifty-five fifty-five", "fifty-five fifty-five", "fifty-five fifty-five", "forty-four forty-four"],
        ["double five double five", "double five double five", "double five double five",
         "double four double four"],
        ["5555 5555", "um, what was it, 5555 4444"],
        ["The number is 4012.", "Then 8888.", "Then 8888.", "And 1881."],
        ["4012 8888 8888", "1881"],
        ["4012 8888 888", "8 1881"],
        ["My card is a Visa.", "4012", "8888", "8888", "1881"],
        ["4012", "Did you get that?", "8888 8888 1881"],
        ["It starts with a 4.", "Then 012.", "Then 8888 8888 1881."],
        ["four", "oh", "one", "two", "eight", "eight", "eight", "eight"],
    ]
    for i, pieces in enumerate(pieces_list):
        card = m if pieces[0].startswith(("5", "fifty", "double five")) else c
        for gap in (0.8, 2.0, 3.9, 4.5, 7.0, 12.0, 21.0):
            evs = [("final", gap * j, "customer", p) for j, p in enumerate(pieces)]
            add(f"pieces/{i}/gap{gap}", evs, [card], [CODE, EXP])
            evs2 = []
            for j, p in enumerate(pieces):
                evs2.append(("final", gap * j, "customer", p))
                evs2.append(("final", gap * j + 0.3, "agent", "Okay."))
            add(f"pieces-agent/{i}/gap{gap}", evs2, [card], [CODE, EXP])
    # agent reads a card (agent channel) split
    for gap in (1.0, 4.5, 8.0):
        add(f"agent-reads/gap{gap}", [("final", 0, "agent", "I have 4012 8888"),
                                      ("final", gap, "agent", "8888 1881 on file.")], [c])
    # two channels interleaved: customer reads card, agent says numbers in between
    for gap in (1.0, 3.0, 6.0):
        add(f"interleave/gap{gap}", [
            ("final", 0, "customer", "4012 8888"), ("final", 0.5, "agent", "Okay, 4012 8888"),
            ("final", gap, "customer", "8888 1881"), ("final", gap + 0.5, "agent", "8888 1881.")], [c])
    # hold 0 (config with no hold)
    for gap in (0.5, 2.0):
        add(f"hold0/gap{gap}", [("final", 0, "customer", "4012 8888"),
                                ("final", gap, "customer", "8888 1881")], [c], hold=0.0)
    # many captions so the context exceeds _CONTEXT_ITEMS
    groups = ["40", "12", "88", "88", "88", "88", "88", "88", "88", "88", "18", "81"]
    for gap in (0.5, 2.0, 5.0):
        add(f"manycaps/gap{gap}", [("final", gap * j, "customer", g) for j, g in enumerate(groups)], [c])
        add(f"manycaps-words/gap{gap}", [("final", gap * j, "customer", " ".join(UNIT_OH[int(x)] for x in g))
                                          for j, g in enumerate(groups)], [c])
    # card after other-number digits in the same caption / "number" vs card
    add("acct-then-card", [("final", 0, "customer",
                            "My account number is 12345, and the card is 4012 8888 8888 1881")], [c])
    add("card-last-four-then-full", [("final", 0, "customer",
                                      "the card ending in 1881, it's 4012 8888 8888 1881")], [c])
    # number in quotes / with letters glued
    for t in ["4012 8888 8888 1881th", "4012x8888x8888x1881", "4012 8888 8888 188l",
              "4O12 8888 8888 1881", "4012 8888 8888 I881", "4012 8888 8888 1881!",
              "\"4012 8888 8888 1881\"", "4012—8888—8888—1881", "4012–8888–8888–1881",
              "４０１２ ８８８８ ８８８８ １８８１", "4012\u00a08888\u00a08888\u00a01881",
              "4012_8888_8888_1881", "4012 8888 8888 1881 ok", "card: 4012-8888-8888-1881",
              "4012 8888 8888 1881, 4012 8888 8888 1881", "40128888 8888 1881",
              "4012 8888 8888 1881 and 5555 5555 5555 4444",
              "Visa, 4012, MasterCard, 5555 5555 5555 4444",
              "4012 eight eight eight eight 8888 one eight eight one",
              "4012 88 88 8888 1881", "4012 888 8888 8 1881",
              "4 0 1 2, 8 8 8 8, 8 8 8 8, 1 8 8 1"]:
        add(f"weird/{t}", [("final", 0, "customer", t)], [c, m])
        words = t.split(" ")
        add(f"weird-partials/{t}", [("partial", 0.1 * j, "customer", " ".join(words[:j]))
                                    for j in range(1, len(words) + 1)], [c, m])


def gen_batch2():
    """Second round: the mechanisms the first round found, varied."""
    c = CARDS["visa2"][0]  # 4012888888881881
    v = CARDS["visa16"][0]
    m = CARDS["mc"][0]
    d = CARDS["disc"][0]
    a = CARDS["amex"][0]
    cards = [c, v, m, d, a]
    one = [
        # words between groups that are not fillers
        "The first four are 4012, the next 8888, then 8888, then 1881.",
        "4012, next 8888, next 8888, and last 1881.",
        "4012, the next four 8888, then 8888 and 1881.",
        "first 4012 second 8888 third 8888 fourth 1881",
        "4012, got it? 8888, 8888, 1881",
        "4012, after that 8888 8888 1881",
        "4012 followed by 8888 8888 1881",
        "4012 space 8888 space 8888 space 1881",
        "4012, you got that? Okay, 8888 8888 1881.",
        "4012, did you get that, 8888 8888 1881",
        "Starts with 4012, then 8888 8888, ends with 1881.",
        "4012 8888 8888, ends with 1881.",
        "4012 8888, hang on, 8888 1881",
        "4012 8888, hold on a second, 8888 1881",
        "4012 8888, I think it's 8888 1881",
        "4012 8888, the rest is 8888 1881",
        "Six oh one one, zero zero zero nine, ninety thirteen, ninety-four twenty-four.",
        "6011, 0009, then 9013, and finally 9424.",
        "3782, 822463, and then 10005",
        "5555, 5555, next one is 5555, and then 4444",
        # false starts / corrections
        "4012 8888, no sorry, 4012 8888 8888 1881.",
        "4012 8888, no, 4012 8888 8888 1881.",
        "4012 8888, wait no, let me start again, 4012 8888 8888 1881.",
        "4012 8888, actually, 4012 8888 8888 1881.",
        "4012 8888 88, I mean, 4012 8888 8888 1881.",
        "40128888, scratch that, 4012 8888 8888 1881",
        "6011 0009 9013, no, 6011 0009 9013 9424",
        "4012 8888 8888 1881, no wait, 4012 8888 8888 1882",
        "4012 8888 8888 1882, no, 1881",
        "4012 8888 8888 1881, no actually the other card, 5555 5555 5555 4444",
        "4012 8888, my mistake, 4012 8888 8888 1881",
        # thousands words
        "four thousand twelve, eight eight eight eight, eight eight eight eight, eighteen eighty-one",
        "4,012, 8888, 8888, 1881",
        "four thousand and twelve, eighty-eight eighty-eight, eighty-eight eighty-eight, eighteen eighty-one",
        "six thousand eleven, oh oh oh nine, nine oh one three, nine four two four",
        "fifty-five fifty-five, fifty-five fifty-five, fifty-five fifty-five, forty-four forty-four",
        "five thousand five hundred fifty-five, 5555, 5555, 4444",
        "forty-one hundred, eleven eleven, eleven eleven, eleven eleven",
        # unicode spaces / punctuation
        "4012\u00a08888\u00a08888\u00a01881", "4012\u202f8888\u202f8888\u202f1881",
        "4012\u20098888\u20098888\u20091881", "4012\u30008888\u30008888\u30001881",
        "4012\u20118888\u20118888\u20111881", "4012\u22128888\u22128888\u22121881",
        "4012 / 8888 / 8888 / 1881", "4012*8888*8888*1881", "4012:8888:8888:1881",
        "4012 8888 8888 1881\u200b", "4\u200b012 8888 8888 1881", "4012 88\u00ad88 8888 1881",
        "\u0664\u0660\u0661\u0662 8888 8888 1881",
        # homophones
        "It's for 012 8888 8888 1881.", "for 012 8888 8888 1881", "Yeah, for 012, 8888, 8888, 1881.",
        "For 111 1111 1111 1111", "It's for one one one, one one one one, one one one one, one one one one.",
        "It's 4012 8888 8888 1881, for 012 8888 8888 1881",
        "It's 5555 5555 5555 for 444.", "5555 5555 5555, for four four four.",
        "four oh one to, eight eight eight eight, eight eight eight eight, one eight eight one",
        "four oh one two, ate eight eight eight, eight eight eight eight, one eight eight one",
        "4012 8888 8888 1 ate ate 1", "6011 000 990 13 nine for 24",
        "six oh one one, oh oh oh nine, nine oh one three, nine for two for",
        "It's too 221 0000 0000 0009",
        "three seven eight two, ate two two four six three, one oh oh oh five",
        "four won two eight eight eight eight eight eight eight eight won eight eight won",
        # digits glued to words
        "4012 8888 8888 1881th", "4012 8888 8888 1881s", "4012 8888 8888 1881st",
        "4012 8888 8888 1881ish", "the card's 4012-8888-8888-1881.", "#4012 8888 8888 1881",
        "4012 8888 8888 1881's the number", "Visa4012 8888 8888 1881",
        # quantities / dates adjacency
        "4012 8888 8888 1881 times", "4012 8888 8888 1881 dollars",
        "$4012 8888 8888 1881", "4012 8888 8888 1881%", "It's 4012 8888 8888 18 81 days",
        "May 4012 8888 8888 1881", "March 4012 8888 8888 1881",
        "On March 4012 8888, 8888 1881", "4012 8888 8888 on March 1881",
        "Last four 4012 8888 8888 1881", "ending in 4012 8888 8888 1881",
        "ending in 4012 8888 8888 188", "the last four are 1881, first twelve 4012 8888 8888",
        "it ends with 4012 8888", "ends in 4012 8888 8888",
        # other-number cue shadowing
        "My account number is 4012 8888 8888", "order number 4012 8888 8888 1881",
        "My phone number, no, my card number, 4012 8888 8888 188",
        "The card on my account is 4012 8888 8888 188",
        "My card number is 4012 8888 8888 188",
        "4012 8888 8888 188, that's my card number",
        "4012 8888 8888 18, sorry I lost the card",
        "Zip code 94105 and card 4012 8888 8888 188",
    ]
    for i, t in enumerate(one):
        add(f"b2one/{i}", [("final", 0.0, "customer", t)], cards, [CODE, EXP])
        words = t.split(" ")
        add(f"b2one-partials/{i}", [("partial", 0.1 * j, "customer", " ".join(words[:j]))
                                    for j in range(1, len(words) + 1)], cards, [CODE, EXP])
    # the same texts split at every space into 2 captions, 1.5 s and 6 s apart
    for i, t in enumerate(one):
        words = t.split(" ")
        for cut in range(1, len(words)):
            for gap in (1.5, 6.0):
                add(f"b2cut/{i}/{cut}/gap{gap}", [
                    ("final", 0.0, "customer", " ".join(words[:cut])),
                    ("final", gap, "customer", " ".join(words[cut:]))], cards, [CODE, EXP])
    # split with an own-channel interjection between the pieces (customer speaks, not digits)
    inter = ["Did you get that?", "Hang on.", "Sorry.", "One second.", "Let me check.",
             "Can you hear me?", "Yes.", "No.", "What?", "Okay."]
    for x in inter:
        for gap in (1.0, 2.0, 3.5, 6.0):
            add(f"b2inter/{x}/gap{gap}", [
                ("final", 0, "customer", "It's 4012 8888"), ("final", gap, "customer", x),
                ("final", 2 * gap, "customer", "8888 1881.")], [c])
            add(f"b2inter1/{x}/gap{gap}", [
                ("final", 0, "customer", "It's 4012"), ("final", gap, "customer", x),
                ("final", 2 * gap, "customer", "8888 8888 1881.")], [c])
            add(f"b2inter-cue/{x}/gap{gap}", [
                ("final", 0, "customer", "My card number is 4012 8888"),
                ("final", gap, "customer", x),
                ("final", 2 * gap, "customer", "8888 1881.")], [c])
            add(f"b2inter-amex/{x}/gap{gap}", [
                ("final", 0, "customer", "3782 822463"), ("final", gap, "customer", x),
                ("final", 2 * gap, "customer", "10005.")], [a])
    # correction spread over captions
    for first, second in [("4012 8888", "no sorry, 4012 8888 8888 1881"),
                          ("4012 8888", "No. 4012 8888 8888 1881"),
                          ("4012 8888 88", "Sorry, let me start over."),
                          ("4012 8888 8888", "Wait, wrong card."),
                          ("6011 0009 9013", "Hmm, no, that's not it."),
                          ("My card is 4012 8888 8888", "no wait, that's wrong"),
                          ("4012 8888 8888 18", "oops, 4012 8888 8888 1881")]:
        for gap in (1.0, 3.0, 6.0):
            add(f"b2corr/{first}/{second}/gap{gap}", [
                ("final", 0, "customer", first), ("final", gap, "customer", second)], [c, d])
    # agent question ending in an "other" word, then the card in pieces, long pauses
    for ask in ("What's the card number on the account?", "Is the card on the account?",
                "Okay, what card do you have on file for this order?",
                "Can you read me the card number on your account?"):
        for gap in (5.0, 12.0, 21.0):
            add(f"b2other/{ask}/gap{gap}", [
                ("final", 0, "agent", ask),
                ("final", 2, "customer", "Sure, 4012 8888"),
                ("final", 2 + gap, "customer", "8888 1881")], [c])
            add(f"b2other-corr/{ask}/gap{gap}", [
                ("final", 0, "agent", ask),
                ("final", 2, "customer", "Sure, 4012 8888"),
                ("final", 2 + gap, "customer", "no sorry, 4012 8888 8888 1881")], [c])
            add(f"b2other-homo/{ask}/gap{gap}", [
                ("final", 0, "agent", ask),
                ("final", 2, "customer", "Sure, for 012 8888"),
                ("final", 2 + gap, "customer", "8888 1881")], [c])
    # code answered after the cue expired / cue after the number
    for ans in ("737", "It's 737.", "seven three seven", "Okay, 737.", "Found it, 737.",
                "737 on the back", "It's the 737 on the back."):
        for gap in (15.0, 21.0, 30.0, 50.0):
            add(f"b2code-late/{ans}/gap{gap}", [
                ("final", 0, "customer", "4012 8888 8888 1881."),
                ("final", 3, "agent", "And the security code?"),
                ("final", 5, "customer", "Let me find my glasses."),
                ("final", 3 + gap, "customer", ans)], [c], [CODE])
    # expiry and code forms without the usual cue word
    for t in ["4012 8888 8888 1881, the date is 04/28.", "4012 8888 8888 1881, date 04/28.",
              "4012 8888 8888 1881, end date 04/28.", "4012 8888 8888 1881, it runs out 04/28.",
              "4012 8888 8888 1881, valid until 04/28.", "4012 8888 8888 1881, good until 04/28.",
              "4012 8888 8888 1881, valid to 04/28.", "4012 8888 8888 1881 and 04/28.",
              "4012 8888 8888 1881, expires all for 28.", "4012 8888 8888 1881, expires for 28.",
              "4012 8888 8888 1881, expires oh for twenty-eight.",
              "4012 8888 8888 1881, expiring, um, oh four, twenty eight.",
              "4012 8888 8888 1881, the expiry, let me see, it's 04/28.",
              "4012 8888 8888 1881, expiry is April twenty twenty-eight.",
              "4012 8888 8888 1881, the month is 04 and the year 28.",
              "4012 8888 8888 1881, 04 28, and 737.",
              "4012 8888 8888 1881, expires 04/28, 737.",
              "4012 8888 8888 1881, the back says 737.", "4012 8888 8888 1881, pin 737.",
              "4012 8888 8888 1881, the three on the back are 737.",
              "4012 8888 8888 1881, last three on the back 737",
              "4012 8888 8888 1881, and on the back, 737.",
              "4012 8888 8888 1881, security 737.", "4012 8888 8888 1881, CV 737.",
              "4012 8888 8888 1881, the CVV is, uh, hold on, let me flip it over, 737.",
              "4012 8888 8888 1881, and the code is, uh, let me turn the card over, seven, three, seven."]:
        add(f"b2ce/{t}", [("final", 0, "customer", t)], [c], [CODE, EXP], eye=True)
        add(f"b2ce-split/{t}", [("final", 0, "customer", "4012 8888 8888 1881."),
                                ("final", 3, "customer", t.split(", ", 1)[1] if ", " in t else t)],
            [c], [CODE, EXP], eye=True)

    # ad-hoc repros used in the report
    for first, second in [("It's 4012 8888", "Next, 8888 1881."),
                          ("It's 4012 8888 8888", "and the last four 1881."),
                          ("It's 4012 8888", "Hang on."), ("3782 822463", "Hang on."),
                          ("4012 8888 8888", "Wait, wrong card.")]:
        add(f"b2adhoc/{first}|{second}", [("final", 0, "customer", first),
                                          ("final", 1, "customer", second),
                                          ("final", 2, "customer", "8888 1881.")], [c, a])
    t = "The card on my account is 4012 8888 8888 1881."
    w = t.split(" ")
    add("b2adhoc/card-on-my-account-partials",
        [("partial", 0.1 * j, "customer", " ".join(w[:j])) for j in range(1, len(w) + 1)], [c])
    # false masks after a card (judge by eye: --eye)
    for x in ["Call me on 555 123 4567.", "I've been a customer since 2015.", "It was on 2024-03-14.",
              "Room 4012.", "I was charged 49.99 on the 3rd.", "It's apartment 2205.",
              "The amount is 1,250.", "The code on my voucher is 5521.", "Call 1-800-555-0199.",
              "That'll be $1,234.56.", "Order number 4111 1111.", "It takes 5 business days."]:
        add(f"b2neg-after-card/{x}", [("final", 0, "customer", "4012 8888 8888 1881."),
                                      ("final", 10, "agent", "Thanks."),
                                      ("final", 15, "customer", x)], [], [], eye=True)
