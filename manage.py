#!/usr/bin/env python
"""Django's command-line utility for Safer Options."""

import sys

from saferoptions.cli import main

if __name__ == "__main__":
    sys.exit(main())
