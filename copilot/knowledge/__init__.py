"""The approved knowledge base: parse (Markdown passages), search (FTS5/BM25 keyword evidence and
sentence vectors), verify (every policy fact of a line against the cited passages) and evaluate
(retrieval on a question set). Used by the assistance pipeline, practice and the commands."""

from copilot.knowledge.base import MIN_EVIDENCE, Hit, KnowledgeBase, Translator
from copilot.knowledge.parse import KnowledgeError, Passage, load_folder
from copilot.knowledge.verify import Fact, Verdict, known_names, verify

__all__ = ["MIN_EVIDENCE", "Fact", "Hit", "KnowledgeBase", "KnowledgeError", "Passage",
           "Translator", "Verdict", "known_names", "load_folder", "verify"]
