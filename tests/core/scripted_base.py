"""A stand-in for the knowledge base in tests of the call's topic (copilot/knowledge/topic.py):
`search_window` answers from a script keyed by the utterances searched together, so a test says
which passages the turn alone and the turns together rank, not which text would rank them."""

from __future__ import annotations


class ScriptedBase:
    lang = "en"

    def __init__(self, script):
        self.script = script

    def search_window(self, utterances, k=3, **_):
        return list(self.script.get(tuple(utterances), []))

    def cards_for(self, turn, lang, hits):
        return hits
