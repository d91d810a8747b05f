"""Benchmark Classroom under gunicorn: what a request costs next to Flask's hello world, a
district morning stepped up to its knee, a class's burst of submissions, and the figures kept
from before (exports, insight, start-up).

    .venv/bin/python bench/run.py                  # make bench: all of it, about 9 minutes
    .venv/bin/python bench/run.py --quick          # every part, small and short: ~2 minutes
    .venv/bin/python bench/run.py --scenario cost --lines page,feedback --rounds 5
    .venv/bin/python bench/run.py --scenario district --students 2000,4000,6000
    .venv/bin/python bench/run.py --scenario district,burst --workers 2,3,5   # the sweep
    .venv/bin/python bench/run.py --scenario cost,district --database postgresql
    .venv/bin/python bench/run.py --profile        # pyinstrument profiles of each line instead

Builds a district's school in a temporary folder (bench/school.py), signs a session for each of
its students and teachers, starts gunicorn with the project's gunicorn.conf.py on free loopback
ports (the app and, beside it, Flask's hello world: bench/hello.py), and loads them with
bench/loadgen.py. Figures go to bench/results/<run>/ as JSON and Markdown; the Markdown is
printed too. Targets are reported as met or not, never enforced. docs/performance.md explains
the figures.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import runpy
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(BENCH), str(ROOT)]

import cost  # noqa: E402
import district  # noqa: E402
import load  # noqa: E402
import mix  # noqa: E402
import report  # noqa: E402
import school  # noqa: E402
import traffic  # noqa: E402
from keeps import server_env  # noqa: E402
from machine import calibrate, machine, say  # noqa: E402
from server import HELLO, Server  # noqa: E402
from undo import Undo  # noqa: E402

from classroom import create_app  # noqa: E402

EXERCISES = 20  # exercise files copied into the school
SCENARIOS = ("cost", "district", "burst", "keeps")
LINES = "page,autosave,submit,feedback,healthz,floor,floor-autosave,floor-submit"
ALL_LINES = LINES + ",review,insight"
CONF = runpy.run_path(str(ROOT / "gunicorn.conf.py"))  # the defaults a deployment gets


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    a = p.add_argument
    a("--scenario", default=",".join(SCENARIOS), help=f"any of {', '.join(SCENARIOS)} (all)")
    a("--quick", action="store_true", help="every part small and short, for development")
    a(
        "--database",
        choices=("sqlite", "postgresql"),
        default="sqlite",
        help="postgresql: SQLite, then PostgreSQL with one app server and with two, side by side",
    )
    g = p.add_argument_group("cost per request")
    g.add_argument(
        "--lines",
        default=LINES,
        help=f"cost lines (default {LINES}; 'all' adds the teachers' review and insight)",
    )
    g.add_argument("--rounds", type=int, help="paired rounds (default 3; quick 1)")
    g.add_argument("--seconds", type=float, help="seconds a measurement (default 2.5; quick 1)")
    g.add_argument(
        "--rate",
        type=float,
        default=0.0,
        help="send both sides of a pair this many requests a second (default: closed loop)",
    )
    g = p.add_argument_group("district morning")
    g.add_argument(
        "--students",
        help="active students at each step (default 1000,2000,4000,6000,8000; quick 200,400,800)",
    )
    g.add_argument("--step-seconds", type=float, help="seconds a step (default 30; quick 8)")
    g.add_argument("--warmup", type=float, help="seconds of a step not counted (default 5)")
    g.add_argument("--refine", type=int, help="steps more to find the knee (default 1; quick 0)")
    g.add_argument("--autosave-every", type=float, default=15.0)
    g.add_argument("--page-every", type=float, default=60.0)
    g.add_argument("--submit-every", type=float, default=900.0)
    g = p.add_argument_group("burst")
    g.add_argument(
        "--bursts",
        type=int,
        help="classes of 30 submitting at once, one after another (default 5; quick 2)",
    )
    g = p.add_argument_group("server")
    g.add_argument(
        "--workers",
        default="",
        help="gunicorn workers, or a list to compare: 2,3,5 (default: gunicorn.conf.py's)",
    )
    g.add_argument(
        "--worker-class",
        default=CONF["worker_class"],
        help=f"sync, gthread, or both: sync,gthread (default {CONF['worker_class']})",
    )
    g.add_argument(
        "--threads",
        type=int,
        default=max(4, CONF["threads"]),
        help="threads per gthread worker (default gunicorn.conf.py's, or 4)",
    )
    a("--profile", action="store_true", help="pyinstrument profiles of each cost line instead")
    a("--keep", action="store_true", help="keep the generated databases")
    a("--report", metavar="RESULTS_JSON", help="print the Markdown of an earlier run's results")
    a("--out", help="the results folder (default bench/results/<date>)")
    args = p.parse_args(argv)
    q = args.quick
    args.scenarios = [s for s in args.scenario.split(",") if s]
    if unknown := set(args.scenarios) - set(SCENARIOS):
        p.error(f"unknown scenario(s): {', '.join(sorted(unknown))}")
    args.lines = (ALL_LINES if args.lines == "all" else args.lines).split(",")
    args.rounds = args.rounds or (1 if q else 3)
    args.seconds = args.seconds or (1.0 if q else 2.5)
    steps = args.students or ("200,400,800" if q else "1000,2000,4000,6000,8000")
    args.steps = [int(s) for s in steps.split(",")]
    args.step_seconds = args.step_seconds or (8.0 if q else 30.0)
    args.warmup = args.warmup if args.warmup is not None else (2.0 if q else 5.0)
    args.refine = args.refine if args.refine is not None else (0 if q else 1)
    args.bursts = args.bursts or (2 if q else 5)
    return args


def configs(args) -> list[tuple[str, str, int | None, int]]:
    """(name, worker class, workers, threads) to serve with: gunicorn.conf.py's workers unless
    --workers names some, each with every --worker-class."""
    conf = CONF
    found = []
    for cls in args.worker_class.split(","):
        threads = args.threads if cls == "gthread" else 1
        for workers in [int(w) for w in args.workers.split(",") if w] or [None]:
            default = workers is None and cls == conf["worker_class"]
            count = workers or conf["workers"]  # gunicorn.conf.py's unless --workers
            name = f"{cls} ×{count}" + (f" × {threads} threads" if cls == "gthread" else "")
            if default:
                name += " (gunicorn.conf.py)"
            found.append((name, cls, workers, threads))
    return found


def students_needed(args) -> int:
    """How many students the school needs for every step and every burst."""
    return max(max(args.steps) if "district" in args.scenarios else 0, 30 * args.bursts, 300)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.report:
        print(report.markdown(json.loads(Path(args.report).read_text())))
        return 0
    started = time.monotonic()
    tag = time.strftime("%Y%m%d-%H%M%S") + ("-quick" if args.quick else "")
    out = Path(args.out or BENCH / "results" / tag)
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="classroom-bench-"))
    found: dict = {
        "command": " ".join(["python", *sys.argv]) if argv is None else " ".join(argv),
        "machine": machine(),
        "calibration_ms": [calibrate()],
        "quick": args.quick,
        "scenarios": args.scenarios,
    }
    say(f"calibration: {found['calibration_ms'][0]:.1f} ms for the fixed loop")
    try:
        exercises_dir = work / "exercises"
        school.copy_exercises(exercises_dir, EXERCISES)
        if set(args.scenarios) - {"keeps"} or args.profile:
            load_phase(args, work, exercises_dir, out, found)
        if "keeps" in args.scenarios and not args.profile:
            import keeps

            found["keeps"] = keeps.measure(work, exercises_dir, out, args.quick)
        found["calibration_ms"].append(calibrate())
        found["elapsed_s"] = round(time.monotonic() - started)
        if args.profile:
            return 0
        text = report.markdown(found)
        (out / "results.json").write_text(json.dumps(found, indent=2))
        (out / "results.md").write_text(text)
        print(text)
        say(f"written to {out}")
        return 0
    except BaseException:
        (out / "results-partial.json").write_text(json.dumps(found, indent=2, default=str))
        say(f"failed; what was measured is in {out / 'results-partial.json'}")
        raise
    finally:
        if args.keep:
            say(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def load_phase(args, work: Path, exercises_dir: Path, out: Path, found: dict) -> None:
    """Build the district's school, then each scenario on each database and configuration,
    the figures into found as they come."""
    say("building the school ...")
    t = time.monotonic()
    plan = school.district_plan(students_needed(args))
    built = school.build(work / "district.sqlite", exercises_dir, plan)
    secret = secrets.token_hex(32)
    app = create_app(
        {"SECRET_KEY": secret, "DATABASE": str(built.path), "EXERCISES_DIR": str(exercises_dir)}
    )
    sent = traffic.make(built, load.signer(app), random.Random(3))
    found |= {
        "school": {
            "rows": built.rows,
            "students": len(sent.students),
            "teachers": len(sent.teachers),
            "build_s": round(time.monotonic() - t, 1),
            "size_mib": round(built.path.stat().st_size / 2**20),
        }
    }
    say(
        f"  {len(sent.students):,} students, {built.rows['attempts']:,} attempts, "
        f"{built.rows['attempt_highlights']:,} highlights, sessions signed, in "
        f"{found['school']['build_s']} s"
    )
    lines = [sent.lines[key] for key in args.lines]
    if args.profile:
        from app import with_floor  # bench/app.py: the app as gunicorn serves it here

        profile(with_floor(app), lines, out, Undo(str(built.path), sent.assignments))
        return
    env = server_env(work, built.path, exercises_dir, secret)
    m = mix.Mix(args.autosave_every, args.page_every, args.submit_every)
    with contextlib.ExitStack() as stack:
        backends = [("SQLite", env, 1, None)]
        if args.database == "postgresql":
            import pg

            say("starting PostgreSQL and copying the school into it ...")
            postgres = stack.enter_context(pg.Postgres())
            found["school"]["postgresql_copy"] = pg.copy_school(
                built.path, postgres.url, exercises_dir
            )
            pg_env = {**env, "CLASSROOM_DATABASE_URL": postgres.url}
            backends += [
                ("PostgreSQL, 1 app server", pg_env, 1, postgres),
                ("PostgreSQL, 2 app servers", pg_env, 2, postgres),
            ]
        log = out / "gunicorn.log"
        groups = []
        hellos = {}
        for config, cls, workers, threads in configs(args):
            if "cost" in args.scenarios:  # the reference, served as the app is
                hellos[config] = stack.enter_context(
                    Server({}, log, cls, workers, threads, app=HELLO)
                )
            for name, server_env_, count, postgres in backends:
                target = postgres.url if postgres else str(built.path)
                groups.append(
                    cost.Group(
                        f"{name}, {config}",
                        [
                            stack.enter_context(Server(server_env_, log, cls, workers, threads))
                            for _ in range(count)
                        ],
                        hellos.get(config),
                        Undo(target, sent.assignments),
                        postgres.cpu_seconds if postgres else None,
                    )
                )
        say("serving: " + "; ".join(g.key for g in groups))
        if "cost" in args.scenarios:
            found["cost"] = cost.measure(
                groups, lines, args.rounds, args.seconds, say, rate=args.rate
            )
            if args.rate:
                found["cost_rate"] = args.rate
        if "district" in args.scenarios:
            found["district"] = district.district(
                groups, sent, args.steps, m, args.step_seconds, args.warmup, args.refine, say
            )
        if "burst" in args.scenarios:
            found["burst"] = district.burst(groups, sent, args.bursts, say)


def profile(app, lines, out: Path, undo: Undo) -> None:
    """Time each line's requests in-process, then profile them with pyinstrument."""
    from pyinstrument import Profiler

    client = app.test_client(use_cookies=False)  # each request carries its own cookie

    def send(r: load.Request, expect) -> None:
        response = client.open(r.path, method=r.method, headers=r.headers(), data=r.body)
        response.get_data()
        if response.status_code != expect.status:
            raise SystemExit(f"{r.method} {r.path} answered {response.status_code}")

    for line in lines:
        count = 50 if line.key == "insight" else 500
        items = (line.items * (count // len(line.items) + 1))[:count]
        for r, expect in items[:3]:  # warm caches and templates first
            send(r, expect)
        t = time.perf_counter()
        for r, expect in items:
            send(r, expect)
        elapsed = time.perf_counter() - t
        profiler = Profiler(interval=0.001)
        profiler.start()
        for r, expect in items:
            send(r, expect)
        profiler.stop()
        if line.writes:
            undo.undo()
        (out / f"profile-{line.key}.txt").write_text(profiler.output_text(unicode=True))
        (out / f"profile-{line.key}.html").write_text(profiler.output_html())
        say(
            f"  {line.key:10} {elapsed / count * 1000:8.2f} ms a request in-process "
            f"-> {out / f'profile-{line.key}.txt'}"
        )


if __name__ == "__main__":
    sys.exit(main())
