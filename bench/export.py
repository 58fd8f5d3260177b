#!/usr/bin/env python3
"""The public CSV export at SIZE incidents, downloaded from a real server: `make bench-export SIZE=N`.

    make bench-export SIZE=1000000 BENCH_PGDATA=DIR   (the cluster kept in DIR, dataset generated once)
    DATABASE_URL=... SIZE=N .venv/bin/python bench/export.py

Two downloads of /incidents/export.csv, each from a server started for it alone (gunicorn with
deploy/gunicorn.conf.py, as `make serve` runs it, with one worker; DEBUG off), after one small
export to warm it up:
- "newest": the newest EXPORT_ROWS (100,000) public incidents, as `?date_from=` of the search;
- "all": every public incident (skipped with EXPORTS=newest).
For each: the time to the first data row (not the header line), the total time, rows a second,
the size, the peak memory of the worker process (its high-water mark, VmHWM, read from /proc once
the file is sent), and whether the file is complete: the download ended as HTTP says a complete
one ends, and the file holds the number of rows its X-Row-Count header announced (counted as
CSV records: a summary may hold line breaks).

Results go to bench/results/export-<SIZE>[-BENCH_LABEL].{json,md}.
"""

import csv
import http.client
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SECRET_KEY", "bench-only-key-" + "e" * 50)
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
if not os.environ.get("DATABASE_URL"):
    sys.exit("Set DATABASE_URL to a PostgreSQL database (make bench-export starts one).")

import django  # noqa: E402

django.setup()


from bench.run import database_name, ensure_dataset  # noqa: E402
from incidents.models import Incident  # noqa: E402

SIZE = int(os.environ.get("SIZE", "10000"))
EXPORT_ROWS = int(os.environ.get("EXPORT_ROWS", "100000"))
EXPORTS = os.environ.get("EXPORTS", "newest,all").split(",")
LABEL = os.environ.get("BENCH_LABEL", "")
RESULTS = ROOT / "bench" / "results"
TARGETS = {"newest": {"total_s": 4, "first_byte_ms": 200}, "all": {"peak_rss_mb": 150}}
SERVER_ENVIRONMENT = {
    "DEBUG": "0",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "LOG_LEVEL": "WARNING",
    "WEB_CONCURRENCY": "1",
    # Long enough for the export before this benchmark's changes to finish the whole set.
    "GUNICORN_TIMEOUT": "1800",
}


def newest_query() -> str:
    """The search that finds the newest EXPORT_ROWS public incidents (a few more, for ties of a day)."""
    newest = Incident.objects.public().order_by("-period_start", "-pk").values_list("period_start", flat=True)
    boundary = newest[EXPORT_ROWS - 1 : EXPORT_ROWS].first()
    return f"?date_from={boundary.isoformat()}" if boundary else ""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, log) -> tuple[subprocess.Popen, int]:
    """gunicorn as `make serve` runs it (deploy/gunicorn.conf.py), with one worker, and the worker's id."""
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT,
        env={**os.environ, **SERVER_ENVIRONMENT, "HOST_PORT": f"127.0.0.1:{port}"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"The server stopped as it started (exit {server.returncode}).")
        workers = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        if workers:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return server, int(workers[0])
            except OSError:
                pass
        time.sleep(0.2)
    server.terminate()
    raise SystemExit("The server did not answer within a minute.")


def peak_memory_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM")


def download(port: int, path: str, into) -> dict:
    """GET path, writing the body into a file: the timings, the headers that matter, and whether
    the transfer ended as a complete one ends (a chunked body with its last chunk)."""
    conversation = http.client.HTTPConnection("127.0.0.1", port, timeout=1800)
    started = time.perf_counter()
    conversation.request("GET", path)
    response = conversation.getresponse()
    first_row_ms, newlines, size, complete = None, 0, 0, True
    try:
        while chunk := response.read1(1 << 16):
            into.write(chunk)
            size += len(chunk)
            newlines += chunk.count(b"\n")
            if first_row_ms is None and newlines >= 2:
                first_row_ms = (time.perf_counter() - started) * 1000
    except http.client.IncompleteRead:
        complete = False
    total = time.perf_counter() - started
    conversation.close()
    return {
        "status": response.status,
        "announced_rows": response.getheader("X-Row-Count"),
        "first_byte_ms": round(first_row_ms or 0, 1),
        "total_s": round(total, 2),
        "megabytes": round(size / 2**20, 1),
        "transfer_complete": complete,
    }


def rows_in(path: Path) -> int:
    with path.open(newline="", encoding="utf-8-sig") as file:
        return sum(1 for _ in csv.reader(file)) - 1


def measure(name: str, query: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="vigil-bench-export-") as folder:
        log_path, body_path = Path(folder) / "server.log", Path(folder) / "export.csv"
        port = free_port()
        with log_path.open("w") as log:
            server, worker = start_server(port, log)
            try:
                with open(os.devnull, "wb") as nowhere:
                    download(port, "/incidents/export.csv?q=warmupnothing", nowhere)
                with body_path.open("wb") as body:
                    result = download(port, f"/incidents/export.csv{query}", body)
                result["peak_rss_mb"] = round(peak_memory_mb(worker), 1)
            finally:
                server.terminate()
                server.wait()
        result["rows"] = rows_in(body_path)
        if result["status"] != 200:
            print(log_path.read_text()[-3000:])
    announced = result.pop("announced_rows")
    result["announced_rows"] = int(announced) if announced is not None else None
    result["rows_per_s"] = round(result["rows"] / result["total_s"]) if result["total_s"] else None
    result["url"] = f"/incidents/export.csv{query}"
    print(name, json.dumps(result), flush=True)
    return result


def commit() -> str:
    described = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True)
    return described.stdout.strip()


def write_results(report: dict) -> None:
    stem = f"export-{SIZE}" + (f"-{LABEL}" if LABEL else "")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{stem}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    lines = [
        f"# The CSV export at {SIZE:,} incidents ({report['database']})",
        "",
        f"{report['machine']}; code {report['commit']}. Each download from a gunicorn of its own (deploy/"
        "gunicorn.conf.py, one synchronous worker, DEBUG off) on loopback, after one small export to warm it up; "
        "the client reads as fast as it can. First byte: the first data row. Peak memory: the worker's "
        "high-water mark (VmHWM). Load average before the downloads: "
        f"{report['load_average']}.",
        "",
        "| export | rows | first row ms | total s | rows/s | MB | worker peak MB | complete |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, result in report["exports"].items():
        announced = result["announced_rows"]
        complete = result["transfer_complete"] and (announced is None or announced == result["rows"])
        said = "yes" if complete else "NO"
        said += f" (X-Row-Count {announced:,})" if announced is not None else " (no X-Row-Count)"
        lines.append(
            f"| {name}: `{result['url']}` | {result['rows']:,} | {result['first_byte_ms']} | {result['total_s']} "
            f"| {result['rows_per_s']:,} | {result['megabytes']} | {result['peak_rss_mb']} | {said} |"
        )
    lines += ["", f"Targets: {json.dumps(TARGETS)}."]
    (RESULTS / f"{stem}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def main() -> None:
    ensure_dataset(SIZE)
    queries = {"newest": newest_query(), "all": ""}
    report = {
        "size": SIZE,
        "commit": commit(),
        "database": database_name(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "load_average": " ".join(f"{load:.2f}" for load in os.getloadavg()),
        "exports": {name: measure(name, queries[name]) for name in EXPORTS},
        "targets": TARGETS,
    }
    write_results(report)


if __name__ == "__main__":
    main()
