#!/usr/bin/env python3
"""Run a command against a PostgreSQL server: `with_postgres.py [OPTIONS] -- COMMAND...`.

By default the server is a throwaway one: a cluster in a temporary folder (UTF-8, C.UTF-8
locale, so that trigram search also works on Cyrillic), started on a free port on 127.0.0.1;
the command runs with DATABASE_URL pointing at it, then the server is stopped and the folder
removed, whatever the command did.

Options (before `--`):
  --set NAME=VALUE   a server setting, passed to the server as `-c NAME=VALUE`; repeat as needed.
  --keep DIR         keep the cluster in DIR between runs: if DIR holds a cluster, start it
                     instead of creating one; if DIR is absent or empty, create the cluster
                     there. Either way the server is stopped cleanly afterwards and DIR stays.
                     The settings given with --set apply to this start only; nothing is written
                     into the cluster's configuration.
  --replica          also start a streaming replica of the server (`pg_basebackup -R`, hot standby)
                     on another free port, and give the command DATABASE_REPLICA_URLS pointing at
                     it, and WITH_POSTGRES_REPLICA_DATA, its data folder (`pg_ctl -D` stops and
                     starts it as it is: its port and settings are in its configuration).
                     Throwaway only: not with --keep.

Every cluster runs without fsync, synchronous commits and full-page writes: quick to load,
not durable against a crash of the machine (a kept cluster survives a clean stop).

Without PostgreSQL installed it prints what to install and exits 0, except under CI=true,
where PostgreSQL is required and its absence is a failure.
"""

import argparse
import glob
import os
import pwd
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile

FAST_AND_NOT_DURABLE = ["fsync=off", "synchronous_commit=off", "full_page_writes=off"]


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


def setting(text: str) -> str:
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*=.*", text):
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return text


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    if "--" not in argv or argv.index("--") == len(argv) - 1:
        sys.exit("usage: with_postgres.py [--keep DIR | --replica] [--set NAME=VALUE ...] -- COMMAND [ARGS...]")
    split = argv.index("--")
    parser = argparse.ArgumentParser(prog="with_postgres.py", description="Run a command against PostgreSQL.")
    parser.add_argument("--set", dest="settings", action="append", default=[], type=setting, metavar="NAME=VALUE")
    parser.add_argument("--keep", metavar="DIR", help="keep the cluster in DIR and reuse it on the next run")
    parser.add_argument("--replica", action="store_true", help="start a streaming replica too")
    arguments = parser.parse_args(argv[:split])
    if arguments.replica and arguments.keep:
        parser.error("--replica makes a throwaway replica: not with --keep")
    arguments.command = argv[split + 1 :]
    return arguments


def holds_cluster(folder: str) -> bool:
    return os.path.isfile(os.path.join(folder, "data", "PG_VERSION"))


def stop_on_sigterm(_signum, _frame):
    """Terminated, stop the server all the same (`finally`): a kept cluster left running blocks the next run."""
    raise SystemExit(128 + signal.SIGTERM)


