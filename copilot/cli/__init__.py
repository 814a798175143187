"""The `copilot` command: one module per command group (transcribe/listen, replay, calls, kb,
suggest, rephrase, bench, pack, practice, devices, app) plus the printing helpers. Nothing in the
engine imports this package."""

from copilot.cli.entry import build_parser, main, silence_stdout
from copilot.errors import UserError

__all__ = ["UserError", "build_parser", "main", "silence_stdout"]
