"""What the benchmark keeps measuring besides the load: single requests on a fresh worker, the
CSV exports at two sizes with a worker's peak memory, the insight page at three class sizes,
and start-up with 1,000 exercise files (the targets issue 18 keeps)."""

from __future__ import annotations

import json
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

import load
import school
from machine import say
from server import Server, memory_kib

from classroom import create_app

ROOT = Path(__file__).resolve().parent.parent
STARTUP_FILES = 1000
MIB = 1024


def server_env(work: Path, database: Path, exercises_dir: Path, secret: str) -> dict[str, str]:
    """The server's configuration, through the CLASSROOM_* variables a deployment uses."""
    return {
        "CLASSROOM_INSTANCE_PATH": str(work / "instance"),
        "CLASSROOM_DATABASE": str(database),
        "CLASSROOM_EXERCISES_DIR": str(exercises_dir),
        "CLASSROOM_SECRET_KEY": secret,
        "CLASSROOM_LOG_LEVEL": "warning",
    }


def measure(work: Path, exercises_dir: Path, out: Path, quick: bool) -> dict:
    """A school's year (archive_plan) built and measured, then the insight series and
    start-up; by part."""
    t = time.monotonic()
    built = school.build(work / "archive.sqlite", exercises_dir, school.archive_plan(quick))
    say(
        f"keeps: the archive school, {built.rows['attempts']:,} attempts in "
        f"{time.monotonic() - t:.0f} s"
    )
    secret = secrets.token_hex(32)
    env = server_env(work, built.path, exercises_dir, secret)
    app = create_app(
        {"SECRET_KEY": secret, "DATABASE": str(built.path), "EXERCISES_DIR": str(exercises_dir)}
    )
    sign = load.signer(app)
    found = {
        "single": single(env, out, built, sign),
        "gradebook": gradebook(env, out, built, sign),
        "insight": insight_series(work, exercises_dir, out, quick),
        "startup": startup(work, STARTUP_FILES // 10 if quick else STARTUP_FILES),
    }
    built.path.unlink()
    return found


def single(env: dict, out: Path, built: school.Built, sign) -> dict:
    """The teacher's pages of the class of 200, one at a time on one fresh sync worker."""
    klass = next(c for c in built.classes if c["role"] == "insight")
    cookie, _ = sign(klass["teacher_id"])
    requests = {
        "insight": load.Request(
            "GET", f"/teacher/assignments/{klass['assignments'][0]}/insight", cookie=cookie
        ),
        "class": load.Request("GET", f"/teacher/classes/{klass['id']}", cookie=cookie),
        "review": load.Request(
            "GET", f"/teacher/assignments/{klass['assignments'][0]}/review", cookie=cookie
        ),
    }
    figures = {}
    with Server(env, out / "gunicorn.log", "sync", 1, 1) as server:
        for key, request in requests.items():
            figures[key] = load.sequential(server.address, request, 15, 20, warm=2)
            say(f"  {key:10} alone: p50 {figures[key]['p50_ms']:.1f} ms")
    return figures


def gradebook(env: dict, out: Path, built: school.Built, sign) -> dict:
    """Each CSV export of the two gradebook classes, alone on a fresh worker: its time, and the
    worker's peak memory before and after (the gradebook as asked, and the attempts export of
    one assignment, a row per highlight, as the bigger stream)."""
    cookie, _ = sign(built.users["gradebook"])
    figures = {}
    for export in ("gradebook", "attempts"):
        for role in ("gradebook-small", "gradebook-big"):
            klass = next(c for c in built.classes if c["role"] == role)
            if export == "gradebook":
                path = f"/teacher/classes/{klass['id']}/gradebook.csv"
                attempts = built.attempts_by_class.get(klass["id"], 0)
            else:
                path = f"/teacher/assignments/{klass['assignments'][0]}/attempts.csv"
                attempts = built.attempts_by_class.get(klass["id"], 0) // len(klass["assignments"])
            csv = load.Request("GET", path, cookie=cookie)
            warm = load.Request("GET", "/teacher/", cookie=cookie)
            with Server(env, out / "gunicorn.log", "sync", 1, 1) as server:
                load.fetch(server.address, warm)
                (pid,) = server.worker_pids()
                before = memory_kib(pid)["VmHWM"]
                runs = [load.fetch(server.address, csv) for _ in range(3)]
                after = memory_kib(pid)["VmHWM"]
            key = f"{export}-{role.removeprefix('gradebook-')}"
            figures[key] = {
                "export": export,
                "attempts": attempts,
                "students": klass["students"],
                "status": runs[0]["status"],
                "rows": runs[0]["lines"],
                "bytes": runs[0]["bytes"],
                "first_byte_ms": statistics.median(r["first_byte_s"] for r in runs) * 1000,
                "total_ms": statistics.median(r["total_s"] for r in runs) * 1000,
                "peak_before_kib": before,
                "peak_after_kib": after,
                "growth_kib": after - before,
            }
            say(
                f"  {key}: {attempts:,} attempts, {runs[0]['lines']:,} rows, "
                f"{figures[key]['total_ms']:.0f} ms, "
                f"peak {before / MIB:.1f} -> {after / MIB:.1f} MiB"
            )
    return figures


# --- the insight page at three class sizes --------------------------------------------------


def insight_series(work: Path, exercises_dir: Path, out: Path, quick: bool) -> dict:
    """The insight page of one class of 200, 2,000 and 20,000 students, alone on one worker."""
    figures = {}
    for factor in (1, 10) if quick else (1, 10, 100):
        path = work / f"insight-x{factor}.sqlite"
        built = school.build(path, exercises_dir, school.insight_plan(factor))
        secret = secrets.token_hex(32)
        env = server_env(work, path, exercises_dir, secret)
        app = create_app(
            {"SECRET_KEY": secret, "DATABASE": str(path), "EXERCISES_DIR": str(exercises_dir)}
        )
        klass = built.classes[0]
        cookie, _ = load.signer(app)(klass["teacher_id"])
        request = load.Request(
            "GET", f"/teacher/assignments/{klass['assignments'][0]}/insight", cookie=cookie
        )
        with Server(env, out / "gunicorn.log", "sync", 1, 1) as server:
            timing = load.sequential(server.address, request, count=15, budget=15)
        figures[f"x{factor}"] = {
            "students": klass["students"],
            "attempts": built.rows["attempts"],
            "highlights": built.rows["attempt_highlights"],
            **timing,
        }
        say(f"  insight x{factor}: {klass['students']:,} students, p50 {timing['p50_ms']:.1f} ms")
        path.unlink()
    return figures


# --- start-up with many exercise files ------------------------------------------------------

STARTUP = """
import json, sys, time
t0 = time.perf_counter()
from classroom import create_app
t1 = time.perf_counter()
app = create_app({"SECRET_KEY": "s" * 32, "DATABASE": sys.argv[1], "EXERCISES_DIR": sys.argv[2]})
t2 = time.perf_counter()
library = app.extensions["classroom.shelf"].library
print(json.dumps({"import_s": t1 - t0, "create_app_s": t2 - t1,
                  "exercises": len(library.exercises), "problems": len(library.problems)}))
"""


def startup(work: Path, files: int) -> dict:
    """create_app, exercise library included, on a folder of `files` exercise files."""
    folder = work / "startup-exercises"
    school.copy_exercises(folder, files)
    runs = []
    deadline = time.monotonic() + 90
    while len(runs) < 3 and (not runs or time.monotonic() < deadline):
        answer = subprocess.run(
            [sys.executable, "-c", STARTUP, str(work / "startup.sqlite"), str(folder)],
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
            cwd=ROOT,
        )
        runs.append(json.loads(answer.stdout.strip().splitlines()[-1]))
    best = min(runs, key=lambda r: r["create_app_s"])
    say(f"  start-up with {files} files: create_app {best['create_app_s']:.2f} s")
    return {
        "files": files,
        "runs": len(runs),
        **best,
        "median_create_app_s": statistics.median(r["create_app_s"] for r in runs),
    }