def start_replica(bin_dir: str, folder: str, primary_port: int, settings: list[str], as_server_user: dict) -> int:
    """A hot standby of the server on 127.0.0.1:primary_port, in folder/replica; returns its port.

    Its settings go into its own configuration rather than onto the command line, so that a test
    can stop it and start it again with `pg_ctl -D` alone.
    """
    replica_dir = os.path.join(folder, "replica")
    port = free_port()
    subprocess.run(
        [
            f"{bin_dir}/pg_basebackup",
            *("--host", "127.0.0.1", "--port", str(primary_port), "--username", "vigil"),
            *("--pgdata", replica_dir, "--write-recovery-conf", "--wal-method", "stream", "--checkpoint", "fast"),
            "--no-sync",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        **as_server_user,
    )
    standby = [*settings, f"port={port}", f"unix_socket_directories={folder}", "hot_standby=on"]
    with open(os.path.join(replica_dir, "postgresql.auto.conf"), "a") as configuration:  # its owner stays
        for item in standby:
            name, value = item.split("=", 1)
            configuration.write(f"{name} = '{value.replace(chr(39), chr(39) * 2)}'\n")
    log_file = os.path.join(folder, "replica.log")
    subprocess.run(
        [f"{bin_dir}/pg_ctl", "-D", replica_dir, "-l", log_file, "-w", "start"],
        check=True,
        stdout=subprocess.DEVNULL,
        **as_server_user,
    )
    return port


def main() -> int:
    arguments = parse_arguments(sys.argv[1:])
    signal.signal(signal.SIGTERM, stop_on_sigterm)
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
    if arguments.keep:
        folder = os.path.abspath(arguments.keep)
        existing = holds_cluster(folder)
        if not existing and os.path.isdir(folder) and os.listdir(folder):
            sys.exit(f"{folder} is neither empty nor a cluster kept by with_postgres.py ({folder}/data/PG_VERSION).")
        os.makedirs(folder, exist_ok=True)
    else:
        folder = tempfile.mkdtemp(prefix="vigil-pg-")
        existing = False
    data_dir = os.path.join(folder, "data")
    as_server_user = {}
    if user:
        os.chown(folder, user.pw_uid, user.pw_gid)
        as_server_user = {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}
    if existing and os.path.exists(os.path.join(data_dir, "postmaster.pid")):
        status = subprocess.run([f"{bin_dir}/pg_ctl", "-D", data_dir, "status"], capture_output=True, **as_server_user)
        if status.returncode == 0:
            sys.exit(f"A server is already running on the cluster in {folder}; stop it first.")
    port = free_port()
    log_file = os.path.join(folder, "server.log")
    started = False
    try:
        if not existing:
            subprocess.run(
                [
                    f"{bin_dir}/initdb",
                    "-D",
                    data_dir,
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
        settings = ["listen_addresses=127.0.0.1", *FAST_AND_NOT_DURABLE, *arguments.settings]
        options = f"-p {port} -k {shlex.quote(folder)} " + " ".join(f"-c {shlex.quote(item)}" for item in settings)
        subprocess.run(
            [f"{bin_dir}/pg_ctl", "-D", data_dir, "-l", log_file, "-o", options, "-w", "start"],
            check=True,
            stdout=subprocess.DEVNULL,
            **as_server_user,
        )
        started = True
        env = {**os.environ, "DATABASE_URL": f"postgres://vigil@127.0.0.1:{port}/postgres"}
        version = os.path.basename(os.path.dirname(bin_dir))
        where = f"the cluster kept in {folder}" if arguments.keep else "a throwaway cluster"
        extra = f", with {', '.join(arguments.settings)}" if arguments.settings else ""
        if arguments.replica:
            replica_port = start_replica(bin_dir, folder, port, settings, as_server_user)
            env["DATABASE_REPLICA_URLS"] = f"postgres://vigil@127.0.0.1:{replica_port}/postgres"
            env["WITH_POSTGRES_REPLICA_DATA"] = os.path.join(folder, "replica")
            extra += f", and its streaming replica on 127.0.0.1:{replica_port}"
        print(f"PostgreSQL {version} running on 127.0.0.1:{port}, {where}{extra}", flush=True)
        return subprocess.run(arguments.command, env=env).returncode
    except subprocess.CalledProcessError as error:
        for log_path in (log_file, os.path.join(folder, "replica.log")):
            if os.path.exists(log_path):
                with open(log_path) as log:
                    print(log.read()[-5000:], file=sys.stderr)
        print(f"FAIL: could not start PostgreSQL: {error}", file=sys.stderr)
        return 1
    finally:
        if arguments.keep:  # a clean stop (a checkpoint), so that the next start needs no recovery
            subprocess.run(
                [f"{bin_dir}/pg_ctl", "-D", data_dir, "-m", "fast", "-w", "-t", "600", "stop"],
                stdout=subprocess.DEVNULL,
                stderr=None if started else subprocess.DEVNULL,
                **as_server_user,
            )
        else:
            replica_dir = os.path.join(folder, "replica")
            if os.path.exists(os.path.join(replica_dir, "postmaster.pid")):
                subprocess.run(
                    [f"{bin_dir}/pg_ctl", "-D", replica_dir, "-m", "immediate", "-w", "stop"],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    **as_server_user,
                )
            subprocess.run(
                [f"{bin_dir}/pg_ctl", "-D", data_dir, "-m", "immediate", "-w", "stop"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                **as_server_user,
            )
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
