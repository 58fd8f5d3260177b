#!/usr/bin/env python3
"""Run a command against a throwaway PostgreSQL server: `with_postgres.py -- COMMAND...`.

Creates a cluster in a temporary folder (UTF-8, C.UTF-8 locale, so that trigram search also
works on Cyrillic), starts it on a free port on 127.0.0.1, runs the command with DATABASE_URL
pointing at it, then stops the server and removes the folder, whatever the command did.

Without PostgreSQL installed it prints what to install and exits 0, except under CI=true,
where PostgreSQL is required and its absence is a failure.
"""

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile


def find_postgres_bin() -> str | None:
    initdb = shutil.which("initdb")
    if initdb:
        return os.path.dirname(os.path.realpath(initdb))
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return os.path.dirname(candidates[-1]) if candidates else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_user() -> pwd.struct_passwd | None:
    """PostgreSQL refuses to run as root; as root, run the server as the `postgres` account."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        sys.exit("Running as root needs a 'postgres' system account (the postgresql package creates it).")


def main() -> int:
    command = sys.argv[sys.argv.index("--") + 1 :] if "--" in sys.argv else []
    if not command:
        sys.exit("usage: with_postgres.py -- COMMAND [ARGS...]")
    bin_dir = find_postgres_bin()
    if bin_dir is None:
        message = (
            "PostgreSQL is not installed: the PostgreSQL run of the suite is skipped. "
            "Install it with: apt-get install postgresql"
        )
        if os.environ.get("CI", "").lower() == "true":
            print(f"FAIL: {message}", file=sys.stderr)
            return 1
        print(f"SKIPPED: {message}", file=sys.stderr)
        return 0

    user = server_user()
    data_dir = tempfile.mkdtemp(prefix="vigil-pg-")
    as_server_user = {}
    if user:
        os.chown(data_dir, user.pw_uid, user.pw_gid)
        as_server_user = {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}
    port = free_port()
    log_file = os.path.join(data_dir, "server.log")
    try:
        subprocess.run(
            [
                f"{bin_dir}/initdb",
                "-D",
                f"{data_dir}/data",
                "-U",
                "vigil",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            **as_server_user,
        )
        options = (
            f"-p {port} -k {data_dir} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        subprocess.run(
            [f"{bin_dir}/pg_ctl", "-D", f"{data_dir}/data", "-l", log_file, "-o", options, "-w", "start"],
            check=True,
            stdout=subprocess.DEVNULL,
            **as_server_user,
        )
        env = {**os.environ, "DATABASE_URL": f"postgres://vigil@127.0.0.1:{port}/postgres"}
        print(f"PostgreSQL {os.path.basename(os.path.dirname(bin_dir))} running on 127.0.0.1:{port}", flush=True)
        return subprocess.run(command, env=env).returncode
    except subprocess.CalledProcessError as error:
        if os.path.exists(log_file):
            with open(log_file) as log:
                print(log.read(), file=sys.stderr)
        print(f"FAIL: could not start PostgreSQL: {error}", file=sys.stderr)
        return 1
    finally:
        subprocess.run(
            [f"{bin_dir}/pg_ctl", "-D", f"{data_dir}/data", "-m", "immediate", "-w", "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            **as_server_user,
        )
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
