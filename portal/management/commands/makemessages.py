"""Django's makemessages, also finding the texts marked with `_lazy(...)`: the name modules
give `gettext_lazy` when `_` is already `gettext` (xgettext knows `_` and `gettext_lazy`, not
this alias, and would leave those texts out of the catalogues, in English on every page)."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_lazy"]
