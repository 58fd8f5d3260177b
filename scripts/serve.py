#!/usr/bin/env python3
"""Serve the site in production: `make serve`, or `.venv/bin/python scripts/serve.py`.

In order, stopping at the first failure:
  1. SECRET_KEY and ALLOWED_HOSTS must be set in the environment. The key file and the loopback
     hosts that settings.py falls back to are for `make run` on a developer's machine; a server
     whose key lived in a file beside the code would lose every session when the folder is
     replaced, and one per machine would not agree with the others.
  2. DEBUG is off whatever the environment says, and static files are named by their content
     (STATIC_MANIFEST=1).
  3. `manage.py check --deploy --fail-level WARNING`: any warning stops the start.
  4. `manage.py migrate`: the database is brought to this code's schema before it is served.
     With several application servers on one database, migrate once from one place and start
     them with SERVE_MIGRATE=0.
  5. `manage.py collectstatic`: hashed and gzipped copies of the static files in STATIC_ROOT.
  6. gunicorn with deploy/gunicorn.conf.py takes this process's place, so that the signals of a
     service manager reach it directly.

Exits 2, saying what to set, when a variable of step 1 is missing.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN_CONFIG = ROOT / "deploy" / "gunicorn.conf.py"

REQUIRED = {
    "SECRET_KEY": (
        "50 or more random characters, the same on every server of the site and kept out of the code, "
        "e.g. SECRET_KEY=\"$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')\""
    ),
    "ALLOWED_HOSTS": "the host names the site answers to, comma-separated, e.g. ALLOWED_HOSTS=vigil.example.org",
}


def missing_settings(environ: dict[str, str]) -> list[str]:
    return [name for name in REQUIRED if not environ.get(name, "").strip()]


def run_manage(*arguments: str, environ: dict[str, str]) -> None:
    print(f"serve: manage.py {' '.join(arguments)}", flush=True)
    result = subprocess.run([sys.executable, "manage.py", *arguments], cwd=ROOT, env=environ)
    if result.returncode != 0:
        sys.exit(f"serve: not started: manage.py {arguments[0]} failed (status {result.returncode}).")


def main() -> None:
    missing = missing_settings(os.environ)
    if missing:
        lines = [f"serve: not started: set {' and '.join(missing)} in the environment."]
        lines += [f"  {name}: {REQUIRED[name]}" for name in missing]
        print("\n".join(lines), file=sys.stderr)
        sys.exit(2)
    environ = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "0", "STATIC_MANIFEST": "1"}
    run_manage("check", "--deploy", "--fail-level", "WARNING", environ=environ)
    if environ.get("SERVE_MIGRATE", "1").strip().lower() not in {"0", "false", "no", "off"}:
        run_manage("migrate", "--no-input", environ=environ)
    run_manage("collectstatic", "--no-input", "--verbosity", "0", environ=environ)
    os.chdir(ROOT)
    command = [sys.executable, "-m", "gunicorn", "--config", str(GUNICORN_CONFIG), "config.wsgi"]
    print(f"serve: {' '.join(command[1:])}", flush=True)
    os.execve(sys.executable, command, environ)


if __name__ == "__main__":
    main()
