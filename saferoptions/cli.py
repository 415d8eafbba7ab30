"""The `saferoptions` command: Django's management commands under the project's own name.

`saferoptions audit verify` and `saferoptions import FEED FILE` read as partners say them;
every hyphenated command (`generate-city`, `link-file`, `bring-demo-to-life`) is Django's
underscored one.
"""

import importlib
import os
import sys

ALIASES = {"import": "import_feed"}


# Commands that need no Django (no settings, secret key or database): run before Django loads,
# so they work on a fresh clone or an installed package with no environment set.
PLAIN = {"link-file": "saferoptions.linkage.linkfile", "link_file": "saferoptions.linkage.linkfile",
         "encode-report": "saferoptions.intelligence.encode_report",
         "encode_report": "saferoptions.intelligence.encode_report"}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and args[1] in PLAIN:
        return importlib.import_module(PLAIN[args[1]]).main(args[2:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferoptions.settings")
    from django.core.management import execute_from_command_line  # noqa: PLC0415 Django loads only for its own commands

    if len(args) > 1:
        args[1] = ALIASES.get(args[1], args[1].replace("-", "_"))
    execute_from_command_line(args)
    return 0
