"""flask --app classroom backup FILE: a consistent copy while students write, and restoring it."""

from __future__ import annotations

import json
import shutil
import sqlite3
import threading
from contextlib import closing
from pathlib import Path

import pytest

from classroom import create_app
from classroom.store.backup import BackupError, backup

# SQLite's backup API (on PostgreSQL, backup runs pg_dump): left out on PostgreSQL.
pytestmark = pytest.mark.sqlite_only

REPORT_1 = "la-detainers-report-1"
BEFORE, AFTER = 6, 3  # confirmed writes per student before the backup, and after it


def rows(path: Path, sql: str, params=()) -> list[tuple]:
    with closing(sqlite3.connect(path)) as db:
        return db.execute(sql, params).fetchall()


def test_a_backup_is_one_checked_file_for_its_owner_only(runner, app, school, tmp_path):
    target = tmp_path / "backups" / "classroom.sqlite"
    target.parent.mkdir()
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert "integrity check ok" in result.output
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    assert sorted(p.name for p in target.parent.iterdir()) == ["classroom.sqlite"]
    assert rows(target, "PRAGMA integrity_check") == [("ok",)]
    assert rows(target, "PRAGMA journal_mode") == [("delete",)]  # no -wal needed beside it
    assert rows(target, "select username from users order by id") == [
        ("teacher",),
        ("ada",),
        ("ben",),
        ("other",),
        ("cy",),
    ]


def test_a_backup_refuses_to_overwrite_the_database_or_to_go_nowhere(runner, app, tmp_path):
    itself = runner.invoke(args=["backup", app.config["DATABASE"]])
    assert itself.exit_code != 0 and "would overwrite the database itself" in itself.output
    nowhere = runner.invoke(args=["backup", str(tmp_path / "no" / "such" / "folder.sqlite")])
    assert nowhere.exit_code != 0 and "does not exist" in nowhere.output
    with pytest.raises(BackupError, match="there is no database"):
        backup(tmp_path / "missing.sqlite", tmp_path / "copy.sqlite")


class Student(threading.Thread):
    """Saves and submits in turns until told to stop, keeping every write the app confirmed:
    drafts by their number, attempts by id with the answer sent."""

    def __init__(self, app, user_id: int, assignment_id: int, name: str):
        super().__init__(name=f"student-{name}", daemon=True)
        self.client = app.test_client()  # logged in by the fixture that makes it
        self.user_id, self.aid, self.tag = user_id, assignment_id, name
        self.drafts: list[int] = []  # numbers of the drafts confirmed, in order
        self.attempts: dict[int, str] = {}  # attempt id -> the answer it was sent with
        self.stop, self.error = threading.Event(), None

    def confirmed(self) -> int:
        return len(self.drafts) + len(self.attempts)

    def run(self) -> None:
        n = 0
        try:
            while not self.stop.is_set() and n < 500:  # bounded, whatever happens
                n += 1
                if n % 3:
                    body = {"answers": {"reflect": f"{self.tag} draft {n}"}}
                    response = self.client.put(f"/api/assignments/{self.aid}/draft", json=body)
                    assert response.status_code == 200
                    self.drafts.append(n)
                else:
                    answer = f"{self.tag} attempt {n}"
                    response = self.client.post(
                        f"/assignments/{self.aid}/submit",
                        data={"highlights": "[]", "answer-reflect": answer},
                    )
                    assert response.status_code == 302
                    self.attempts[int(response.location.rsplit("/", 1)[1])] = answer
        except Exception as err:  # noqa: BLE001 - the test reports it
            self.error = err


def number(answer: str) -> int:
    """The number of the write an answer was sent with ("ada draft 7" -> 7)."""
    return int(answer.rsplit(" ", 1)[1])


def wait_until(students, enough: int) -> None:
    """Until every student has had `enough` writes confirmed (or one failed)."""
    for student in students:
        while student.confirmed() < enough and student.is_alive():
            student.stop.wait(0.01)
        assert student.error is None, student.error


@pytest.fixture
def busy(app, school, log_in):
    """Ada, Ben and Cy writing at once, stopped and joined at the end."""
    students = [
        Student(app, school["students"][0], school["assignments"][REPORT_1], "ada"),
        Student(app, school["students"][1], school["assignments"][REPORT_1], "ben"),
        Student(app, school["outsider"], school["other_assignment"], "cy"),
    ]
    for student in students:
        log_in(student.client, student.user_id)
        student.start()
    yield students
    for student in students:
        student.stop.set()
        student.join(timeout=30)
    assert not any(s.is_alive() for s in students)


def test_a_backup_while_students_write_holds_every_write_confirmed_before_it(
    runner, app, busy, tmp_path
):
    wait_until(busy, BEFORE)
    confirmed = {s.user_id: (list(s.drafts), dict(s.attempts)) for s in busy}
    target = tmp_path / "during.sqlite"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    wait_until(busy, max(s.confirmed() for s in busy) + AFTER)  # they wrote on meanwhile
    assert rows(target, "PRAGMA integrity_check") == [("ok",)]
    for user_id, (drafts, attempts) in confirmed.items():
        stored = dict(
            rows(
                target,
                "select t.id, json_extract(a.answer, '$') from attempts t join attempt_answers a "
                "on a.attempt_id = t.id and a.task_id = 'reflect' where t.student_id = ?",
                [user_id],
            )
        )
        assert attempts.items() <= stored.items(), "a confirmed attempt is missing"
        # Saving and submitting both write the draft: the copy's is the last write confirmed
        # before the backup, or one made after it.
        (work,) = rows(target, "select work from drafts where student_id = ?", [user_id])[0]
        last = max(drafts + [number(answer) for answer in attempts.values()])
        assert number(json.loads(work)["answers"]["reflect"]) >= last


def test_restoring_a_backup_as_documented_brings_its_data_back(
    runner, app, school, tmp_path, log_in
):
    aid = school["assignments"][REPORT_1]
    ada = app.test_client()
    log_in(ada, school["students"][0])
    kept = ada.post(
        f"/assignments/{aid}/submit", data={"highlights": "[]", "answer-reflect": "kept"}
    )
    target = tmp_path / "backup.sqlite"
    assert runner.invoke(args=["backup", str(target)]).exit_code == 0
    lost = ada.post(
        f"/assignments/{aid}/submit", data={"highlights": "[]", "answer-reflect": "lost"}
    )
    # 1. the app is stopped
    app.extensions["classroom.db"].close()
    # 2. copy the backup over the database; 3. remove the -wal and -shm files beside it
    database = Path(app.config["DATABASE"])
    shutil.copyfile(target, database)
    for leftover in ("-wal", "-shm"):
        Path(f"{database}{leftover}").unlink(missing_ok=True)
    # 4. start the app again, on the restored file
    restored = create_app({**app.config, "DATABASE": str(database)})
    student = restored.test_client()
    log_in(student, school["students"][0])
    assert "kept" in student.get(kept.location).text
    assert student.get(lost.location).status_code == 404  # written after the backup: gone
    teacher = restored.test_client()
    log_in(teacher, school["teacher"])
    page = teacher.get(f"/teacher/assignments/{aid}/review").text
    assert "Ada" in page and "Ben" in page
