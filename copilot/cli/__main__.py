"""`python -m copilot.cli`: the same entry point as the `copilot` script."""

import sys

from copilot.cli.entry import main

sys.exit(main())
