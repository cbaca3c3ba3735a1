"""Load demo data: every app's `demo.seed()`, in the order of INSTALLED_APPS, then fresh planner
statistics (`portal.db.analyze`). Safe to run again."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal.db import analyze


class Command(BaseCommand):
    help = "Create demo users, calls, institutions, rotations, mentors and pages (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never on production)."
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates users with known passwords; it runs only with DEBUG on. "
                "Use --force to run it anyway on a machine that is not production."
            )
        with transaction.atomic():
            for config in apps.get_app_configs():
                module_name = f"{config.name}.demo"
                if find_spec(module_name) is None:
                    continue
                import_module(module_name).seed(self.stdout)
        # After the load, outside its transaction: PostgreSQL's planner knows the new rows.
        analyze()
        self.stdout.write(self.style.SUCCESS("Demo data ready at http://127.0.0.1:8000/"))
