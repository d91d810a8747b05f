"""Gunicorn settings for Classroom: `gunicorn -c gunicorn.conf.py` (what `make serve` runs).

Each value can be changed without editing this file: the CLASSROOM_* variables below, or any
gunicorn flag through GUNICORN_CMD_ARGS (for example "--workers 3 --log-level debug").
docs/deployment.md explains the choices; docs/performance.md has the measurements behind them.
"""

import multiprocessing
import os

wsgi_app = "classroom.wsgi:app"

# Loopback by default: put a reverse proxy (TLS) in front, or set CLASSROOM_BIND=0.0.0.0:8000.
bind = os.environ.get("CLASSROOM_BIND", "127.0.0.1:8000")

# Sync workers, two per core plus one. Pages are CPU work in-process (templates, grading,
# SQLite), so processes, not threads, use the cores; gthread with as many processes measured
# the same on real pages and less steady, with fewer processes slower (docs/performance.md).
worker_class = os.environ.get("CLASSROOM_WORKER_CLASS", "sync")
workers = int(os.environ.get("CLASSROOM_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("CLASSROOM_THREADS", 1))  # only used by gthread

# Load the app (and the exercise library) once in the master, then fork: workers share its
# memory, start at once, and agree on a secret key generated on first run.
preload_app = True

# A worker busy with one request this long is killed and replaced. The slowest request
# measured (an attempts export of 112,000 rows) takes 2 s; a buffering proxy in front makes
# sure a slow client's download does not hold a worker that long.
timeout = 30
graceful_timeout = 30
keepalive = 5  # seconds an idle keep-alive connection from the proxy stays open

# No access log unless asked for (the proxy usually keeps one); errors go to stderr.
accesslog = os.environ.get("CLASSROOM_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("CLASSROOM_LOG_LEVEL", "info")

# gunicorn 25.1+ opens a control socket at one fixed path per user, which a second server on
# the same account (a staging copy, the benchmark, the tests) would fight over. Not needed here.
control_socket_disable = True
