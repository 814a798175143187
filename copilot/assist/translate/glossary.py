"""A customer-service glossary: French and Spanish words to English, for *searching* only.

When no translation model is installed (and the LLM cannot translate: SmolLM2-135M echoes French
back), a typed question in French or Spanish still has to meet an English knowledge base.
Whisper translates live speech, but not text. This glossary maps the vocabulary customers use
about bills, plans, phones, contracts and travel to English words, word by word; the result is a
bag of English keywords for the knowledge search, never a sentence shown to anyone (it is not a
translation: word order, grammar and everything outside the glossary are dropped).

Entries are word stems, accent- and case-folded: a customer's word matches the longest entry it
starts with (at least 4 letters, or the whole word for shorter entries), so "résilie",
"résilier" and "résiliation" all give "cancel". Relevance is still judged by the knowledge base
(kb_query/knowledge): a glossary hit only supplies words, it never makes a passage relevant.
"""

from __future__ import annotations

import re

from copilot.knowledge.query import fold

# stem -> English keywords. Kept to the service domain on purpose: a general dictionary would
# add words that make unrelated passages look relevant.
_FR = {
    "factur": "bill charge", "prelev": "charge payment", "paiement": "payment",
    "payer": "pay", "paye": "paid", "deux fois": "twice", "double": "double",
    "rembours": "refund", "frais": "fee", "penalit": "fee penalty", "tarif": "price rate",
    "cout": "cost", "prix": "price", "gratuit": "free", "cher": "expensive cost",
    "resili": "cancel", "annul": "cancel", "contrat": "contract", "engagement": "contract",
    "abonnement": "plan subscription", "forfait": "plan", "offre": "plan offer",
    "telephone": "phone", "portable": "phone mobile", "mobile": "mobile phone",
    "appareil": "device", "tablette": "tablet device", "montre": "watch device",
    "numero": "number", "garder": "keep", "conserver": "keep", "transfer": "transfer port",
    "etranger": "abroad", "voyag": "travel", "itinerance": "roaming", "roaming": "roaming",
    "mexique": "mexico", "canada": "canada", "donnees": "data", "internet": "data",
    "appel": "call calls", "sms": "texts", "message": "texts", "retard": "late",
    "en retard": "late", "echeance": "due date", "mois": "month", "annee": "year",
    "etudiant": "student", "reduction": "discount", "remise": "discount",
    "identite": "identity", "verifi": "verify", "mot de passe": "pin password", "code": "code",
    "carte": "card", "bancaire": "card", "compte": "account", "adresse": "address",
    "responsable": "manager supervisor", "plainte": "complaint", "famille": "family",
    "illimit": "unlimited", "combien": "how much",
}
_ES = {
    "factur": "bill charge", "cobr": "charge charged", "pago": "payment", "pagar": "pay",
    "dos veces": "twice", "doble": "double", "reembols": "refund", "devol": "refund",
    "cargo": "charge fee", "comision": "fee", "tarifa": "fee rate", "multa": "fee penalty",
    "cuesta": "cost", "costo": "cost", "coste": "cost", "precio": "price", "gratis": "free",
    "cancel": "cancel", "contrato": "contract", "plan": "plan", "suscrip": "subscription",
    "telefono": "phone", "celular": "phone mobile", "movil": "mobile phone",
    "dispositivo": "device", "tableta": "tablet device", "reloj": "watch device",
    "numero": "number", "mantener": "keep", "conservar": "keep", "portab": "transfer port",
    "extranjero": "abroad", "viaj": "travel", "roaming": "roaming", "itinerancia": "roaming",
    "mexico": "mexico", "canada": "canada", "datos": "data", "internet": "data",
    "llamada": "call calls", "mensaje": "texts", "retras": "late", "atrasad": "late",
    "vencimiento": "due date", "mes": "month", "ano": "year", "estudiant": "student",
    "descuento": "discount", "identidad": "identity", "verific": "verify",
    "contrasena": "pin password", "codigo": "code", "tarjeta": "card", "cuenta": "account",
    "direccion": "address", "supervisor": "supervisor manager", "gerente": "manager",
    "queja": "complaint", "familia": "family", "ilimitad": "unlimited", "usar": "use",
}
GLOSSARIES: dict[str, dict[str, str]] = {"fr": _FR, "es": _ES}
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
_MIN_PREFIX = 4


class GlossaryTranslator:
    """`copilot.knowledge.base.Translator` for the knowledge search: English keywords for the
    glossary's words, in the order they were said; "" when none is known."""

    def __init__(self, glossaries: dict[str, dict[str, str]] | None = None) -> None:
        self.glossaries = {lang: {fold(k): v for k, v in g.items()}
                           for lang, g in (glossaries or GLOSSARIES).items()}

    def languages(self) -> tuple[str, ...]:
        return tuple(sorted(self.glossaries))

    def translate(self, text: str, src: str, tgt: str) -> str:
        if tgt != "en" or src not in self.glossaries:
            return ""
        glossary = self.glossaries[src]
        phrases = {k: v for k, v in glossary.items() if " " in k}
        folded = fold(text)
        out: list[str] = []
        for phrase, english in phrases.items():  # "deux fois", "en retard", "dos veces"
            if re.search(rf"\b{re.escape(phrase)}\b", folded):
                out.append(english)
                folded = re.sub(rf"\b{re.escape(phrase)}\b", " ", folded)
        for word in _WORD.findall(folded):
            english = _lookup(glossary, word.split("'")[-1].split("\u2019")[-1])
            if english:
                out.append(english)
        return " ".join(dict.fromkeys(out))


def _lookup(glossary: dict[str, str], word: str) -> str:
    if word in glossary:
        return glossary[word]
    for n in range(len(word), _MIN_PREFIX - 1, -1):  # the longest stem the word starts with
        english = glossary.get(word[:n])
        if english is not None and (n >= _MIN_PREFIX):
            return english
    return ""
