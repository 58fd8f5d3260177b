import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from incidents.roles import ROLES

PASSWORD_VARIABLE = "VIGIL_NEW_USER_PASSWORD"


class Command(BaseCommand):
    help = (
        "Create a staff account in one role (Researcher, Verifier or Administrator). The password is read "
        f"from the {PASSWORD_VARIABLE} environment variable or asked for, never taken as an argument, so it "
        "does not show in the process list or the shell history."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=ROLES)
        parser.add_argument("--email", default="")

    def handle(self, *args, username, role, email, **options):
        User = get_user_model()  # noqa: N806
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user called {username!r} already exists.")
        user = User(username=username, email=email, is_staff=True)
        password = os.environ.get(PASSWORD_VARIABLE) or self.ask_password()
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError("The password is not accepted: " + " ".join(error.messages)) from error
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=role))
        self.stdout.write(f"Created {username} ({role}). They can sign in at /admin/.")

    def ask_password(self) -> str:
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ.")
        if not password:
            raise CommandError(f"No password: type one, or set {PASSWORD_VARIABLE}.")
        return password
