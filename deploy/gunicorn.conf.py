"""gunicorn's settings for `make serve` (scripts/serve.py): `gunicorn -c deploy/gunicorn.conf.py config.wsgi`.

Every value can be changed from the environment, so a deployment keeps this file as it is:

  HOST_PORT          where to listen (127.0.0.1:8000): behind nginx on the same machine, loopback only
  WEB_CONCURRENCY    worker processes (2 × cores + 1)
  GUNICORN_TIMEOUT   seconds a request may run before its worker is killed and restarted (120)
"""

import os


def cores() -> int:
    """The cores this process may run on, which a container or `taskset` may make fewer than the machine's."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


bind = os.environ.get("HOST_PORT") or "127.0.0.1:8000"
# Synchronous workers: a request holds one process from start to end. nginx in front reads slow
# clients' uploads and writes to slow readers itself (it buffers both), so a worker is held only
# while Django works; while it waits on the database another worker runs, hence twice the cores.
worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * cores() + 1)
# A request running longer than this is cut: its worker is killed and replaced, and the client
# gets an incomplete transfer (nginx answers 502 if nothing was sent). The longest requests are
# whole-dataset exports, which must finish within it: at a million incidents the public CSV takes
# about 25 s and its involvements about 100 s (bench/results/export-1000000.md).
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 120)
graceful_timeout = 30
# The application is loaded once, then the workers are forked from it: they share the memory of
# what loading made (config.wsgi freezes it out of the garbage collector), and a broken setting
# stops the start instead of every worker failing in a loop.
preload_app = True
# A worker is replaced after about a thousand requests, so that memory a request leaves behind
# never accumulates; the jitter keeps the workers from restarting together.
max_requests = 1000
max_requests_jitter = 100
# Workers report they are alive through a file: in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# No control socket (gunicornc): it would be one path in the home folder shared by every instance on
# the machine, and a service manager's signals do what is needed (HUP reloads, TERM stops).
control_socket_disable = True
accesslog = "-"
errorlog = "-"
# The address nginx gives in X-Forwarded-For, with the time taken, in microseconds.
access_log_format = '%({x-forwarded-for}i)s %(h)s "%(r)s" %(s)s %(B)s %(D)sus "%(a)s"'
# X-Forwarded-Proto is believed from nginx on this machine only.
forwarded_allow_ips = "127.0.0.1,::1"
