"""Practice mode: simulated customer calls for training, with feedback and a scorecard.

Built on the live engine (knowledge base, verifier, redaction, LLM, ASR) but kept apart from
live calls: its own database, and it never runs while a live call does (guard.py).
"""

from copilot.locks import (
    LiveCallActive,
    PracticeGuard,
    live_call,
    live_call_active,
    practice_active,
    practice_lock,
)
from copilot.practice.catalog import Offer, find_offered, offers
from copilot.practice.scenario import (
    Scenario,
    ScenarioError,
    find_scenario,
    list_scenarios,
    load_scenario,
)
from copilot.practice.scorecard import Scorecard, TurnFeedback, TurnResult
from copilot.practice.session import PracticeError, PracticeOptions, PracticeSession
from copilot.practice.store import PracticeStore

__all__ = [
    "LiveCallActive", "Offer", "PracticeError", "PracticeGuard", "PracticeOptions", "PracticeSession",
    "PracticeStore", "Scenario", "ScenarioError", "Scorecard", "TurnFeedback", "TurnResult",
    "find_offered", "find_scenario", "list_scenarios", "offers", "live_call", "live_call_active", "load_scenario",
    "practice_active", "practice_lock",
]
