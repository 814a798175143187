"""Errors of the pack engine. Every message says what was wrong and, where it can, what to do."""

from __future__ import annotations


class PackError(Exception):
    """A pack cannot be built, verified, installed or used."""


class PackRefused(PackError):
    """A pack failed verification (hostile or damaged); nothing was installed."""


class DowngradeRefused(PackRefused):
    """The pack is older than the installed version of the same id (use force to allow)."""
