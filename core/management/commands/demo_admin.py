import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

USERNAME = "demo-admin"


class Command(BaseCommand):
    help = "Create or reset the local demo administrator with a fresh random password (DEBUG only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--address",
            default="127.0.0.1:8000",
            help="host:port the site is served on, for the address printed (make run passes its HOST_PORT)",
        )

    def handle(self, *args, address: str, **options):
        if not settings.DEBUG:
            raise CommandError(
                "demo_admin only runs with DEBUG=1: on a real deployment create accounts with "
                "`python manage.py createsuperuser`."
            )
        password = secrets.token_urlsafe(12)
        user, _ = get_user_model().objects.get_or_create(username=USERNAME)
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        self.stdout.write(
            f"Sign in at http://{address}/admin/ as {USERNAME} with the password {password}\n"
            "(a new password is made each time `make run` starts)."
        )
