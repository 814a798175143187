"""Customer signals: frustration and escalation cues from the customer's own words.

Principle 6 (docs/architecture.md): only the customer's channel, only the text. Agent captions (and mono
captions, where the speaker is unknown) are ignored entirely: they neither raise nor decay a
level. Nothing here listens to the voice or scores the agent.

A lexicon, not a model: every cue is a phrase the agent can see in `Signal.words`, so a level is
always explained. English, French and Spanish are matched on every caption (the ASR's language
guess can be wrong for one short turn, and the three lexicons hardly overlap).

- frustration: "ridiculous", "fed up", "this is the third time", "I've been waiting", "nobody",
  swearing (reported masked, "f***"), shouting (all-caps words), repeated "!".
- escalation: requests ("manager", "complaint", "lawyer", "ombudsman") and churn threats ("cancel
  my account"). Churn alone is a cue, but a customer calling to cancel is not "heated".
- negation: a cue with "not", "n't", "no", "pas", "jamais"... in the few words before it, in the
  same clause, does not count ("I'm not angry", "no es ridículo"); cues that contain their own
  negation ("not acceptable", "pas content") are phrases of the lexicon.

Levels: each customer turn first decays the level (x `decay`), then adds the turn's cues as
independent evidence (noisy-or: 1 - (1 - level) * prod(1 - weight)), so a level stays in 0..1
and fades over calm turns. A Signal is emitted for a kind when a turn has cues of it, and once
with no words when its level has faded below `clear_below` (the UI may dim the cue then).

"offer_escalation" is raised once per call, when `heated_turns` of the last `window` customer
turns were heated (frustration, or an escalation *request*): repeated frustration, or a request
for a manager made twice.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from copilot.events import CUSTOMER, Caption, Signal
from copilot.knowledge.query import fold

__all__ = ["Cue", "SignalSettings", "SignalTracker", "find_cues"]

FRUSTRATION, ESCALATION, OFFER = "frustration", "escalation", "offer_escalation"


@dataclass(frozen=True)
class SignalSettings:
    decay: float = 0.6  # a level's share kept over one customer turn
    clear_below: float = 0.25  # a shown level fading under this is announced once, words=()
    window: int = 4  # customer turns considered for offer_escalation
    heated_turns: int = 2  # heated turns in the window that raise offer_escalation
    channels: tuple[str, ...] = (CUSTOMER,)  # never the agent's, never mono


@dataclass(frozen=True)
class Cue:
    kind: str  # frustration | escalation
    weight: float  # 0..1, evidence of one occurrence
    words: str  # as the customer said them (swearing masked)
    request: bool = False  # an escalation request (manager, complaint), not a churn threat


def _lexicon(spec: str) -> list[tuple[float, tuple[frozenset[str], ...]]]:
    """"0.6: a b|c; d ..." -> [(0.6, ({a}, {b, c})), (0.6, ({d},))]: a phrase is a sequence of
    word slots, each slot a set of alternatives ("*" = any one word), folded like the text."""
    out = []
    for group in spec.split("\n"):
        if not group.strip():
            continue
        weight, phrases = group.split(":", 1)
        for phrase in phrases.split(";"):
            if phrase.strip():
                out.append((float(weight), tuple(frozenset(fold(a) for a in slot.split("|"))
                                                 for slot in phrase.split())))
    return out


# Weights: 0.6 a strong cue on its own, 0.45 a clear one, 0.3 a mild one. Phrases over words:
# "second time" is frustration, "time" is not.
_FRUSTRATION = _lexicon("""
0.6: ridiculous; unacceptable; not acceptable; outrageous; absurd; insane; fed up; sick of;
0.6: sick and tired; had enough; furious; livid; scam; rip off; ripoff; useless; incompetent;
0.6: disgrace; disgraceful; pathetic; a joke; waste of time; wasting my time; how many times
0.45: frustrated; frustrating; frustration; annoyed; annoying; angry; upset; not happy; unhappy;
0.45: disappointed; terrible; horrible; awful; worst; can't|cannot believe; hung up on me;
0.45: third|fourth|fifth|sixth|tenth|umpteenth|hundredth time; i've|ive been waiting;
0.45: been waiting; still waiting; on hold for; waited * hours|days|weeks; already told you;
0.45: already explained; told you already; keep telling you; every single time
0.3: second time; nobody; no one helped|called|answered|listens|cares|bothered; never called back;
0.3: still not; still haven't|hasn't|no; seriously; come on; again and again; every time
0.6: ridicule; inacceptable; inadmissible; pas acceptable; scandaleux; scandale; honteux;
0.6: une honte; n'importe quoi; j'en ai marre; marre; ras le bol; arnaque; combien de fois;
0.6: perte de temps; furieux; furieuse
0.45: en colere; enerve; enervee; agace; agacee; frustre; frustree; frustrant; decu; decue;
0.45: pas content; pas contente; troisieme fois; j'attends depuis; deja dit; deja explique;
0.45: toujours pas; nul
0.3: deuxieme fois; encore une fois; personne ne; personne m'a
0.6: ridiculo; inaceptable; inadmisible; no es aceptable; una verguenza; verguenza; harto;
0.6: harta; estafa; perdida de tiempo; cuantas veces; furioso; furiosa
0.45: frustrado; frustrada; frustrante; enojado; enojada; enfadado; enfadada; molesto; molesta;
0.45: decepcionado; decepcionada; tercera vez; llevo * esperando; estoy esperando; ya le dije;
0.45: ya te dije; ya lo explique; no estoy contento; no estoy contenta
0.3: segunda vez; otra vez; nadie; todavia no; aun no
""")
_REQUESTS = _lexicon("""
0.9: lawyer; attorney; solicitor; legal action; sue you|your; going to sue; will sue; i'll sue;
0.9: take you to court; ombudsman; regulator;
0.9: consumer protection; better business bureau; fcc
0.7: manager; supervisor; someone in charge; person in charge; your boss; escalate;
0.7: speak|talk to someone|somebody else; speak|talk to a human|person; formal complaint
0.6: complaint; complain
0.9: avocat; mediateur; porter plainte; association de consommateurs
0.7: un|votre|le responsable; superviseur; votre superieur; parler a quelqu'un d'autre
0.6: plainte; reclamation
0.9: abogado; abogada; demandar; denunciar; defensor del consumidor; profeco
0.7: gerente; supervisor; supervisora; encargado; encargada; su|tu jefe; su|tu superior;
0.7: hablar con otra persona
0.6: queja; reclamacion; reclamo
""")
_CHURN = _lexicon("""
0.5: cancel my account|contract|service|subscription|plan|line|number; close my account;
0.5: want to cancel; going to cancel; i'll cancel; switch to another|a; switch carriers;
0.5: switch providers; take my business elsewhere; cancel everything
0.5: resilier mon abonnement|contrat|forfait|compte|ligne; veux resilier; vais resilier;
0.5: voudrais resilier; changer d'operateur; aller a|chez la concurrence
0.5: cancelar mi cuenta|contrato|servicio|plan|linea; quiero cancelar; voy a cancelar;
0.5: darme de baja; dar de baja; cambiarme de compania|operador; cambiar de compania|operador
""")
# Swearing: words starting with a stem ("fucking", "shitty", "merdique"), milder words as they
# are, and masked swearing as transcripts write it ("f***", "s**t", "****"). Reported masked.
_SWEAR_STEMS = tuple(fold(w) for w in
                     "fuck bullshit shit asshole merd putain connard mierd joder gilipoll".split())
_SWEAR_WORDS = {fold(w): 0.6 for w in "bastard coño puta hostia carajo".split()} | {
    fold(w): 0.45 for w in "damn damned crap crappy bloody bordel".split()}
_SWEAR_WEIGHT, _SHOUT_WEIGHT, _BANG_WEIGHT = 0.6, 0.3, 0.3
_INTENSIFIERS = {fold(w) for w in "really so very extremely totally absolutely tres vraiment "
                                  "muy realmente".split()}
_INTENSIFIER_BONUS = 0.15
# Words before a cue that negate it ("not angry", "n'est pas ridicule", "no es ridículo"), and
# how far back they reach (the same clause only). "never" is left out: "I've never been so
# angry" is a cue.
_NEGATORS = {"not", "no", "without", "nothing", "hardly", "pas", "jamais", "sans", "ni",
             "sin", "nunca", "tampoco", "nor"}
_NEG_WINDOW = 3
# Acronyms said in capitals that are not shouting.
_ACRONYMS = {"ok", "id", "pin", "sim", "gb", "mb", "sms", "usa", "uk", "eu", "tv", "iphone",
             "ssn", "fcc", "bbb", "faq", "vat", "app", "esim", "atm", "ceo"}

_WORD = re.compile(r"[^\W\d_]?\*+[^\W\d_]*\**|[^\W_]+(?:['\u2019][^\W_]+)*")
_CLAUSE = re.compile(r"[.!?;:,()\u2013\u2014]+|\s-\s")
_MASKS = re.compile(r"\[[^\]]*\]")  # redaction masks: "[card number]", "[SSN]"


def _words(text: str) -> list[str]:
    return [m.group() for m in _WORD.finditer(text)]


@dataclass
class _Tok:
    raw: str
    low: str
    clause: int


def _tokens(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    for clause, part in enumerate(_CLAUSE.split(_MASKS.sub(" ", text))):
        out.extend(_Tok(w, fold(w.replace("\u2019", "'")), clause) for w in _words(part))
    return out


def _negated(toks: list[_Tok], i: int) -> bool:
    return any(t.clause == toks[i].clause and (t.low in _NEGATORS or t.low.endswith("n't")
                                               or t.low.startswith("n'") or t.low == "ne")
               for t in toks[max(0, i - _NEG_WINDOW):i])


def _match(toks: list[_Tok], i: int, slots: tuple[frozenset[str], ...]) -> bool:
    if i + len(slots) > len(toks) or any(t.clause != toks[i].clause
                                         for t in toks[i:i + len(slots)]):
        return False
    return all("*" in s or toks[i + k].low in s for k, s in enumerate(slots))


def _phrase_cues(toks: list[_Tok], kind: str, request: bool,
                 lexicon: list[tuple[float, tuple[frozenset[str], ...]]],
                 taken: set[int]) -> list[Cue]:
    out = []
    for i in range(len(toks)):
        if i in taken:
            continue
        # The longest phrase starting here wins ("not acceptable" over "acceptable").
        best = max(((w, s) for w, s in lexicon if _match(toks, i, s)),
                   key=lambda ws: (len(ws[1]), ws[0]), default=None)
        if best is None or any(k in taken for k in range(i, i + len(best[1]))):
            continue
        weight, slots = best
        taken.update(range(i, i + len(slots)))
        if _negated(toks, i):
            continue
        if i > 0 and toks[i - 1].low in _INTENSIFIERS and toks[i - 1].clause == toks[i].clause:
            weight = min(1.0, weight + _INTENSIFIER_BONUS)
        out.append(Cue(kind, weight, " ".join(t.raw for t in toks[i:i + len(slots)]), request))
    return out


def _mask(word: str) -> str:
    return word if "*" in word else word[0] + "*" * (len(word) - 1)


def find_cues(text: str) -> list[Cue]:
    """Every cue in one customer utterance, in the order: requests, churn, frustration, style."""
    toks = _tokens(text)
    taken: set[int] = set()
    cues = _phrase_cues(toks, ESCALATION, True, _REQUESTS, taken)
    cues += _phrase_cues(toks, ESCALATION, False, _CHURN, taken)
    cues += _phrase_cues(toks, FRUSTRATION, False, _FRUSTRATION, taken)
    for i, t in enumerate(toks):
        if i in taken:
            continue
        if "*" in t.raw:  # masked by the transcriber: swearing, whatever it was
            cues.append(Cue(FRUSTRATION, _SWEAR_WEIGHT, _mask(t.raw)))
        elif t.low.startswith(_SWEAR_STEMS) or t.low in _SWEAR_WORDS:
            # Not negation-aware: "no shit", "I don't give a damn" are still swearing.
            cues.append(Cue(FRUSTRATION, _SWEAR_WORDS.get(t.low, _SWEAR_WEIGHT), _mask(t.raw)))
    shouted = [t.raw for t in toks if len(t.raw) >= 3 and t.raw.isupper()
               and t.raw.isalpha() and t.low not in _ACRONYMS]
    if shouted and len(shouted) < len(toks):  # an all-caps transcript is a style, not a shout
        cues.append(Cue(FRUSTRATION, _SHOUT_WEIGHT + (0.15 if len(shouted) > 1 else 0.0),
                        " ".join(shouted[:3])))
    bangs = re.findall(r"[!?]*![!?]*", text)
    if any(len(b) > 1 for b in bangs) or len(bangs) > 2:
        cues.append(Cue(FRUSTRATION, _BANG_WEIGHT, max(bangs, key=len)))
    return cues


def _combine(level: float, weights: Iterable[float]) -> float:
    rest = 1.0 - level
    for w in weights:
        rest *= 1.0 - w
    return 1.0 - rest


class SignalTracker:
    """Feed it every caption of a call (any channel, partial or final); it answers with the
    Signal events that caption causes (often none). One tracker per call; not thread-safe
    (feed it from one assist worker)."""

    def __init__(self, settings: SignalSettings | None = None) -> None:
        self.settings = settings or SignalSettings()
        self.reset()

    def reset(self) -> None:
        """Forget everything: a new call."""
        self.levels: dict[str, float] = {FRUSTRATION: 0.0, ESCALATION: 0.0}
        self._shown: set[str] = set()  # kinds whose last emitted level was above clear_below
        self._recent: deque[tuple[Cue, ...]] = deque(maxlen=max(1, self.settings.window))
        self.offered = False

    def feed(self, caption: Caption, at: float | None = None) -> list[Signal]:
        """Signals for one caption; `at` is the emission time (default: the caption's)."""
        if not caption.final or caption.channel not in self.settings.channels:
            return []
        return self.customer_turn(caption.id, caption.text,
                                  caption.at if at is None else at)

    def customer_turn(self, of: str, text: str, at: float) -> list[Signal]:
        cfg = self.settings
        cues = find_cues(text)
        out: list[Signal] = []
        for kind in (FRUSTRATION, ESCALATION):
            mine = [c for c in cues if c.kind == kind]
            level = _combine(self.levels[kind] * cfg.decay, (c.weight for c in mine))
            self.levels[kind] = level
            if mine:
                words = tuple(dict.fromkeys(c.words for c in mine))
                out.append(Signal(of, kind, round(level, 3), words, at))
                self._shown.add(kind)
            elif kind in self._shown and level < cfg.clear_below:
                out.append(Signal(of, kind, round(level, 3), (), at))
                self._shown.discard(kind)
        self._recent.append(tuple(c for c in cues if c.kind == FRUSTRATION or c.request))
        heated = [t for t in self._recent if t]
        if not self.offered and len(heated) >= cfg.heated_turns:
            self.offered = True
            words = tuple(dict.fromkeys(c.words for t in heated for c in t))
            out.append(Signal(of, OFFER, round(max(self.levels.values()), 3), words, at))
        return out
