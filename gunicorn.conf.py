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

# Threaded workers: a process per core plus one, four threads each. Pages are CPU work in
# Python, so processes use the cores and the threads hold the requests waiting their turn. On
# two cores (docs/performance.md, "Server configuration"), a district morning kept to its
# target at 6,000-7,000 active students this way, where sync workers (2, 3 or 5) fell
# behind at 4,000-5,000; 2-3 processes spend 5-20 % less CPU a request than 5. With
# CLASSROOM_WORKER_CLASS=sync, the old default: a process a request, two per core plus one.
worker_class = os.environ.get("CLASSROOM_WORKER_CLASS", "gthread")
_cores = multiprocessing.cpu_count()
_threaded = worker_class == "gthread"
workers = int(os.environ.get("CLASSROOM_WORKERS", _cores + 1 if _threaded else 2 * _cores + 1))
# gthread only: gunicorn turns sync workers with more than one thread into gthread ones
threads = int(os.environ.get("CLASSROOM_THREADS", 4 if _threaded else 1))

# Load the app (and the exercise library) once in the master, then fork: workers share its
# memory, start at once, and agree on a secret key generated on first run.
preload_app = True

# A worker whose main loop stops this long is killed and replaced (a sync worker: one busy
# with one request this long; a gthread worker's main loop runs while its threads work). The
# slowest request measured (an attempts export of 140,000 rows) takes 2-4 s; a buffering proxy
# in front makes sure a slow client's download does not hold a thread that long.
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
