"""Privacy before anything is kept or shown: redaction of card numbers, security codes and
national ID numbers (also spoken as words and split across captions), used by the call session
on every caption before it is stored, shown, logged or given to a model."""

from copilot.privacy.payment import PAYMENT_MODE_TEXT, is_payment_masked
from copilot.privacy.redaction import CARD_ENDING, Redacted, Redactor, card_label, luhn_ok

__all__ = ["CARD_ENDING", "PAYMENT_MODE_TEXT", "Redacted", "Redactor", "card_label",
           "is_payment_masked", "luhn_ok"]
