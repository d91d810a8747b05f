"""Benchmark Classroom under gunicorn with wrk: the health check and six pages side by side.

    .venv/bin/python bench/run.py              # the default school (make bench), ~6 minutes
    .venv/bin/python bench/run.py --quick      # a smoke run of about a minute
    .venv/bin/python bench/run.py --scale 10   # ten times the classes
    .venv/bin/python bench/run.py --profile    # pyinstrument profiles of each request instead
    .venv/bin/python bench/run.py --load-only --configs sync:5:1,gthread:5:2 --rounds 5

Builds a realistic database in a temporary folder (bench/school.py), starts gunicorn on free
loopback ports with the project's gunicorn.conf.py, loads it with wrk (bench/requests.lua, one
signed session per student; server configurations take turns, best of several rounds), then
measures single requests, the CSV exports and a worker's peak memory at two sizes, the insight
page at three class sizes and start-up with 1,000 exercise files. Figures go to
bench/results/<run>/ as JSON and Markdown; the Markdown is printed too. Targets are reported
as met or not met, never enforced. docs/performance.md explains the figures.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import platform
import random
import re
import resource
import secrets
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(BENCH), str(ROOT)]

import load  # noqa: E402
import school  # noqa: E402
from server import Server, busy_seconds, cpu_seconds, memory_kib  # noqa: E402

from classroom import create_app  # noqa: E402
from classroom.content.tasks.choice import ChoiceTask  # noqa: E402
from classroom.content.tasks.short_answer import ShortAnswerTask  # noqa: E402

EXERCISES = 20  # the exercises every class is given
STARTUP_FILES = 1000
MIB = 1024


@dataclass
class Scenario:
    """One line of the table: what is requested, how hard, and what a right answer looks like."""

    key: str
    label: str
    shown: str  # the address as the table shows it
    requests: list[load.Request]
    connections: int
    expect: int = 200
    location: str = ""  # a redirect's target must start with this
    file: Path | None = None
    results: dict = field(default_factory=dict)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    started = time.monotonic()
    tag = time.strftime("%Y%m%d-%H%M%S") + f"-x{args.scale}" + ("-quick" if args.quick else "")
    out = Path(args.out or BENCH / "results" / tag)
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="classroom-bench-"))
    report = {
        "command": " ".join(["python", *sys.argv]),
        "machine": machine(),
        "duration_s": args.duration,
        "rounds": args.rounds,
        "quick": args.quick,
    }
    try:
        say(f"building the school in {work} ...")
        exercises_dir = work / "exercises"
        school.copy_exercises(exercises_dir, EXERCISES)
        t = time.monotonic()
        built = school.build(
            work / "main.sqlite", exercises_dir, school.main_plan(args.scale, args.quick)
        )
        report["database"] = {
            "rows": built.rows,
            "build_s": round(time.monotonic() - t, 1),
            "size_mib": round(built.path.stat().st_size / MIB / MIB),
            "attempts_by_class": {
                c["name"]: built.attempts_by_class.get(c["id"], 0)
                for c in built.classes
                if c["role"] != "regular"
            },
        }
        say(
            f"  {built.rows['attempts']:,} attempts, {built.rows['attempt_highlights']:,} "
            f"highlights in {report['database']['build_s']} s"
        )
        secret = secrets.token_hex(32)
        env = server_env(work, built.path, exercises_dir, secret)
        app = create_app(
            {"SECRET_KEY": secret, "DATABASE": str(built.path), "EXERCISES_DIR": str(exercises_dir)}
        )
        scenarios = make_scenarios(built, load.signer(app), out, random.Random(3))
        floors = floor_scenarios(app, scenarios, out)
        scenarios = [f for s in scenarios for f in (s, *floors.get(s.key, ()))]
        if args.requests:
            wanted = {"healthz", *args.requests.split(",")}  # the baseline always runs
            scenarios = [s for s in scenarios if s.key in wanted]
        if args.profile:  # in-process, on the app without bench/app.py's route
            profile(app, [s for s in scenarios if not s.key.startswith("floor")], out)
            return 0
        report["load"] = load_phase(args, env, out, scenarios)
        if not args.load_only:
            report["single"] = single(env, out, scenarios, ("exercise", "insight", "class"))
            report["gradebook"] = gradebook(env, out, built, scenarios)
            report["insight"] = insight_series(work, exercises_dir, out, args.quick)
            files = STARTUP_FILES // 10 if args.quick else STARTUP_FILES
            report["startup"] = startup(work, files)
        report["elapsed_s"] = round(time.monotonic() - started)
        text = markdown(report, scenarios)
        (out / "results.json").write_text(json.dumps(report, indent=2))
        (out / "results.md").write_text(text)
        print(text)
        say(f"written to {out}")
        return 0
    finally:
        if args.keep:
            say(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument(
        "--scale",
        type=int,
        choices=(1, 10, 100),
        default=1,
        help="multiply the school's 40 classes (the database grows with it)",
    )
    p.add_argument(
        "--quick",
        action="store_true",
        help="a smoke run: a small school, 2 s per load, one server configuration",
    )
    p.add_argument("--duration", type=float, help="seconds of each load, per round (default 5)")
    p.add_argument(
        "--configs",
        default="",
        help="server configurations to compare, e.g. sync:5:1,gthread:2:4 "
        "(class:workers:threads; default: gunicorn.conf.py's, then gthread)",
    )
    p.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="rounds of load, each configuration in turn, the best kept (default 3)",
    )
    p.add_argument(
        "--profile",
        action="store_true",
        help="write pyinstrument profiles of each request instead of loading",
    )
    p.add_argument(
        "--requests",
        default="",
        help="only these lines of the table, e.g. healthz,exercise (with --load-only)",
    )
    p.add_argument(
        "--load-only",
        action="store_true",
        help="only the wrk table (to compare --configs), not the single-request figures",
    )
    p.add_argument("--keep", action="store_true", help="keep the generated databases")
    p.add_argument("--out", help="the results folder (default bench/results/<date>-x<scale>)")
    args = p.parse_args(argv)
    args.duration = args.duration or (2.0 if args.quick else 5.0)
    if args.quick:
        args.rounds = 1
    return args


def configs(args) -> list[tuple[str, str, int | None, int]]:
    """(name, worker class, workers, threads): gunicorn.conf.py's own settings first, then the
    threaded worker class with as many processes, two threads each."""
    if args.configs:
        chosen = []
        for spec in args.configs.split(","):
            worker_class, workers, threads = spec.split(":")
            chosen.append((spec, worker_class, int(workers), int(threads)))
        return chosen
    processes = 2 * (os.cpu_count() or 1) + 1
    default = ("gunicorn.conf.py", "sync", None, 1)
    return (
        [default] if args.quick else [default, (f"gthread:{processes}:2", "gthread", processes, 2)]
    )


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def server_env(work: Path, database: Path, exercises_dir: Path, secret: str) -> dict[str, str]:
    """The server's configuration, through the CLASSROOM_* variables a deployment uses."""
    return {
        "CLASSROOM_INSTANCE_PATH": str(work / "instance"),
        "CLASSROOM_DATABASE": str(database),
        "CLASSROOM_EXERCISES_DIR": str(exercises_dir),
        "CLASSROOM_SECRET_KEY": secret,
        "CLASSROOM_LOG_LEVEL": "warning",
    }


