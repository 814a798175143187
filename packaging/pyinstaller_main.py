"""Entry point of the PyInstaller app (packaging/agent-copilot.spec): one program under two
names sharing one runtime folder. `copilot` is the command line (copilot.cli:main);
`agent-copilot` is the desktop window (ui.app:main).

`copilot app` (and `copilot` alone, with a display) starts the window as
`sys.executable -m ui.app ARGS` (copilot/cli/app.py). Frozen, sys.executable is this program and
has no `-m`, so that form is answered here as well.
"""

from __future__ import annotations

import sys
from pathlib import Path


def main() -> int:
    args = sys.argv[1:]
    if args[:2] == ["-m", "ui.app"]:
        args = args[2:]
    elif not Path(sys.executable).name.startswith("agent-copilot"):
        from copilot.cli import main as cli

        return cli(args)
    from ui.app import main as window

    return window(args)


if __name__ == "__main__":
    sys.exit(main())
