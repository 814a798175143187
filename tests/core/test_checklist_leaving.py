"""The built-in reader of a customer leaving (copilot/assist/checklist/leaving.py) and a
condition that names it with `reader = "leaving"`."""

from __future__ import annotations

import pytest
from checklist_helpers import prepared_with, said

from copilot.assist.checklist.leaving import leaving, staying
from copilot.assist.checklist.tracker import Checklists


@pytest.mark.parametrize("text", [
    "Honestly, I'm ready to walk.",
    "Do it, because if it's ignored again, you've lost me.",
    "That's ridiculous. I'm taking my number to Vantel.",
    "Look, fix it or I'm leaving for Orbit.",
    "Well, sort it or I'm porting out.",
    "Then I shall take my business elsewhere.",
    "Frankly, I'm ready to close my account over this.",
    "Then maybe I change to another company.",
    "Ridiculous. I don't want to be your customer any more.",
    "If this isn't sorted I'm cancelling my contract.",
    "That's it. I'm ready to jump ship.",
    "Another fee? I'm calling it quits with you lot.",
    "Twelve dollars! I'm pulling the plug on this contract.",
    "Enough. I'm pulling the plug.",
    "Honestly, maybe it's time I shopped around.",
    "After all that, I think it's time we jumped ship.",
    "If nothing changes I'll be looking elsewhere.",
    "We won't be renewing in March.",
    "Honestly I'd rather get rid of the landline.",
    "Fine, I'll buy a phone from them and move my number over.",
    "Right, that settles it, I'll vote with my feet.",
    "That's it, I'm pulling a plug on the lot.",
    "I want to cancel and go somewhere that works.",
    "We're moving abroad, so I need to cancel.",
    "If it happens again I'm taking my number over to blue mango.",  # a name as Whisper wrote it
    "Then I'll find a network that has it, frankly, I'm off to a provider that cares.",
    "If it carries on, we'll find a network that bothers to answer.",
    "Maybe I need a carrier that lets my calls through.",
    "Honestly, I'm thinking of taking my business somewhere friendlier.",
    "If it's not sorted, I'll take my numbers and go.",
    "Once this is paid off, you won't see me for dust.",
    "After that? Why should we stay with a company like yours?",
    "Makes me wonder why I'm still with you, honestly.",
    # a competitor's offer or quote as the reason, what the others have
    "My contract's up in June and Kestrel offered me double the data.",
    "Brightline have quoted us a lot less for all five lines.",
    "I'll be checking what other networks charge, then.",
    # someone the caller knows is elsewhere, and the caller would go there too
    "My brother's with Heron and never has this. Might be time I joined him.",
    "All our friends are on Skylark, so we'll probably go there.",
    "The kids' friends are all with Tangerine; we might as well follow them.",
    "My dad's on Kestrel and his never drops. Maybe I'll go there too.",
    "That's it, I'm leaving for Orbit next month when my contract ends.",
    "I'm leaving for the airport, then switching to Orbit.",
    "My sister\u2019s with Sandpiper. Maybe we all go there.",
    # someone's number moved to a company, an aside between; the caller moving everything
    "My daughter's moving her number off our family plan, over to Curlew.",
    "If the price goes up again, we'll move everything to Kestrel.",
    # going to a name that is no trip, no move home and no plan of ours
    "Right, that's the third outage. I'm off to Wrenfield.",
    "Honestly I'm about ready to go to Marlin, they never drop.",
    "Another rise like that and we're all heading over to Cobalt.",
    "I'm seriously thinking of moving to Fieldfare.",
    # a line or a service of theirs taken to a name; lines cancelled, whose and how many
    "We're moving our shop's landline to Ashdown when the contract's up.",
    "I'm taking our office broadband over to Kittiwake.",
    "Please cancel my mum's two mobile lines.",
    # a line named by what it serves, a line taken to a name
    "We're closing the front desk fax line, it's all email now.",
    "Could you disconnect the church hall alarm line?",
    "I'm taking the line to Puffin, they've got signal here.",
    # phones counted as lines; a line asked to be closed; lines counted, moved to a name or them
    "The farm's sold, so please cancel the four tractor phones.",
    "We're retiring, so close both our phones at the end of May.",
    "The shop shuts on Friday and I need its card machine line closed.",
    "We'd like all three lines cancelled, please.",
    "Nothing works up here, so we're porting all our numbers over to Kittiwake.",
    "Lapwing covers the valley, so I'll move all four to them.",
    # a rival's deal put in the present
    "And Dunnock gives me a free data roll-over.",
    "Pipit are offering us unlimited texts for less.",
    # a SIM moved to a name, going to a name for what it has, switching said alone
    "The alarm texts us late, so I'm moving that SIM over to Wryneck, who have a mast nearby.",
    "My data's gone by the twentieth. I'm going to Shelduck for unlimited.",
    "Garganey work anywhere, so we're switching.",
    # a line named with hyphenated words; cancelling said alone with when; "it" for our service
    "I'd like to close the gate-keeper's radio line.",
    "Please cancel my pay-as-you-go line.",
    "I wish to cancel within the fourteen days.",
    "I'd like to cancel straight away.",
    "The shop has your broadband. We're closing down, so I need to cancel it.",
    "We never use the landline any more. Can you disconnect it, please?",
    # off to a company said as "them" (blind call set 44)
    "Wagtail have better signal, so I'm off to them next week.",
    # a group's phones ended, uncounted; not renewing a service named with a word before it
    # (blind call set 45)
    "The season's done, so please close the stewards' phones.",
    "We won't be renewing the shop broadband in March.",
    # "I want out", a business's phone, lines and accounts named by what they serve, a number
    # or "that" taken over to a name as the recognizer wrote them (scripts of sets 26 and 43;
    # blind call set 46)
    "My phone's screen smashed, but I still pay forty a month for it. I want out.",
    "We're merging with the wildlife hospital, so I need to cancel our hotline phone.",
    "I want to get rid of our Phil phone line.",
    "so I'd like to close the trekking phones account.",
    "We won't renew our SIL Pool Camera line when its contract ends.",
    "I run a catery and i'm taking the cataries number over to pebble mobile.",
    "It gets no signal down in the lower rows so we're moving that over to Kestrel",
    # SIMs ended, "the one with you", asking why they should go on paying (blind call sets 47
    # and 48, two writers)
    "I want to cancel the SIMs and payment boxes on my washers They keep dropping out",
    "We signed with corecrake for broadband so i'm ringing to end the one with you",
    "My calls drop in every care home. Why should I keep paying you?",
    "Please close all four SIMs on the trackers.",
    # a line asked to be ended, said to be endable, moving over, following others to a name
    # (blind call set 49)
    "So the SIM that texts them has had its day. We'd like that line ended.",
    "After ninety years the press is closing, so the order line can be shut down.",
    "Juniper have quoted me twenty-four, so I'm minded to move over.",
    "Every other house of our order has its broadband with Brambling, and we should follow.",
    # an idiom of parting, following someone who moved, a reason to stay asked for, the last
    # bill (blind call set 50)
    "We never get a signal in the loft. Honestly, it's time we parted company.",
    "My sister's switched her broadband to Wagtail. I'm going along with her.",
    "The price went up again. Give me a good reason to stay with you.",
    "I reckon this month will be my last one with you.",
    # lines wanted ended, an idiom of giving up on us, a switching code asked for, moving what
    # they have to "them" (blind call set 51)
    "The tubs are in storage till May, so the four sensor SIMs in them, I want those lines ended.",
    "Every weekend. Honestly, I'm about ready to throw in the towel with you lot.",
    "There's a Pochard SIM in my glovebox. I just need the code for my number.",
    "Can you text me my PAC code, please?",
    "They have quoted us 26 a month for our farm shop broadband so we're moving it to them.",
    # a line said to go, following a relative's business over, an idiom of a relationship
    # ended, a code to bring the number over, the point of staying asked (blind call set 52)
    "We've got a phone in our site hut on Tanner Street, and that line can go now.",
    "My sister's tap studio next door just went over to Waxwing. I think I'll tag along.",
    "Honestly, I think you and me have run our course.",
    "My wife's put me on her family plan with Oriole. I just need the code to bring my number "
    "over.",
    "My van phone has cut out on three jobs this month. What's the point of me staying with "
    "you lot?",
    # ... as the recognizer wrote them
    "We've got to phone in our site hot on Tanner Street and that line can go now the job's done",
    "my sister's tap studio next door just went over to waxing. I think I'll tag along",
    "our office phone costs a fortune. Honestly, thank you in me have run our course",
    # a when before the name, in another clause: not a trip
    "Our agreement ends next month and we're moving to Orbitel.",
    # a rival's quote for the caller's business and the caller minded to take it, a SIM
    # switched off for good, everyone of a group gone to a name, a line no longer needed,
    # notice given (blind call set 53), and as the recognizer wrote them
    "Hello. Shearwater quoted my wedding car firm sixty a month for our three phones. I'm "
    "inclined to accept.",
    "Bittern sent over a quote for our shop. We're tempted to take it.",
    "The card reader SIM in that bay needs switching off for good.",
    "The alarm line at the old depot can be turned off permanently.",
    "Everyone in my craft arcade's gone to Lapwing. I'd like to join them.",
    "All my friends from the choir have moved over to Tern. I'll follow them.",
    "Our last two buses are sold in October, so after that we won't be needing the bookings "
    "line.",
    "We no longer need the site broadband once the build's done.",
    "You charged me thirty-five dollars for no access. Consider this my notice.",
    "We're giving you our notice, the signal here is hopeless.",
    "Hello, sharewater quoted my wedding car firm 60 a month for our three phones. I'm inclined "
    "to accept",
    "The card reader S I M in that they need switching off for good.",
    "Hi, everyone in my crafter Cades gone to Lapwan. I'd like to join them",
    "So convince me. Why should I stick around with Northwind?",
    "So convinced me why should i stick around with North line?",
    # a line said to be stoppable, the crew gone to a name and the caller moving over too, a
    # code to take the number, calling it a day with us, what staying gets them, not signing
    # up again (blind call set 54), and as the recognizer wrote them
    "The SIM inside it, that line can be stopped now. The buyer has his own.",
    "The kiosk line can be switched off now, the kiosk's gone.",
    "The whole crew's on Pintail, so I'm thinking I'll move over too.",
    "All my workmates are with Gadwall. I'll follow them.",
    "Great. Do I need a code to take my number across?",
    "Honestly, I'm about ready to call it a day with you lot.",
    "My SIM cracked and your shop has shut. What am I getting for staying with Northwind?",
    "Honestly, I can't see myself signing up again when this contract runs out.",
    "We won't be signing up again next year.",
    "the SIM inside it that line can be stopped now The buyer has his own",
    "the whole cruise on Pentail. So i'm thinking now move over to...",
    "What am i getting for staying with Northland?",
    # a partner's business gone to a name and the caller doing the same, washing their hands of
    # us, signed up elsewhere and settling up, why carry on with us (blind call set 55), and
    # as the recognizer wrote them
    "My partner's coffee van has just gone over to Bittern, and I fancy doing the same with"
    " my pizza van.",
    "I'm this close to washing my hands of Northwind.",
    "I've already signed up with Razorbill from Monday. So I just need to know what I owe you"
    " to finish up.",
    "Tell me why I should carry on with Northwind at all?",
    "Hi, my partner's coffee van has just gone over to Bitternd and be honest I fancy doing the"
    " same with my pizza van.",
    "My karaoke bars, broadband drops every Friday night. I'm this close to washing my hands of"
    " Northland.",
    "Tell me why it should carry on with Northwind at all?",
    # a line where it is said to be endable, someone the caller's business deals with gone to a
    # name and followed, what reason to stay, saying cheerio to us, giving us the boot (blind
    # call set 56), and as the recognizer wrote them
    "The marshals use walkie-talkies now, so the phone line in their cabin can be"
    " disconnected.",
    "Our vet's moved her phones to Crossbill and I think I'll follow her.",
    "So what reason have I got to stay with Northwind?",
    "So I suppose this is me saying cheerio to you?",
    "I'm ready to give you lot the boot.",
    "Our vets move her phones to crossbowl and i think i'll follow her",
    "So what reason have i got to stay with Northland?",
    # a quote the caller means to take up, colleagues followed the same way, cutting ties, a code
    # that lets them move the number, any reason to still be with us (blind call set 57), and
    # as the recognizer wrote them
    "Fulmar quoted 30 a month for our broadband and I mean to take them up on it.",
    "My colleagues are all on Wryneck, so I'd best go the same way.",
    "Honestly, I'm about ready to cut ties with you lot!",
    "I found a better home for the shop's number, so I need whatever code lets me move it.",
    "Our broadband's gone down three nights this week. Is there any reason we should still be"
    " with Northwind?",
    "Fullmer quoted 30 a month for our broadband and i mean to take them up on it",
    # a quote the caller leans towards, a line asked to be cut off, kicking us to the kerb, what
    # we do to keep them, halfway out the door, a deal found elsewhere (blind call set 58), and
    # as the recognizer wrote them
    "Pintail quoted our cafe 28 a month. We're leaning towards going with them.",
    "The card machine runs on Wi-Fi now, so could you cut off the line for its old SIM?",
    "I'm about ready to kick you lot to the kerb.",
    "My bill's full of late call charges. What are you going to do to keep me?",
    "Honestly, I'm halfway out the door.",
    "I've found a cheaper deal elsewhere, so the shop's number is coming with me.",
    "I do send her quoted my snail farm 34 a month for broadband. I'm leaning towards signing"
    " with them",
    "I'm about ready to kick you lot-to the curb",
    "What's Northwind doing to keep me? I'm halfway out the door",
    "I found the deal elsewhere that suits my driving range better",
    # a quote they'll take, a phone that can be cut off, students followed, packing us in, the
    # papers signed elsewhere and what to do on our side, why keep us on (blind call set 59), and
    # as the recognizer wrote them
    "Redshank quoted my tapas bar twenty-nine a month. I think I'll take it.",
    "We've built a viewing bridge, so the help phone in the middle can be cut off.",
    "My ukulele students have all gone to Jackdaw, and I'm tempted to follow them.",
    "Honestly, I've half a mind to pack you lot in.",
    "I signed the papers with Nightjar yesterday for the shop's phone. What do I do on your side?",
    "The broadband keeps dropping mid-class. Why should I keep you on?",
    "Hi, Redjan quoted my top as bar 29 a month. I think i'll take it",
    "may you collately students have all gone to Jakba and attempted to follow them.",
    "I signed the papers with Nights are yesterday for my costume shop's foam. What do i do on"
    " your side?",
    # an offer they'll go with, the other stallholders followed, showing us the door, why stick
    # it out, a line taken off the account, something else lined up (blind call set 60), and as
    # the recognizer wrote them
    "Grebe have offered my chip shop broadband for forty-five, so we'll be going with them.",
    "The other stallholders have all gone to Pipit. I reckon I'll fall in with them.",
    "I'm about ready to show you lot the door.",
    "So why would I stick it out with Northwind after that?",
    "The hut's been pulled down, so could you take the hut's phone line off our account, please?",
    "My phone contract is up at the end of the month, and I've already got something else lined"
    " up.",
    "Hi, I have a crate stall at the market and other stall holders all gone to Pippet. I reckon"
    " I'll fall in with them",
    "and about ready show you lot the door.",
    # a band followed, "jack it in", what keeps them with us, a SIM where it serves to go, a
    # business phone moved to a name and a code asked for it (blind call set 61), and as the
    # recognizer wrote them
    "My choir have all hopped across to Curlew, so I'll trail along after them.",
    "Honestly I'm about ready to jack it in with Northwind.",
    "So what keeps us with you, exactly?",
    "The boat's been sold, so the alarm SIM in it can go.",
    "I'm moving my office phone over to Tystie.",
    "The new lot need a code from you to take our numbers.",
    "Hi, my blue grass band have all jumped across to Sandirline. So I'll probably trail along"
    " after them",
    "so tell me what's keeping me with you because right now, i can't think of this single"
    " thing.",
    "Hi, I'm moving my studio phone over to SCOP and they need some code from you to bring my"
    " number.",
    # done with a line by what it served, brothers followed where they've gone, business taken
    # down the road, a number put over to a name, a code to bring "the" number, the case for
    # staying (blind call set 62), and as the recognizer wrote them
    "The kiosk's gone, so we're done with the line in it.",
    "My sisters' salons have all moved over to Whinchat, and I'll go where they went.",
    "Honestly I'll take our custom up the road.",
    "We're putting the surgery's number over to Dotterel.",
    "The new network says I need a code to take the number.",
    "So what's the argument for us staying?",
    "Hi, our drive in cinema has put an wired ticket barrier. So we're finished with the line and"
    " the old barrier can you stop it?",
    "Hi, my brothers Barbershops have both gone over to Woodlar. I think I'll go where they've"
    " gone",
    "I'm about ready to take my business down the road",
    "Honestly what's the case with me staying with Northland?",
    # a rival's offer to the caller's business, family on a name and "come across", the end of
    # the road, why renew (blind call set 63), and as the recognizer wrote them
    "Kittiwake have offered our bakery unlimited broadband for twenty-eight.",
    "All my mates are on Pintail. They want me to move over too.",
    "You and me have come to the end of the road, Northwind.",
    "Why should we renew with you?",
    "Hello, Harrier have offered my Boulder and Jim the same broadband for $31. I be foolish to"
    " refuse",
    "Hi, I'm McFudge and my whole family is on Wiggen now. They keep on at me to come across",
    "Me and Northland have reached the end of the road",
    # buskers followed where they are, sent packing, a line asked finished off (blind call set
    # 64), and as the recognizer wrote them
    "Everyone I sing with at the church has gone to Dunlin. I'll go where they are.",
    "Honestly, I'm ready to send you lot packing.",
    "Could you finish off the camera line for me?",
    "Everyone I bust with on the market square has gone over to chill. I reckon, I'll go where"
    " they are",
    "I run a salva jar and my bill is jumped to 51. It's high time i sent north wind packing",
    "Hi, I run a diner and we sold the old jukebox that played songs over one of your S.I.N.'s"
    " Could you finish off the jukebox line?",
    # what keeps me with Northwind, bowing out, a crew on a name (blind call set 65), and as the
    # recognizer wrote them
    "Honestly, what keeps me with Northwind?",
    "I'm about ready to bow out of Northwind.",
    "My whole crew are all on Goldeneye now. Thinking I'll do the same.",
    "I, I car by sculptures. I added data in your app and now my contract runs two more years"
    " honestly what keeps me with Northland?",
    "I take cockles and my crew are all on golden eye now, thinking I'll do the same.",
    # marching orders, a number going to live with a name (blind call set 66), and as the
    # recognizer wrote it
    "Honestly, I'm about ready to give you lot your marching orders.",
    "From next month our number is going to live with Blackcap.",
    "Hi, I'm a little T-shop and from next month its number is going to live with black. What do"
    " I sort at your end?",
    # separate ways, talked out of leaving (blind call set 67), and as the recognizer wrote it
    "I asked for that off in March! It's time Northwind and I went our separate ways.",
    "I ask for that often March, it's time North went in and I went our separate ways.",
    "My May bill is twenty-six dollars higher. Frankly, you'll have to talk me out of leaving.",
    # others gone and the caller next, losses cut, not carrying on with us (blind call set 68),
    # and as the recognizer wrote them
    "Hi. My whole steel band's taken their phones to Marram now, so I suppose I'll be next.",
    "Hi, my whole steel bands taking their phones to marry now so I suppose i'll be next",
    "Every month you charge my kimchi shop a late fee, though I always pay. Time I cut my "
    "losses, I think.",
    "My marionette theatre's phone contract ends in April, and I won't carry on with you after "
    "that.",
    # following "she", why we ought to remain, the cord cut, staying doubted (blind call set 69),
    # and as the recognizer wrote them
    "My sister and I are cat sitters. She's moved her phone to Lorikeet, and it'd be handier if "
    "mine went there too.",
    "Hi, my sister and I are cat sitters. She's moved her phone to Lorkey And it'd be handier if "
    "mine were there too",
    "It cut out in three classes this week. I struggle to see why we ought to remain with "
    "Northland.",
    "My phone's been at your repair centre three weeks. That's the last straw, I'm ready to cut "
    "the cord with Northwind.",
    "I dye wool in an old barn. I don't see my phone staying with North when much longer.",
    # family put on a name and going across with them, argued out of moving, the elbow (blind
    # call set 70), and as the recognizer wrote them
    "Hi, crochet designer here. My sister's put her whole family on Copperleaf. I'm thinking I "
    "might go across with them.",
    "Hi, crochet designer here. My sisters put her whole family on copper leaf I'm thinking they "
    "might go across with them.",
    "I run a paragliding school, and our phones have had no signal on the launch hill all week. "
    "Convince me not to move them somewhere else.",
    "I'm a pirate eater and you've charged me $15 for S.I.M., I never asked for, I am ready to "
    "give you lots of elbow.",
    "Persuade me to stay with Northwind, then.",
    # a friend or the new company moving them over, hanging up on us for good, an account wound
    # up, a line retired (blind call set 71)
    "My brother-in-law fits masts for Spindrift. Last night I said yes, he can move me over on "
    "Saturday.",
    "The minute I put this phone down, I'm ringing Lumenet to move us over.",
    "Honestly, I'm this close to hanging up on Northwind for good.",
    "Calder Health have taken over my hearing clinic, so our Northwind account needs winding up.",
    "Our dodgem ride's retiring after this season, so the cash booth's phone line can retire "
    "along with it, from Sunday.",
    # set up with a name by someone else, a SIM from another company, whoever's cheapest, a line
    # given up, no use for us (blind call set 72)
    "My husband's signed the house up with Kittering, and says my mobile goes in with it.",
    "My clerk's setting me up with Larkhollow on Monday unless you give me a reason not to.",
    "Contract's up Friday, then I'll stick a twelve-dollar SIM from Pellow's supermarket in the "
    "phone.",
    "The partners voted to move our instructors' phones to whoever's cheapest.",
    "We're giving up the line in the ghillies' hut.",
    "The rent covers phone and broadband, so I've no use for Northwind after this month.",
    # leaving for a name with no stay away after it (beside the trips of sets 71 and 73)
    "We're leaving for Skyline, they have roaming included.",
    "I'm leaving for Orbit next week. Will my phone work with them?",
])
def test_a_customer_leaving_is_read(text: str) -> None:
    assert leaving(text)


