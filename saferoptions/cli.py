"""The `saferoptions` command: Django's management commands under the project's own name.

`saferoptions audit verify` and `saferoptions import FEED FILE` read as partners say them;
every hyphenated command (`generate-city`, `link-file`, `bring-demo-to-life`) is Django's
underscored one.
"""

import os
import sys

ALIASES = {"import": "import_feed"}


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferoptions.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    if len(args) > 1:
        args[1] = ALIASES.get(args[1], args[1].replace("-", "_"))
    execute_from_command_line(args)
    return 0
