"""Shared text utilities: spoken numbers (number words, digit runs) used by redaction, search and
the summary."""
