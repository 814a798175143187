"""Privacy before anything is kept or shown: redaction of card numbers, security codes and
national ID numbers (also spoken as words and split across captions), used by the call session
on every caption before it is stored, shown, logged or given to a model."""

from copilot.privacy.payment import PAYMENT_MODE_TEXT, is_payment_masked
from copilot.privacy.redaction import Redacted, Redactor, luhn_ok

__all__ = ["PAYMENT_MODE_TEXT", "Redacted", "Redactor", "is_payment_masked", "luhn_ok"]
