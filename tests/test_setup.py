"""The setup contract: safe settings, the demo administrator, the database the run asked for."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean_env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "SECRET_KEY_FILE", "SECURE_SSL_REDIRECT", "OTP_REQUIRED"}
    }
    clean_env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean_env, **env}, capture_output=True, text=True
    )


def test_without_a_secret_key_a_private_random_one_is_made_once(tmp_path):
    key_file = tmp_path / "secret"
    first = manage(
        "shell", "-c", "from django.conf import settings; print(settings.SECRET_KEY)", SECRET_KEY_FILE=str(key_file)
    )
    second = manage(
        "shell", "-c", "from django.conf import settings; print(settings.SECRET_KEY)", SECRET_KEY_FILE=str(key_file)
    )
    assert first.returncode == 0, first.stderr
    key = key_file.read_text()
    assert len(key) >= 50 and first.stdout.split()[-1] == key == second.stdout.split()[-1]
    assert key_file.stat().st_mode & 0o777 == 0o600


def test_a_key_that_cannot_be_kept_is_a_clear_error(tmp_path):
    result = manage("check", SECRET_KEY_FILE=str(tmp_path / "missing-folder" / "secret"))
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_deploy_check_is_clean_with_debug_off():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="a-production-like-secret-key-with-enough-length-and-variety-8c1f3b9e77",
        ALLOWED_HOSTS="vigil.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_run_uses_the_database_it_was_given():
    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == expected


@pytest.mark.django_db
def test_demo_admin_only_runs_with_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only runs with DEBUG=1"):
        call_command("demo_admin")


@pytest.mark.django_db
def test_demo_admin_gets_a_fresh_random_password(settings, django_user_model, capsys):
    settings.DEBUG = True
    call_command("demo_admin")
    first = capsys.readouterr().out.split("with the password ")[1].split()[0]
    call_command("demo_admin")
    second = capsys.readouterr().out.split("with the password ")[1].split()[0]
    user = django_user_model.objects.get(username="demo-admin")
    assert first != second and len(second) >= 16
    assert user.is_superuser and user.check_password(second) and not user.check_password(first)


@pytest.mark.django_db
def test_demo_admin_prints_the_address_make_run_serves(settings, capsys):
    settings.DEBUG = True
    call_command("demo_admin", address="0.0.0.0:8765")
    assert "Sign in at http://0.0.0.0:8765/admin/ as demo-admin" in capsys.readouterr().out
    makefile = (Path(settings.BASE_DIR) / "Makefile").read_text()
    assert "demo_admin --address $(HOST_PORT)" in makefile and "runserver $(HOST_PORT)" in makefile


def test_the_server_process_keeps_its_loaded_objects_out_of_full_collections(tmp_path):
    """config.wsgi freezes what loading made, so a full garbage collection does not pause a request
    to walk through every module and model of the process, and lets a request allocate thousands
    of objects before the collector runs, so that a list page is not collected a dozen times."""
    check = "import config.wsgi, gc; print(gc.get_freeze_count(), gc.get_threshold()[0])"
    result = manage("shell", "-c", check, SECRET_KEY_FILE=str(tmp_path / "secret"))
    assert result.returncode == 0, result.stderr
    frozen, first_generation_threshold = map(int, result.stdout.split()[-2:])
    assert frozen > 10_000
    assert first_generation_threshold >= 10_000


def test_every_command_of_the_readme_runs_from_the_project_s_own_environment():
    """A newcomer copies the README's commands: each names the project's Python and a command that exists."""
    from django.core.management import get_commands

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    commands = re.findall(r"([\w./]*python) manage\.py ([a-z_]+)", readme)
    assert commands
    for python, command in commands:
        assert python == ".venv/bin/python", f"{python} manage.py {command}"
        assert command in get_commands(), command
