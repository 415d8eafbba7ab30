"""`saferoptions audit verify` and `saferoptions audit checkpoint --out FILE`.

verify exits 0 when the chain is intact, 1 at the first broken entry, 2 for an unusable
checkpoint file; checkpoint refuses to sign a chain that does not verify.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from saferoptions.audit import append_only, checkpoints
from saferoptions.audit.verification import Verification, verify
from saferoptions.core import clock


class Command(BaseCommand):
    help = "Verify the audit chain, or export a signed checkpoint of its end."
    # Checking the log must not depend on the rest of the site (URLs, templates) being sound.
    requires_system_checks = []

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="subcommand", required=True)
        check = commands.add_parser("verify", help="walk the chain and report the first break")
        check.add_argument(
            "--checkpoint",
            action="append",
            default=[],
            type=Path,
            help="a checkpoint file to check against (may be given more than once)",
        )
        check.add_argument("--batch-size", type=int, default=None)
        check.add_argument("--json", action="store_true", help="print the result as JSON")
        export = commands.add_parser("checkpoint", help="write a signed checkpoint file")
        export.add_argument("--out", type=Path, required=True, help="where to write it")
        commands.add_parser(
            "protect",
            help="re-install the append-only triggers and revoke changes from AUDIT_APP_DB_ROLE",
        )

    def handle(self, *args, subcommand, **options):
        if subcommand == "verify":
            return self.verify(options)
        if subcommand == "protect":
            return self.protect()
        return self.checkpoint(options["out"])

    def protect(self) -> None:
        """Run as the table's owner, e.g. after grants were re-applied to the app's role."""
        try:
            append_only.install(connection)
            append_only.revoke_from(connection, settings.AUDIT_APP_DB_ROLE)
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        role = settings.AUDIT_APP_DB_ROLE or "(no AUDIT_APP_DB_ROLE set)"
        self.stdout.write(f"Append-only triggers installed; changes revoked from {role}")

    def verify(self, options) -> None:
        try:
            marks = [checkpoints.read(path) for path in options["checkpoint"]]
        except checkpoints.CheckpointInvalid as exc:
            raise CommandError(str(exc), returncode=2) from exc
        if options["batch_size"] is not None and options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1", returncode=2)
        result = verify(checkpoints=marks, batch_size=options["batch_size"])
        self.stdout.write(_as_json(result) if options["json"] else _as_text(result))
        if not result.intact:
            raise CommandError(
                f"audit chain broken at sequence {result.broken.sequence} "
                f"({result.broken.kind}): {result.broken.message}",
                returncode=1,
            )

    def checkpoint(self, out: Path) -> None:
        result = verify()
        if not result.intact:
            raise CommandError(
                f"not signing a broken chain: sequence {result.broken.sequence} "
                f"({result.broken.kind}): {result.broken.message}",
                returncode=1,
            )
        mark = checkpoints.Checkpoint(
            sequence=result.last_sequence,
            entry_hash=result.last_hash,
            count=result.entries,
            created_at=clock.now().isoformat(),
        )
        try:
            checkpoints.write(mark, out)
        except OSError as exc:
            raise CommandError(f"--out {out}: cannot write ({exc.strerror})", returncode=2) from exc
        self.stdout.write(
            f"Checkpoint written to {out}: sequence {mark.sequence}, {mark.count} entries"
        )


def _as_text(result: Verification) -> str:
    if result.intact:
        return f"Audit chain intact: {result.entries} entries, last sequence {result.last_sequence}"
    return f"Audit chain verified up to sequence {result.last_sequence}, then broken"


def _as_json(result: Verification) -> str:
    broken = None
    if result.broken:
        broken = {
            "sequence": result.broken.sequence,
            "kind": result.broken.kind,
            "message": result.broken.message,
        }
    return json.dumps(
        {
            "intact": result.intact,
            "entries": result.entries,
            "last_sequence": result.last_sequence,
            "broken": broken,
        }
    )