@pytest.mark.parametrize("text", [
    "I don't want to leave, I just want it fixed.",
    "I'm not switching, don't worry.",
    "I almost left you last year.",
    "I want to switch to a cheaper plan.",
    "I'm moving to a new flat next month.",
    "I'm off to Spain next week and I'd like a roaming cap.",
    "I cancelled my second line last month, but I'm still billed for it.",
    "Good, close the instalment plan.",
    "I'm switching phones, not networks.",
    "I pulled the plug on the router and it still drops.",
    "I shopped around before I joined you.",
    # looking elsewhere for something, the number onto another phone, a pass not renewed
    "I'm looking elsewhere in the app for the setting.",
    "Can I move my number over to my new phone?",
    "I'm not renewing the roaming pass.",
    "I'm getting rid of the old router.",
    # "cancel" with what is cancelled, or not wanted
    "I need to cancel, the parcel came broken.",
    "I want to cancel my order.",
    "Good news then, no need to cancel.",
    "Can I take my number over to my new phone?",
    # one line closed, the rest stays: not leaving
    "They have their own SIM now, so close the alarm line. My own phone stays with you.",
    # opting out of something, a network's settings, staying for the night
    "You share my location with advertisers? I want out.",
    "Can you help me find the network that my phone is on?",
    "Why should I stay in for the engineer all day?",
    # someone else's network or plan, and the caller not going anywhere
    "My sister's with Sandpiper, can I move her onto my plan?",
    "My son's on Unlimited. Can I move him over to it?",
    "My wife is with Heron and she wants to join my plan.",
    "I offered to pay it in two parts.",
    # a colleague's or another shop's offer, a question about others, a holiday, our own plan
    "Your agent Sarah offered me a twenty pound credit last time, but it never showed up.",
    "Amazon offered a refund but you didn't.",
    "Do other networks charge for roaming?",
    "My son is on holiday in Spain. Can I use my phone when I go there?",
    "My wife is on Unlimited, can I join her plan?",
    # a journey ("Uni" as Whisper wrote it)
    "Hi, I'm leaving for Uni on Saturday and my new SIM won't activate.",
    "Northwind offered me a credit last time.",
    # everything onto one of our plans, asked of us; a number onto the caller's plan
    "Can you move everything to Connect Forty?",
    "I'm moving her number onto my plan next month.",
    # a trip or a move home, said with the place or just after it; a plan of ours
    "I'm off to Portugal for ten days. Will my data work?",
    "We're moving to Harrow Lane in June, can the broadband come with us?",
    "I'm going to Berlin on Friday, is roaming included?",
    "I'm heading to Denver. Can I use my phone there?",
    "I'd like to go to Unlimited Plus, please.",
    "I want to go to Premium, is it cheaper on a two-year plan?",
    # stopping a line from doing something; a service moved home
    "Can you stop my daughter's line from calling premium numbers?",
    # an add-on's line closed, not the line
    "Please cancel the international roaming line rental.",
    "Can you cancel the data pass on my line?",
    "We're moving our broadband to Bristol next month, can it come with us?",
    # one phone (as often the handset), an order or an add-on ended, an old contract renewed
    "I'd like to cancel my phone order, it hasn't shipped.",
    "Can you cancel both phones' insurance?",
    "I want the roaming add-on cancelled.",
    "I want my line disconnected from premium numbers.",
    "I want my old contract ended and a new one started.",
    "Can I move all three to the family plan?",
    "Your agent Sarah gave me a credit.",
    # a SIM moved to a phone, a plan of ours gone to, switching something of ours
    "I'm moving my SIM over to Samsung, the new one.",
    "I'm going to Unlimited Plus.",
    "I'm switching phones next week.",
    "I am not switching.",
    # "it" for what is not ours to end, or "that" naming a thing; cancelling a day's payment
    "I ordered a new phone last week. I want to cancel it.",
    "There's a roaming bundle on my line and I want to cancel it.",
    "I got charged twice for the contract. Cancel that charge, please.",
    "I want to cancel today's payment.",
    "I want to get rid of my old phone, can you recycle it?",
    # opting out of a scheme, a handset, an add-on, a phone, a plan or a place
    "I read you share customers' location data with advertisers. I want out.",
    "Please cancel our new phone, it hasn't shipped yet.",
    "Close the roaming data add-on account.",
    "I am taking the number over to my new phone.",
    "Can you move it over to Family Share?",
    "We're moving it over to Bristol next month.",
    # SIMs on their way or spare, an appointment with us, paying for an add-on
    "Can you cancel the SIMs you sent me? I ordered the wrong size.",
    # a plan of ours or a phone put somewhere, going over with someone to a shop, argued out of
    # a purchase, staying on the line, room given (near misses of blind call set 70's shapes)
    "My sister's put her kids on Family Share. I might go across with them.",
    "My sister's put her phone on charge. I'll go over with her.",
    "My mum's put her phones on Unlimited Plus. I'll go across with her.",
    "My sister's with Sandpiper. I'll go over with her to the shop.",
    "Convince me not to buy the case.",
    "Convince me to stay on the line while you check.",
    "I'll give you lots of elbow room on the price.",
    # us moving them to a plan or an exchange, a bank rung, a call hung up on, a line needing a
    # repair, a cable wound up, a person retiring (near misses of blind call set 71's shapes)
    "Can you move me over to Unlimited Plus?",
    "The engineer can move us over to the new exchange on Friday.",
    "I'm ringing my bank to move the payment date.",
    "I'm this close to hanging up the phone, it keeps dropping.",
    "The line needs checking, it crackles every time it rains.",
    "Hold on, I'm winding up the charger cable for the line box.",
    "My dad is retiring next year, can the line move to his name?",
    "That model gives you lots of boot space.",
    # a plan of ours or a rival's app set up, a SIM for a trip, a line kept, voicemail not
    # needed, an app login closed (near misses of blind call set 72's shapes)
    "Could you set me up with Family Unlimited?",
    "She set me up with Kittering's app for my shop.",
    "I'll buy a SIM from Movistar while I'm in Spain.",
    "I'm not giving up my line, I just want it fixed.",
    "I'd like to give up the roaming pass.",
    "I have no need for voicemail.",
    "I'd like to close my account, the online one, the app login.",
    "I want to close my online account.",
    "Please cancel the spare SIMs, we found the old ones.",
    "I'd like to cancel my appointment with you on Friday.",
    "Why should I keep paying for roaming I never use?",
    # a charge to be ended, moving over to another of our plans, following up
    "I'd like that charge ended, it was a mistake.",
    "The roaming bundle can be cancelled once I'm home.",
    "I'm moving over to the Unlimited plan.",
    "My sister has her phone with Kestrel. Can you follow up on my repair?",
    # a partner who left, going with someone to a shop, staying in, a bill in the past
    "My business partner and I parted company last year, so the account is just mine now.",
    "My husband's moved his phone to a new handset. I'm going along with him to the shop.",
    "Give me a good reason to stay in for the engineer all day.",
    "This was my last bill with you before the price went up, right?",
    # charges ended, giving up on a router, a PUK or voicemail code, an appointment moved
    "I want those charges ended.",
    "I'm about to throw in the towel with this router.",
    "I need the PUK code for my SIM.",
    "What's the code for my voicemail?",
    "I need the security code for my number.",
    "The engineer can't come on Friday, so we're moving it to Monday.",
    # an installation or an upgrade cancelled, a trip said with its when before it or what it
    # is for, a line that goes down, an outage run its course, tagging along to a shop, a
    # relative's thing gone over to a phone (blind call set 52's near misses)
    "I need to cancel a broadband installation. The storage unit deal fell through.",
    "Please cancel the broadband upgrade, the old speed is fine.",
    "Next week I'm off to Germany, will my texts reach me?",
    "I'm off to Germany for a reptile show.",
    "The line can go down for hours.",
    "The outage has run its course, it's fine now.",
    "My sister's going to the shop, I'll tag along.",
    "My son's old phone just went over to Samsung's trade-in.",
    "What's the point of staying in for the engineer?",
    "We have run our course on first aid.",
    "My sister's phone went over to my plan. I'll tag along.",
    # our own quote accepted, someone else's quote, an add-on switched off for good, the
    # everyday ones gone on a trip, what is no longer needed that is no line, notice given at
    # work (near misses of blind call set 53's shapes)
    "You quoted me forty for the upgrade and I'm inclined to accept.",
    "My brother got a quote from the garage and he's inclined to accept.",
    "Please switch the roaming off for good, I never travel.",
    "Everyone in my office has gone to Spain for the conference.",
    "We won't be needing the engineer visit after all.",
    "We won't be needing the line rental any more.",
    "I handed in my notice at work, so money is tight.",
    "Why should I stick around in for an engineer who never comes?",
    # calling the call a day, what the money gets, an engineer or roaming stopped, a plan moved
    # over to, a team on a plan, an unlock code, an add-on signed up for again, someone moved
    # over (near misses of blind call set 54's shapes)
    "Let's call it a day, thanks for your help.",
    "What am I getting for my money on this plan?",
    "The engineer visit can be stopped now, the fault's fixed.",
    "The roaming can be switched off now I'm home.",
    "I'll move over to the bigger plan too.",
    "My whole team is on the Business plan.",
    "Do I need a code to unlock my phone?",
    "I'm signing up again for the roaming pack.",
    "Can I move my husband over too?",
    # a problem washed hands of, a streaming service signed up with through us, a bill settled,
    # a charge carrying on, a partner gone elsewhere and the caller staying (near misses of
    # blind call set 55's shapes)
    "Honestly, I wash my hands of it, the engineer can sort it out.",
    "I've signed up with Netflix through you, and what I owe this month went up.",
    "What do I owe you to settle up this month's bill?",
    "My daughter signed up with Netflix last week and loves it.",
    "Why should it carry on charging me after I paid?",
    "My partner's van has just gone over to Bittern, but I'm staying with you.",
    # a line moved, a vet's clinic moved, a goodbye at the call's end, a boot given to someone
    # else (near misses of blind call set 56's shapes)
    "The line in the kitchen can be moved to the hall.",
    "My vet moved her clinic to Bristol, I'll follow her there next month.",
    "Okay, I'll say goodbye to you then, thanks.",
    "My boss gave the old supplier the boot, so we're staying with you.",
    "What reason is there to stay on the line?",
    # no wish to change, a tie cut elsewhere, an unlock code, our quote taken up (near misses of
    # blind call set 57's shapes)
    "I've heard Fulmar is cheaper, but I have no wish to change provider.",
    "We cut ties with our old supplier last year and came to you.",
    "Is there a code that lets me unlock the phone?",
    "You quoted me 30 a month for the upgrade and I mean to take you up on it.",
    # leaning towards a plan of ours, a line cut off by a fault, what keeps data safe, a door
    # left in the past, a deal looked for, a router kicked out (near misses of set 58's shapes)
    "I'm leaning towards the unlimited plan, what does it cost?",
    "You cut off my line yesterday without any warning!",
    "Could you cut off the roaming on my line while I'm away?",
    "What are you doing to keep my data safe?",
    "I was halfway out the door when the engineer rang.",
    "Is there a better deal elsewhere, or is this the cheapest?",
    "I'm kicking the old router to the kerb once the new one comes.",
    # our quote taken, a handset switched off, a phone cut off for a reason, students on holiday,
    # packing for a move, papers signed with a landlord, insurance kept on (near misses of set
    # 59's shapes)
    "You quoted me 30 for the upgrade. I think I'll take it.",
    "The phone in the van can be switched off at night.",
    "My phone could be cut off if the bill isn't paid?",
    "My students have all gone to Spain for the summer, and I'm tempted to follow them.",
    "Time to pack it in for the day, I think.",
    "I signed the papers with the landlord yesterday. What do I do on your side to move the"
    " broadband?",
    "Why should I keep the insurance on?",
    # a door shown to a guest, an appointment lined up, a bolt-on taken off the bill, a trip
    # fallen in with (near misses of set 60's shapes)
    "Could you show the engineer the door to the cabinet?",
    "I've got something else lined up for Friday, can the engineer come Monday?",
    "Could you take the roaming bundle off my bill?",
    "The other cyclists have all gone to Spain for the race. I'll fall in with them next week.",
    # a job jacked in, a replaced SIM, a studio phone moved to a handset or a place, a band on
    # tour (near misses of set 61's shapes)
    "I jacked it in with the bakery last year, so I'm home more now.",
    "The new SIM works, so the old SIM can go.",
    "I'm moving my work phone over to Samsung.",
    "I'm moving my studio phone over to Leeds next month, will it work there?",
    "My band have all gone to Spain for the tour, so I'll trail along after them.",
    # a line test done, a number moved down the road with the caller, a phone put to a new SIM,
    # brothers followed on a trip (near misses of set 62's shapes)
    "We're done with the line test now, thanks.",
    "I'm taking my number down the road, I'm moving house.",
    "I'm putting my phone over to my new SIM.",
    "My brothers went to Spain and I'll go where they went for the summer.",
    # a job offered to the caller's son, a repair at its end, a phone at its end, a passport
    # renewed, family come over for a visit (near misses of set 63's shapes)
    "Tesco offered my son a job, so he's moving out.",
    "I think we've reached the end of the road with the repairs.",
    "My phone has reached the end of the road.",
    "Why should I renew my passport before the trip?",
    "My family came over for Christmas.",
    # mates gone to the pub, an engineer sent packing, a set-up finished off (near misses of set
    # 64's shapes)
    "My mates have gone over to the pub. I'll go where they are.",
    "I sent the engineer packing, he was no help.",
    "Could you finish off the setup of my line?",
    # bowing out of a quiz, a crew on holiday (near misses of set 65's shapes)
    "I'll bow out of the pub quiz this year.",
    "My crew are all on holiday now, thinking I'll do the same.",
    "My crew are all on nights now, thinking I'll do the same.",
    # a manager's marching orders, a number handed to a daughter (near misses of set 66's shapes)
    "The manager gave him his marching orders last week.",
    "My old number is going to live with my daughter now.",
    # a couple who parted, a purchase talked out of (near misses of set 67's shapes)
    "My ex and I went our separate ways last year, so I need the bill in my name.",
    "My wife talked me out of buying the new phone, so I'll keep this one.",
    # a queue's turn, losses on a phone, a repair carried on (near misses of set 68's shapes)
    "My whole band's been served already, so I suppose I'll be next in the queue for a SIM.",
    "Time I cut my losses on this old handset and get a new one from you.",
    "I won't carry on with the repair, just send me a new phone.",
    # a phone moved to a room, a charger's cord, a guest's stay (near misses of set 69's shapes)
    "She's moved her phone to the spare room, and it'd be handier if mine went there too.",
    "The dog chewed the charger, so I had to cut the cord with scissors and bin it.",
    "I don't see my mum staying with us past Easter, so can we take her off the plan?",
    # leaving for a place, a stay away after it (blind call sets 71 and 73)
    "Hiya. I coach a dragon boat crew, and we're leaving for Lake Bled on Sunday, three weeks' "
    "training. Will my phone work over there?",
    "Hi. I run sled dogs, and I'm leaving for Lapland in November for the winter. Will my "
    "phone work there?",
    "",
])
def test_what_is_not_leaving_is_not_read(text: str) -> None:
    assert leaving(text) is None


