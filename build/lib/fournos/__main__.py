"""`python -m fournos <command>`: the same as the `fournos` console script."""

import sys

from fournos.cli import main

sys.exit(main())
