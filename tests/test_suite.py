"""The test suite's own habits: collecting it builds no app and leaves nothing in the project."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What collecting the tests reads: the package, its files beside it, the tests and their config.
PROJECT = ("classroom", "templates", "static", "exercises", "tests", "pyproject.toml")


def fresh_copy(target: Path) -> Path:
    """The project's code and tests copied into target, without caches or an instance folder."""
    for name in PROJECT:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target / name)
    return target


def collect(project: Path, *args: str) -> subprocess.CompletedProcess:
    """`pytest --collect-only -q` in the project, importing its own copy of classroom, with no
    CLASSROOM_* setting that would move the instance folder elsewhere."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLASSROOM_")}
    env |= {"PYTHONPATH": str(project), "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"]
    return subprocess.run(
        [*command, *args], cwd=project, env=env, capture_output=True, text=True, timeout=120
    )


def test_collecting_the_tests_creates_no_instance_folder(tmp_path):
    project = fresh_copy(tmp_path / "project")
    collected = collect(project)
    assert collected.returncode == 0, collected.stdout + collected.stderr
    count = re.search(r"^(\d+) tests? collected", collected.stdout, re.M)
    assert count and int(count.group(1)) > 100, collected.stdout[-2000:]
    assert not (project / "instance").exists(), (
        "collecting the tests made instance/: something builds an app when a test module is "
        "imported (a module-level create_app or make_app?); build it in a fixture instead"
    )

    # The check can fail: a module that builds an app as it is imported makes the folder.
    (project / "tests" / "test_app_at_import.py").write_text(
        "from classroom import create_app\n\n"
        'APP = create_app({"TESTING": True, "SECRET_KEY": "built-at-import"})\n'
    )
    collect(project, "tests/test_app_at_import.py")
    assert (project / "instance").is_dir()


def test_the_postgresql_run_keeps_the_tests_that_use_a_database(tmp_path):
    """make test-postgres runs what can depend on the engine: every test with an app, a server
    or a copy of a database, but not the domain's tests, which the SQLite run has."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLASSROOM_")}
    env["CLASSROOM_TEST_POSTGRES"] = "postgresql://nobody@/nowhere"  # collecting connects to none
    files = ["tests/test_auth.py", "tests/test_grading.py", "tests/test_backup.py"]
    command = [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"]
    collected = subprocess.run(
        [*command, *files], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert collected.returncode == 0, collected.stdout + collected.stderr
    kept = {line.split("::")[0] for line in collected.stdout.splitlines() if "::" in line}
    assert kept == {"tests/test_auth.py"}, collected.stdout[-2000:]
    assert re.search(r"\d+ deselected", collected.stdout)