def _with_reader(tmp_path) -> Checklists:
    return prepared_with(tmp_path, 'examples = ["I want to cancel my contract."]',
                         'reader = "leaving"\nunless = ["to you"]')


def test_the_reader_brings_the_condition_up_and_unless_still_vetoes(tmp_path):
    call = _with_reader(tmp_path).call()
    (applies,) = call.on_caption(said("c1", "Fine. I'm taking my number to Vantel.",
                                      channel="customer"), 1.0)
    assert (applies.kind, applies.item, applies.score) == ("applies", "retention", None)
    assert applies.words == "I'm taking my number to Vantel."
    call = _with_reader(tmp_path / "b").call()
    assert call.on_caption(said("c1", "I'm moving my number over to you from Vantel.",
                                channel="customer"), 1.0) == []
    # the agent saying it brings nothing up (the condition is the customer's)
    call = _with_reader(tmp_path / "c").call()
    assert call.on_caption(said("c1", "Are you taking your number to Vantel?"), 1.0) == []


@pytest.mark.parametrize(("text", "stays"), [
    ("I'm not leaving Northwind, by the way.", True),
    ("We're not switching, don't worry.", True),
    ("I'm staying with you.", True),
    ("I'm not happy, I'm leaving.", False),
    ("I want to cancel my contract.", False),
    # changing something they have with us; a contract's end as a fact
    ("I'd like to switch to a contract.", True),
    ("I want to leave pay-as-you-go.", True),
    ("My contract ends soon.", True),
    ("My contract ends soon and I'm going to Orbit.", False),
    ("I'm switching to a plan with Orbit.", False),
    # an add-on cancelled, a SIM moved to another phone, an account that is with us (the
    # examples' false ticks on three scripts)
    ("I want to cancel my international calling add-on.", True),
    ("Please cancel the insurance. I'm keeping my phone plan, mind.", True),
    ("I got a text saying my SIM moved to a new phone, and it wasn't me.", True),
    ("My company wants to put my number on their business account with you.", True),
    ("I want to cancel my contract.", False),
    # an account's web login closed (blind call set 72), not the account
    ("I'd like to close my account the online one The app log", True),
    ("I want to close my online account.", True),
    ("I want to close my account.", False),
])
def test_a_caller_saying_they_are_not_leaving_is_read(text: str, stays: bool) -> None:
    assert staying(text) is stays