# --- the six requests ----------------------------------------------------------------------


def make_scenarios(built: school.Built, sign, out: Path, rng: random.Random) -> list[Scenario]:
    """The requests for each line of the table, written where requests.lua reads them."""
    sessions: dict[int, tuple[str, str]] = {}

    def session_of(user_id: int) -> tuple[str, str]:
        if user_id not in sessions:
            sessions[user_id] = sign(user_id)
        return sessions[user_id]

    regular = {a for c in built.classes if c["role"] == "regular" for a in c["assignments"]}
    pairs = [p for p in built.pairs if p[1] in regular]
    rng.shuffle(pairs)
    pairs = pairs[:2000]

    def student_requests(kind: str) -> list[load.Request]:
        requests = []
        for student, assignment, exercise_id in pairs:
            cookie, token = session_of(student)
            variant = rng.choice(built.variants[school.seed_of(exercise_id)])
            if kind == "page":
                requests.append(load.Request("GET", f"/assignments/{assignment}", cookie=cookie))
            elif kind == "autosave":
                body = json.dumps(
                    {"highlights": variant.raw["highlights"], "answers": variant.raw["answers"]},
                    ensure_ascii=False,
                )
                requests.append(
                    load.Request(
                        "PUT",
                        f"/api/assignments/{assignment}/draft",
                        "application/json",
                        cookie,
                        token,
                        body,
                    )
                )
            else:
                body = submit_form(built.exercises[exercise_id], variant.raw)
                requests.append(
                    load.Request(
                        "POST",
                        f"/assignments/{assignment}/submit",
                        "application/x-www-form-urlencoded",
                        cookie,
                        token,
                        body,
                    )
                )
        return requests

    insight_class = next(c for c in built.classes if c["role"] == "insight")
    insight_cookie, _ = session_of(insight_class["teacher_id"])
    big = next(c for c in built.classes if c["role"] == "gradebook-big")
    grades_cookie, _ = session_of(big["teacher_id"])
    scenarios = [
        Scenario(
            "healthz",
            "baseline: health check",
            "GET /healthz",
            [load.Request("GET", "/healthz")],
            8,
        ),
        Scenario(
            "exercise",
            "exercise page (student, with a draft)",
            "GET /assignments/<id>",
            student_requests("page"),
            8,
        ),
        Scenario(
            "autosave",
            "autosave a draft (JSON + X-CSRFToken)",
            "PUT /api/assignments/<id>/draft",
            student_requests("autosave"),
            8,
        ),
        Scenario(
            "submit",
            "submit an attempt (grade + write)",
            "POST /assignments/<id>/submit",
            student_requests("submit"),
            8,
            expect=302,
            location="/attempts/",
        ),
        Scenario(
            "insight",
            f"class insight ({insight_class['students']} students)",
            "GET /teacher/assignments/<id>/insight",
            [
                load.Request("GET", f"/teacher/assignments/{a}/insight", cookie=insight_cookie)
                for a in insight_class["assignments"]
            ],
            8,
        ),
        Scenario(
            "class",
            f"teacher's class page ({insight_class['students']} students)",
            "GET /teacher/classes/<id>",
            [load.Request("GET", f"/teacher/classes/{insight_class['id']}", cookie=insight_cookie)],
            8,
        ),
        Scenario(
            "gradebook",
            f"gradebook CSV ({built.attempts_by_class.get(big['id'], 0):,} attempts)",
            "GET /teacher/classes/<id>/gradebook.csv",
            [
                load.Request(
                    "GET", f"/teacher/classes/{big['id']}/gradebook.csv", cookie=grades_cookie
                )
            ],
            2,
        ),
    ]
    for s in scenarios:
        s.file = load.write_requests(out / f"requests-{s.key}.tsv", s.requests)
    return scenarios


