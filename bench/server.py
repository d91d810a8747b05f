"""Classroom (or the hello-world reference) under gunicorn on a free loopback port, and what
processes cost from /proc: CPU time to the nanosecond, memory."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
HELLO = "bench.hello:app"


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn with the project's gunicorn.conf.py, started and stopped by this process only."""

    def __init__(
        self,
        env: dict[str, str],
        log: Path,
        worker_class: str = "sync",
        workers: int | None = None,
        threads: int = 1,
        start_timeout: float = 120.0,
        app: str = "bench.app:app",
    ):
        self.env, self.log, self.app = env, log, app
        self.worker_class, self.workers, self.threads = worker_class, workers, threads
        self.start_timeout = start_timeout
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def address(self) -> tuple[str, int]:
        return ("127.0.0.1", self.port)

    def __enter__(self) -> Server:
        command = [
            str(GUNICORN),
            "--config",
            str(ROOT / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--worker-class",
            self.worker_class,
            "--threads",
            str(self.threads),
        ]
        if self.workers:
            command += ["--workers", str(self.workers)]
        # the app with the benchmark's floor route (bench/app.py), or the hello world (hello.py)
        command.append(self.app)
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env={**os.environ, **self.env},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"gunicorn exited with {self.process.returncode}; see {self.log}"
                )
            if self._healthy() and len(self.worker_pids()) >= (self.workers or 1) and self.ready():
                return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer within {self.start_timeout:.0f} s")

    def __exit__(self, *exc) -> None:
        self.stop()

    def ready(self) -> bool:
        """Whether every worker has started (each answers /healthz, so a few asks suffice)."""
        return all(self._healthy() for _ in range(2 * (self.workers or 1)))

    def cpu_seconds(self) -> float:
        """CPU seconds the master and its workers have used, those reaped included."""
        return tree_cpu_seconds(self.process.pid) if self.process else 0.0

    def _healthy(self) -> bool:
        try:
            conn = http.client.HTTPConnection(*self.address, timeout=2)
            conn.request("GET", "/healthz" if self.app != HELLO else "/")
            ok = conn.getresponse().status == 200
            conn.close()
            return ok
        except OSError:
            return False

    def stop(self) -> None:
        """Ask the master to stop (it stops its workers), and insist after 30 s."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def worker_pids(self) -> list[int]:
        """The master's children: gunicorn's workers."""
        return children(self.process.pid) if self.process else []


def children(pid: int) -> list[int]:
    """A process's children, from /proc."""
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
        return [int(p) for p in text.split()]
    except OSError:
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(stat.parent.name))
        return found


def _run_ns(pid: int) -> int:
    """Nanoseconds on a CPU of every thread of a process (schedstat: finer than stat's ticks)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").glob("*/schedstat"):
        try:
            total += int(task.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            continue
    return total


def _reaped_seconds(pid: int) -> float:
    """CPU seconds of a process's children that have ended (cutime + cstime)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds a process and its children have used (gunicorn's master and workers,
    PostgreSQL's postmaster and backends), including children that have ended since."""
    pids = [pid, *children(pid)]
    return sum(_run_ns(p) for p in pids) / 1e9 + _reaped_seconds(pid)


def memory_kib(pid: int) -> dict[str, int]:
    """A process's resident memory now (VmRSS) and at its peak (VmHWM), in KiB."""
    figures = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            figures[key] = int(value.split()[0])
    return figures


def busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy (every core, every process, steal too)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle and iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: list[int]) -> float:
    """CPU seconds these processes have used so far (user and system)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def settle(servers, most: float = 20.0) -> None:
    """Wait until the servers are idle again (what a measurement left queued is done)."""
    deadline = time.monotonic() + most
    while time.monotonic() < deadline:
        before = sum(s.cpu_seconds() for s in servers)
        time.sleep(0.5)
        if sum(s.cpu_seconds() for s in servers) - before < 0.05:
            return
