"""`python -m kiosk`: the command line, which belongs to the composition root (wiring.cli)."""

import sys

from wiring.cli import main

sys.exit(main())
