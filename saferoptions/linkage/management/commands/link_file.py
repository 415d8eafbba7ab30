"""`manage.py link_file IN.csv OUT.csv`: the same plain command as `saferoptions link-file`.

All the work is in `saferoptions.linkage.linkfile`, which needs no Django; this wrapper only
lets `manage.py` and `call_command` run it, with Django's usual one-line error.
"""

from django.core.management.base import BaseCommand, CommandError

from saferoptions.linkage import linkfile


class Command(BaseCommand):
    help = "Link the person records in a CSV file and write who is who to another CSV file."
    requires_system_checks: list = []  # no database, so nothing to check

    def add_arguments(self, parser):
        for action in linkfile.parser()._actions:
            if action.dest == "help":
                continue
            kwargs = {"help": action.help, "default": action.default}
            if action.option_strings:
                if action.const is True and action.nargs == 0:
                    kwargs["action"] = "store_true"
                else:
                    kwargs.update(type=action.type, choices=action.choices)
                parser.add_argument(*action.option_strings, dest=action.dest, **kwargs)
            else:
                parser.add_argument(action.dest, type=action.type, help=action.help)

    def handle(self, *args, **options):
        names = {a.dest for a in linkfile.parser()._actions}
        namespace = linkfile.argparse.Namespace(
            **{k: v for k, v in options.items() if k in names})
        try:
            linkfile.run(namespace, out=self.stdout)
        except linkfile.LinkFileError as exc:
            raise CommandError(str(exc)) from None