def submit_form(exercise, raw: dict) -> str:
    """The exercise page's form as the browser posts it: highlights as JSON, then answers."""
    fields = [("highlights", json.dumps(raw["highlights"], ensure_ascii=False))]
    for task in exercise.tasks:
        answer = raw["answers"].get(task.id)
        if isinstance(task, ChoiceTask):
            fields += [(f"choice-{task.id}", str(i)) for i in answer or []]
        elif isinstance(task, ShortAnswerTask):
            fields.append((f"answer-{task.id}", answer or ""))
    return urllib.parse.urlencode(fields)


ASSIGNMENT_ID = re.compile(r"/assignments/(\d+)")


def floor_scenarios(app, scenarios: list[Scenario], out: Path) -> dict[str, list[Scenario]]:
    """Lines that explain the student's requests rather than measure one: bench/app.py's route,
    which does only what every student's request does first (session, user, assignment, CSRF),
    sent the same cookies and bodies as the page (answering a few bytes, then as many as the
    page), the autosave and the submission. By the key of the line each goes after."""
    by_key = {s.key: s for s in scenarios}
    page = by_key["exercise"]
    client = app.test_client(use_cookies=False)
    sizes = []
    for r in page.requests[:20]:
        with client.get(r.path, headers=r.headers()) as response:
            sizes.append(len(response.get_data()))
    size = sorted(sizes)[len(sizes) // 2]

    def floor(key: str, label: str, like: Scenario, query: str = "") -> Scenario:
        requests = [
            dataclasses.replace(r, path=f"/bench/floor/{ASSIGNMENT_ID.search(r.path)[1]}{query}")
            for r in like.requests
        ]
        found = Scenario(key, label, f"{like.shown.split()[0]} /bench/floor/<id>", requests, 8)
        found.expect, found.location = like.expect, like.location
        found.file = load.write_requests(out / f"requests-{key}.tsv", requests)
        return found

    return {
        "exercise": [
            floor("floor", "floor: a student's GET that does nothing", page, "?size=0"),
            floor(
                "floor-page",
                f"floor, answering as many bytes as the page ({size:,})",
                page,
                f"?size={size}",
            ),
        ],
        "autosave": [
            floor("floor-autosave", "floor: the autosave's PUT, doing nothing", by_key["autosave"])
        ],
        "submit": [
            floor("floor-submit", "floor: the submission's POST, doing nothing", by_key["submit"])
        ],
    }


def check(server: Server, scenarios: list[Scenario]) -> None:
    """Refuse to measure requests that do not get the right answer (a login page is fast)."""
    for s in scenarios:
        for r in s.requests[:3]:
            answer = load.fetch(server.address, r)
            location = urllib.parse.urlsplit(answer["location"]).path
            if answer["status"] != s.expect or not location.startswith(s.location):
                raise SystemExit(
                    f"{s.key}: {r.method} {r.path} answered {answer['status']} "
                    f"{answer['location']} instead of {s.expect}; see the gunicorn log"
                )


def load_phase(args, env: dict, out: Path, scenarios: list[Scenario]) -> dict:
    """Every request under wrk, each server configuration in turn, for several rounds.

    The servers run side by side (an idle one costs nothing) and take turns on each request,
    so that other people's work on this shared machine, which comes and goes, falls on all of
    them alike. Other work can only slow a run down, so the best round of each is kept; the
    errors of every round are added up.
    """
    chosen = configs(args)
    runs: dict[str, dict[str, list]] = {name: {s.key: [] for s in scenarios} for name, *_ in chosen}
    with contextlib.ExitStack() as stack:
        servers = {
            name: stack.enter_context(Server(env, out / "gunicorn.log", cls, workers, threads))
            for name, cls, workers, threads in chosen
        }
        for server in servers.values():
            check(server, scenarios)
        for r in range(args.rounds):
            say(f"load: round {r + 1} of {args.rounds}")
            for s in scenarios:
                for name, server in servers.items():
                    figures = measure(server, s, args.duration, warm=r == 0)
                    runs[name][s.key].append(figures)
                    say(f"    {name}")
    return {
        name: {key: best(found) for key, found in by_key.items()} for name, by_key in runs.items()
    }


def measure(server: Server, s: Scenario, duration: float, warm: bool = True) -> dict:
    """A short warm-up, then duration seconds of wrk, with the CPU time everyone used meanwhile.

    The machine is shared: what other processes took while wrk ran is reported beside the
    figures ("others", in cores), so a dip can be told from a slow page.
    """
    if warm:
        load.run_wrk(server.address, s.file, 1, s.connections)
    workers = server.worker_pids() + [server.process.pid]
    busy, ours, children = busy_seconds(), cpu_seconds(workers), _children_cpu()
    started = time.monotonic()
    figures = load.run_wrk(server.address, s.file, duration, s.connections)
    wall = time.monotonic() - started
    server_cpu = cpu_seconds(workers) - ours
    wrk_cpu = _children_cpu() - children
    figures["server_cores"] = server_cpu / wall
    figures["wrk_cores"] = wrk_cpu / wall
    figures["other_cores"] = max(0.0, (busy_seconds() - busy - server_cpu - wrk_cpu) / wall)
    figures["server_ms_per_request"] = (
        server_cpu / figures["requests"] * 1000 if figures["requests"] else 0
    )
    say(
        f"  {s.key:10} {figures['rps']:8.1f} req/s  p50 {figures['p50_ms']:7.1f} ms  "
        f"p99 {figures['p99_ms']:7.1f} ms  errors {figures['errors']}  "
        f"server {figures['server_ms_per_request']:.2f} ms CPU/req  "
        f"others {figures['other_cores']:.2f} cores"
    )
    return figures


def best(rounds: list[dict]) -> dict:
    """The round with the most requests a second, with the errors of every round."""
    chosen = dict(max(rounds, key=lambda f: f["rps"]))
    chosen["errors"] = sum(r["errors"] for r in rounds)
    chosen["rounds"] = [r["rps"] for r in rounds]
    return chosen


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def single(env: dict, out: Path, scenarios: list[Scenario], keys: tuple[str, ...]) -> dict:
    """Requests one at a time on one fresh sync worker: what a page costs without queueing."""
    figures = {}
    with Server(env, out / "gunicorn.log", "sync", 1, 1) as server:
        for s in scenarios:
            if s.key in keys:
                figures[s.key] = load.sequential(server.address, s.requests[0], 15, 20, warm=2)
                say(f"  {s.key:10} alone: p50 {figures[s.key]['p50_ms']:.1f} ms")
    return figures


# --- the gradebook: time and memory at two sizes -------------------------------------------


def gradebook(env: dict, out: Path, built: school.Built, scenarios: list[Scenario]) -> dict:
    """Each CSV export of the two gradebook classes, alone on a fresh worker: its time, and the
    worker's peak memory before and after (the gradebook as asked, and the attempts export of
    one assignment, a row per highlight, as the bigger stream)."""
    cookie = next(s for s in scenarios if s.key == "gradebook").requests[0].cookie
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
            timing = load.sequential(server.address, request, count=15, budget=30)
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


# --- profiles --------------------------------------------------------------------------------


def profile(app, scenarios: list[Scenario], out: Path) -> None:
    """Time each request in-process, then profile it with pyinstrument (no gunicorn, no wrk)."""
    from pyinstrument import Profiler

    client = app.test_client(use_cookies=False)  # each request carries its own cookie

    def send(r: load.Request, expect: int) -> None:
        response = client.open(r.path, method=r.method, headers=r.headers(), data=r.body)
        response.get_data()
        if response.status_code != expect:
            raise SystemExit(f"{r.method} {r.path} answered {response.status_code}")

    for s in scenarios:
        count = 5 if s.key in ("gradebook", "class") else 50 if s.key == "insight" else 500
        requests = (s.requests * (count // len(s.requests) + 1))[:count]
        for r in requests[:3]:  # warm caches and templates first
            send(r, s.expect)
        t = time.perf_counter()
        for r in requests:
            send(r, s.expect)
        elapsed = time.perf_counter() - t
        profiler = Profiler(interval=0.001)
        profiler.start()
        for r in requests:
            send(r, s.expect)
        profiler.stop()
        (out / f"profile-{s.key}.txt").write_text(profiler.output_text(unicode=True))
        (out / f"profile-{s.key}.html").write_text(profiler.output_html())
        say(
            f"  {s.key:10} {elapsed / count * 1000:8.2f} ms a request in-process "
            f"-> {out / f'profile-{s.key}.txt'}"
        )


# --- the report ------------------------------------------------------------------------------


def machine() -> dict:
    """What the figures were measured on."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem = next(
        line.split()[1]
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("\n")[0]
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(int(mem) / MIB / MIB, 1),
        "load_average": os.getloadavg(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "gunicorn": metadata.version("gunicorn"),
        "wrk": wrk.strip(),
        "kernel": platform.release(),
    }


TARGETS = {"exercise": 0.5, "autosave": 0.5, "submit": 0.3}


def verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def markdown(report: dict, scenarios: list[Scenario]) -> str:
    """The results as the Markdown tables docs/performance.md quotes."""
    m = report["machine"]
    lines = [
        f"Command: `{report['command']}`  ",
        f"Machine: {m['nproc']} × {m['cpu']}, {m['memory_gib']} GiB; load average at start "
        f"{', '.join(f'{x:.2f}' for x in m['load_average'])}; Python {m['python']}, "
        f"SQLite {m['sqlite']}, gunicorn {m['gunicorn']}, {m['wrk']}  ",
        f"Database: {report['database']['rows']['attempts']:,} attempts, "
        f"{report['database']['rows']['attempt_highlights']:,} highlights, "
        f"{report['database']['rows']['users']:,} users, {report['database']['size_mib']:,} MiB "
        f"(built in {report['database']['build_s']} s); whole run {report['elapsed_s']} s",
        "",
    ]
    if report["quick"]:
        lines += [
            "**A quick run: a small school and short loads, for a smoke test only; the "
            "sizes the targets name are not reached, so their verdicts mean nothing.**",
            "",
        ]
    names = list(report["load"])
    name, results = names[0], report["load"][names[0]]
    base = results["healthz"]["rps"]
    turns = f", taking turns with {', '.join(names[1:])}" if len(names) > 1 else ""
    lines += [
        f"### Load: gunicorn {name}; wrk -t1, {report['duration_s']:g} s a run, "
        f"best of {report['rounds']} round(s){turns} (errors: every round)",
        "",
        "| request | conns | req/s | p50 ms | p99 ms | errors | × baseline | target | "
        "server CPU ms/req | others (cores) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |",
    ]
    for s in scenarios:
        r = results[s.key]
        ratio = r["rps"] / base if base else 0.0
        target = ""
        if s.key in TARGETS:
            ok = ratio >= TARGETS[s.key] and (s.key != "submit" or r["errors"] == 0)
            extra = ", 0 errors" if s.key == "submit" else ""
            target = f"≥ {TARGETS[s.key]}{extra}: {verdict(ok)}"
        lines.append(
            f"| {s.label}<br>`{s.shown}` | {r['connections']} | {r['rps']:,.1f} | "
            f"{r['p50_ms']:,.1f} | {r['p99_ms']:,.1f} | {r['errors']} | {ratio:.3f} | "
            f"{target} | {r['server_ms_per_request']:.2f} | {r['other_cores']:.2f} |"
        )
    lines.append("")
    if len(names) > 1:
        lines += [
            "### Server configurations compared (same rounds, taking turns)",
            "",
            "| request | "
            + " | ".join(f"{n}: best req/s, median (server CPU ms/req)" for n in names)
            + " | errors |",
            "| --- | " + " | ".join("---:" for _ in names) + " | ---: |",
        ]
        for s in scenarios:
            cells = [
                f"{report['load'][n][s.key]['rps']:,.1f}, "
                f"{statistics.median(report['load'][n][s.key]['rounds']):,.1f} "
                f"({report['load'][n][s.key]['server_ms_per_request']:.2f})"
                for n in names
            ]
            errors = "/".join(str(report["load"][n][s.key]["errors"]) for n in names)
            lines.append(f"| {s.label} | " + " | ".join(cells) + f" | {errors} |")
        lines.append("")
    if "single" not in report:
        return "\n".join(lines)
    lines += [
        "### One request at a time on one fresh sync worker (no queueing)",
        "",
        "| request | p50 ms | min–max ms | requests |",
        "| --- | ---: | --- | ---: |",
    ]
    for s in scenarios:
        if s.key in report["single"]:
            r = report["single"][s.key]
            lines.append(
                f"| {s.label} | {r['p50_ms']:,.1f} | {r['min_ms']:,.1f}–{r['max_ms']:,.1f} "
                f"| {r['requests']} |"
            )
    lines.append("")
    g = report["gradebook"]
    lines += [
        "### CSV exports, one request at a time on one fresh sync worker each",
        "",
        "| export | attempts | students | rows | MiB | first byte ms | total ms (median of 3) | "
        "worker peak before → after (MiB) | growth MiB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |",
    ]
    for key in ("gradebook-small", "gradebook-big", "attempts-small", "attempts-big"):
        r = g[key]
        what = "class gradebook" if r["export"] == "gradebook" else "one assignment's attempts"
        lines.append(
            f"| {what} | {r['attempts']:,} | {r['students']:,} | {r['rows']:,} | "
            f"{r['bytes'] / MIB / MIB:.2f} | "
            f"{r['first_byte_ms']:.0f} | {r['total_ms']:.0f} | "
            f"{r['peak_before_kib'] / MIB:.1f} → {r['peak_after_kib'] / MIB:.1f} | "
            f"{r['growth_kib'] / MIB:.1f} |"
        )
    big = g["gradebook-big"]
    flat = all(
        g[f"{e}-big"]["growth_kib"] <= g[f"{e}-small"]["growth_kib"] + 4 * MIB
        for e in ("gradebook", "attempts")
    )
    lines += [
        "",
        f"Target: a gradebook of {big['attempts']:,} attempts in under 3 s: "
        + (
            verdict(big["total_ms"] < 3000)
            if big["attempts"] >= 100_000
            else "no verdict (the target names 100,000 attempts)"
        )
        + "; peak memory "
        f"independent of size (growth at the big size within 4 MiB of the small, both exports): "
        f"{verdict(flat)}",
        "",
        "### Insight page, one class alone on one sync worker, sequential requests",
        "",
        "| class | students | attempts | highlights | p50 ms | min–max ms | × 1x | "
        "linear would be |",
        "| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |",
    ]
    series = report["insight"]
    one = series["x1"]["p50_ms"]
    linear_ok = True
    for name, r in series.items():
        factor = int(name[1:])
        linear_ok &= r["p50_ms"] <= factor * one
        lines.append(
            f"| {name} | {r['students']:,} | {r['attempts']:,} | {r['highlights']:,} | "
            f"{r['p50_ms']:,.1f} | {r['min_ms']:,.0f}–{r['max_ms']:,.0f} | "
            f"{r['p50_ms'] / one:.1f} | {factor * one:,.0f} |"
        )
    school_one = report["single"]["insight"]["p50_ms"]
    lines.append(
        f"| x1 in the whole school (20 assignments with work) | 200 | | | {school_one:,.1f} | "
        f"{report['single']['insight']['min_ms']:,.0f}–{report['single']['insight']['max_ms']:,.0f}"
        f" | {school_one / one:.1f} | |"
    )
    su = report["startup"]
    lines += [
        "",
        f"Target: p50 < 100 ms at 1x: {verdict(max(one, school_one) < 100)}; "
        f"no worse than linear at "
        f"{', '.join(series)}: {verdict(linear_ok)}",
        "",
        f"### Start-up with {su['files']:,} exercise files",
        "",
        f"create_app with the library load: {su['create_app_s']:.2f} s (best of {su['runs']}, "
        f"median {su['median_create_app_s']:.2f} s); importing the package "
        f"{su['import_s']:.2f} s; {su['exercises']:,} exercises loaded, {su['problems']} problems. "
        f"Target under 2 s: {verdict(su['create_app_s'] < 2 and su['files'] >= 1000)}",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
