"""Running a class from a laptop: the address on the school network (found with fakes, sending
nothing), the join link as a QR code, `flask join-link` and `make classroom`."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import segno

from classroom import lan
from classroom.db import get_db
from classroom.store import classes

ROOT = Path(__file__).resolve().parent.parent
DEBUG = {"FLASK_DEBUG": "1"}
PASSWORD = "a long teacher password"


class FakeSocket:
    """A UDP socket that knows which address each target is reached from (OSError: no route),
    and records what was done with it: nothing may be sent."""

    def __init__(self, routes: dict[str, str], calls: list):
        self.routes, self.calls, self.target = routes, calls, None

    def connect(self, where):
        self.calls.append(("connect", where))
        if where[0] not in self.routes:
            raise OSError(101, "Network is unreachable")
        self.target = where[0]

    def getsockname(self):
        return (self.routes[self.target], 40000)

    def close(self):
        self.calls.append(("close",))

    def __getattr__(self, name):  # send, sendto...: never
        raise AssertionError(f"the probe called {name}")


def find(routes: dict[str, str], host: list[str] = ()) -> tuple[str | None, list]:
    calls: list = []
    found = lan.lan_address(lambda: FakeSocket(routes, calls), lambda: host)
    return found, calls


def test_the_address_is_the_one_the_system_would_send_from_to_the_world():
    found, calls = find({"192.0.2.1": "192.168.1.23"})
    assert found == "192.168.1.23"
    assert calls == [("connect", ("192.0.2.1", 9)), ("close",)]


def test_a_network_with_no_way_out_is_found_through_its_private_range():
    found, calls = find({"192.168.255.254": "192.168.4.7"})
    assert found == "192.168.4.7"
    assert calls.count(("close",)) == len(lan.ROUTE_PROBES)  # every probe closed


@pytest.mark.parametrize("useless", ["127.0.0.1", "0.0.0.0", "169.254.3.4"])
def test_a_loopback_or_link_local_answer_is_passed_over(useless):
    found, _ = find({"192.0.2.1": useless, "10.255.255.254": "10.20.30.40"})
    assert found == "10.20.30.40"


def test_without_any_route_the_host_names_addresses_are_tried():
    found, _ = find({}, host=["127.0.1.1", "172.20.1.5"])  # Debian names its host 127.0.1.1
    assert found == "172.20.1.5"


def test_a_computer_on_no_network_has_no_address():
    found, calls = find({}, host=["127.0.1.1"])
    assert found is None and [c for c in calls if c[0] == "connect"] == [
        ("connect", (target, lan.PROBE_PORT)) for target in lan.ROUTE_PROBES
    ]


def test_the_real_lookup_needs_no_network_and_gives_a_usable_address_or_none():
    found = lan.lan_address()
    assert found is None or lan.usable(found)


def decoded(lines: list[str], colour: bool) -> list[list[int]]:
    """The modules the lines draw, two rows a line, 1 for dark."""
    top, below = [], []
    for line in lines:
        if colour:
            cells = re.findall(r"\033\[(\d+)m\033\[(\d+)m\u2580", line)
            top.append([int(fg == "30") for fg, _ in cells])
            below.append([int(bg == "40") for _, bg in cells])
        else:
            ink = {v: k for k, v in lan.INK.items()}
            top.append([ink[c][0] for c in line])
            below.append([ink[c][1] for c in line])
    return [row for pair in zip(top, below, strict=True) for row in pair]


@pytest.mark.parametrize("colour", [True, False])
def test_the_qr_code_drawn_is_segnos_code_of_the_link(colour):
    link = "http://192.168.1.23:8000/join?code=DEMO42"
    lines = list(lan.qr_lines(link, colour=colour))
    wanted = [list(r) for r in segno.make(link, error="m").matrix_iter(scale=1, border=4)]
    drawn = decoded(lines, colour)
    assert drawn[: len(wanted)] == wanted
    assert all(not any(row) for row in drawn[len(wanted) :])  # the padding row is light
    if colour:  # black and white named outright: the terminal's theme does not matter
        assert all(line.endswith(lan.RESET) for line in lines)


@pytest.fixture
def teacher(runner):
    done = runner.invoke(args=["create-teacher", "hopper", "--password", PASSWORD])
    assert done.exit_code == 0, done.output


@pytest.fixture
def at(monkeypatch):
    """at(address): the laptop is at this address on its network (None: on none)."""
    return lambda address: monkeypatch.setattr(lan, "lan_address", lambda: address)


def test_join_link_prints_the_class_link_and_its_qr_code(runner, app, teacher, at):
    at("10.1.2.3")
    with app.app_context():
        klass = classes.create_class(get_db(), 1, "Period 1")
    done = runner.invoke(args=["join-link"])
    assert done.exit_code == 0, done.output
    link = f"http://10.1.2.3:8000/join?code={klass['join_code']}"
    assert f"Students join Period 1 at {link}" in done.output
    assert "You log in at http://10.1.2.3:8000/login" in done.output
    assert "".join(lan.qr_lines(link, colour=False)) in done.output.replace("\n", "")


def test_join_link_with_several_classes_lists_their_codes_or_picks_one(runner, app, teacher, at):
    at("10.1.2.3")
    with app.app_context():
        codes = {n: classes.create_class(get_db(), 1, n)["join_code"] for n in ("7A", "7B")}
    done = runner.invoke(args=["join-link", "--port", "8080"])
    assert "Students join at http://10.1.2.3:8080/join with their class's code" in done.output
    assert f"7A: {codes['7A']}" in done.output and f"7B: {codes['7B']}" in done.output
    picked = runner.invoke(args=["join-link", "--class", "7B"])
    assert f"Students join 7B at http://10.1.2.3:8000/join?code={codes['7B']}" in picked.output
    missing = runner.invoke(args=["join-link", "--class", "8C"])
    assert missing.exit_code == 1 and "no class named '8C' is open to joining" in missing.output


def test_join_link_on_no_network_says_so(runner, teacher, at):
    at(None)
    done = runner.invoke(args=["join-link"])
    assert done.exit_code == 0
    assert "No network address found: only this computer will reach Classroom" in done.output
    assert "http://127.0.0.1:8000/join" in done.output


def test_join_link_needs_a_teacher_first(runner, at):
    at("10.1.2.3")
    done = runner.invoke(args=["join-link"])
    assert done.exit_code == 1
    assert "flask --app classroom create-teacher USERNAME" in done.output


def test_join_link_refuses_the_demos_public_logins_unless_told(runner, at):
    at("10.1.2.3")
    assert runner.invoke(args=["demo"], env=DEBUG).exit_code == 0
    refused = runner.invoke(args=["join-link"])
    assert refused.exit_code == 1
    assert "teacher, ada, ben have the demo's public password" in refused.output
    allowed = runner.invoke(args=["join-link", "--allow-demo"])
    assert allowed.exit_code == 0
    assert "http://10.1.2.3:8000/join?code=DEMO42" in allowed.output


def recipe(target: str) -> list[str]:
    makefile = (ROOT / "Makefile").read_text()
    body = re.search(rf"^{target}:.*\n((?:\t.*\n)+)", makefile, re.M).group(1)
    return [line.strip() for line in body.splitlines()]


def test_make_classroom_serves_the_network_with_gunicorn_after_the_join_link():
    steps = recipe("classroom")
    assert steps[0] == "$(FLASK) init-db"
    assert steps[1].startswith("$(FLASK) join-link --port $(CLASSROOM_PORT)")
    assert steps[2] == (
        "CLASSROOM_BIND=0.0.0.0:$(CLASSROOM_PORT) $(BIN)/gunicorn --config gunicorn.conf.py"
    )
    assert not any("flask run" in s or "--debug" in s for s in steps)  # not the debug server


def test_make_classroom_join_link_step_runs_as_written(tmp_path, password):
    """The join-link line of the recipe, as make runs it, on a school with a teacher."""
    makefile = (ROOT / "Makefile").read_text()
    flask = re.search(r"^FLASK := \$\(BIN\)/flask (.*)$", makefile, re.M).group(1)
    line = recipe("classroom")[1].split(" $(if ")[0].replace("$(CLASSROOM_PORT)", "8123")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLASSROOM_", "FLASK_"))}
    env["CLASSROOM_INSTANCE_PATH"] = str(tmp_path)
    base = [sys.executable, "-m", "flask", *shlex.split(flask)]
    for step in (["create-teacher", "hopper", "--password", PASSWORD], []):
        command = base + (step or shlex.split(line.removeprefix("$(FLASK) ")))
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    assert re.search(r"Students join at http://[\d.]+:8123/join", done.stdout)
