"""`saferoptions encode-report`: a partner encodes a worry on their own computer.

    saferoptions encode-report --key-file partnership.key --given-name Jayden \\
        --family-name Smith --date-of-birth 3/4/2011 --postcode "BS5 6XY"

prints one line (`SO1.gfdp.<code>`) to paste into "Tell the Hub about a worry". The key file
holds the key the partnership gave you (its SAFEROPTIONS_PPRL_KEY); keep it as you would a
password. Nothing else leaves your computer: the line holds no name, date or postcode, and
cannot be turned back into them. Needs no database, settings or network.
"""

import argparse
import sys
from pathlib import Path

from saferoptions.linkage import bloom


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="saferoptions encode-report",
                                description=__doc__.splitlines()[0])
    p.add_argument("--key-file", required=True, type=Path,
                   help="the file holding the partnership's key")
    p.add_argument("--given-name", default="")
    p.add_argument("--family-name", default="")
    p.add_argument("--date-of-birth", default="", help="e.g. 27/3/2011 or 2011-03-27")
    p.add_argument("--postcode", default="")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        key = args.key_file.read_text(encoding="utf-8").strip().encode()
        encoder = bloom.Encoder(key)
    except (OSError, UnicodeDecodeError) as error:
        print(f"encode-report: --key-file: cannot read it ({error.__class__.__name__})",
              file=sys.stderr)
        return 2
    except ValueError as error:
        print(f"encode-report: --key-file: {error}", file=sys.stderr)
        return 2
    person = bloom.Person(args.given_name, args.family_name, args.date_of_birth, args.postcode)
    try:
        shape = bloom.check_report(person)
    except bloom.EncodingError as error:
        print(f"encode-report: --{error.field.replace('_', '-')}: {error.message}",
              file=sys.stderr)
        return 2
    print(bloom.to_text(encoder.encode(person, shape), shape))
    return 0


if __name__ == "__main__":
    sys.exit(main())
