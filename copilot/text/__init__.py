"""Shared text utilities: spoken numbers (number words, digit runs: spoken_numbers; what a run is,
a card, a code or a phone number: run_kinds) used by redaction, search and the summary."""
