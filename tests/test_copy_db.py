"""copy-db: a school moved into another database (SQLite, and on the PostgreSQL run into
PostgreSQL and back), every table checked before it is committed, and served alike after."""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import re

import pytest

from classroom import create_app
from classroom import credit as crediting
from classroom.db import get_db, init_db
from classroom.exercises import library
from classroom.store import (
    accounts,
    attempts,
    copy,
    drafts,
    lti,
    lti_grades,
    migrate,
    reviews,
    studio,
    throttle,
)
from classroom.store.addresses import opened
from classroom.store.engine import target

REPORT_1 = "la-detainers-report-1"
REPORT_2 = "la-detainers-report-2"
FLAG = "Federal immigration"  # words no answer-key item touches: a highlight to credit
# What COPY's text format and JSON must carry over as it is: a tab, a backslash (and \N, COPY's
# null), quotes, letters outside ASCII, an emoji, a new line.
NOTE = "a tab\t, a backslash \\ and \\N, “quotes”, naïve, 😀\nand a second line"
COMMENT = "Regardez encore le 2ᵉ paragraphe — « qui » le dit ?"
RECORDS = {"_sqlite_migrations", "schema_migrations"}  # each engine's record of migrations
# The engines a copy can go into on this run (tests/pg_cluster.py sets the variable).
ENGINES = ["sqlite", "postgresql"] if os.environ.get("CLASSROOM_TEST_POSTGRES") else ["sqlite"]


class Databases:
    """New, empty databases to copy into, on either engine, and apps on them; each closed and
    (on PostgreSQL) dropped when the test ends."""

    def __init__(self, tmp_path, postgres) -> None:
        self.tmp_path, self.postgres = tmp_path, postgres
        self.apps: list = []
        self.made: list[str] = []
        self.numbers = itertools.count(1)

    def new(self, kind: str) -> str:
        """The address of a database that does not exist yet (SQLite) or is empty (PostgreSQL)."""
        if kind == "sqlite":
            return str(self.tmp_path / f"copy-{next(self.numbers)}.sqlite")
        self.made.append(self.postgres.create())
        return self.postgres.url_of(self.made[-1])

    def app_on(self, address: str):
        """The app, CSRF off, on the database at address (not migrated by it)."""
        config = {
            "TESTING": True,
            "SECRET_KEY": "test-only-secret",
            "WTF_CSRF_ENABLED": False,
            "DATABASE": str(self.tmp_path / f"unused-{next(self.numbers)}.sqlite"),
        }
        if address.startswith("postgresql://"):
            config["DATABASE_URL"] = address
        else:
            config["DATABASE"] = address
        self.apps.append(create_app(config))
        return self.apps[-1]

    def close(self) -> None:
        for app in self.apps:
            app.extensions["classroom.db"].close()
        for name in self.made:
            self.postgres.drop(name)


@pytest.fixture
def databases(tmp_path, postgres):
    made = Databases(tmp_path, postgres)
    yield made
    made.close()


@pytest.fixture
def full_school(app, school, client, auth, highlight):
    """The school with rows in every table, as a day of use leaves them: a wrong password
    (ben), a login (ada: a session and a trusted device), her attempt with a highlight to
    credit, seen (its answers shown), scored, commented and credited by the teacher; ben's
    attempt with his answers stored in another order than their key's; a draft, a wrong join
    code and a studio draft."""
    with app.app_context():
        report = library().exercises[REPORT_1]
    ada, ben = school["students"]
    first, second = school["assignments"][REPORT_1], school["assignments"][REPORT_2]
    assert b"do not match" in auth.login("ben", "not his password").data
    assert auth.login("ada").status_code == 302
    marks = [
        highlight(report, "slammed", "loaded_language", note=NOTE),
        highlight(report, FLAG, "loaded_language"),
    ]
    form = {"highlights": json.dumps(marks), "answer-reflect": NOTE, "choice-quiz": ["0"]}
    submitted = client.post(f"/assignments/{first}/submit", data=form)
    assert submitted.status_code == 302, submitted.get_data(as_text=True)
    attempt = int(submitted.location.rsplit("/", 1)[1])
    assert client.get(f"/attempts/{attempt}").status_code == 200  # its answers are seen
    with app.app_context():
        db = get_db()
        flag = next(
            h["id"] for h in attempts.get_attempt(db, attempt)["highlights"] if h["quote"] == FLAG
        )
        reviews.set_score(db, attempt, 1 / 3, school["teacher"])
        reviews.set_comment(db, attempt, COMMENT, school["teacher"])
        crediting.credit(db, attempt, flag, school["teacher"])
        snapshot = {"id": report.id, "version": report.version, "title": report.title}
        answers = {"reflect": "Ben's answer, \\ and all", "quiz": [1]}  # reflect stored first
        by_ben = attempts.record_attempt(
            db,
            first,
            ben,
            snapshot,
            {"highlights": [], "answers": answers},
            {"score": 0.1, "tasks": {}},
        )
        drafts.save_draft(
            db, second, ada, "draft", {"highlights": [], "answers": {"reflect": NOTE}}
        )
        throttle.join_turn(db, "203.0.113.9", "NOPE42")
        studio.create_draft(db, school["teacher"], "my-exercise", {"title": "Ébauche", "steps": []})
        # LTI: a platform and its deployment, Ada's account there, the class as its course, a
        # link with its gradebook column, a nonce, a score waiting, a registration link
        issuer, platform = "https://platform.test", {"name": "Plateforme"}
        platform |= {"issuer": "https://platform.test", "client_id": "client-1"}
        platform |= {k: f"{issuer}/{k}" for k in ("login_url", "token_url", "keyset_url")}
        platform_id = lti.add_platform(db, platform, ["deployment-1"], school["teacher"])
        db["lti_accounts"].insert(
            {"issuer": issuer, "subject": "ada-there", "user_id": ada, "created_at": "2026-01-01"}
        )
        lti.link_course(db, issuer, "course-1", school["class"]["id"], platform_id, "Période 1")
        lti.save_link(db, issuer, "link-1", first, platform_id, f"{issuer}/lineitems/1", ["s"])
        lti.put_value(db, "lti1p3-nonce-1", True, 3600)
        lti_grades.want(db, first, ada)
        lti.new_registration_link(db, school["teacher"])
    return school | {"attempt": attempt, "by_ben": by_ben}


def copy_db(app, address: str):
    """Run `flask copy-db address` on the app's database."""
    return app.test_cli_runner().invoke(args=["copy-db", address])


def report(output: str) -> dict[str, tuple[int, str, str]]:
    """copy-db's table: (rows, sha256's first 16 digits, verdict) by table."""
    lines = re.findall(r"^(\w+) +(\d+) +([0-9a-f]{16}) +(.+)$", output, re.M)
    return {name: (int(rows), digest, verdict) for name, rows, digest, verdict in lines}


def tables_of(app) -> set[str]:
    """The tables in the app's database, as its engine lists them."""
    with app.app_context():
        return set(get_db().table_names()) - RECORDS


def rows_of(app) -> dict[str, int]:
    with app.app_context():
        db = get_db()
        return {t: db.execute(f'select count(*) from "{t}"').fetchone()[0] for t in tables_of(app)}


def fingerprint(address: str) -> dict:
    """Every table's rows and checksum in the database at address, and its migrations."""
    with opened(address, source=True) as db:
        return {t.name: copy.checksum(db, t) for t in copy.tables()} | {
            "migrations": migrate.applied(db)
        }


@pytest.fixture
def chain(app, full_school, databases, postgres):
    """The school's database and its copies, each made from the one before: into SQLite, and
    on the PostgreSQL run from there into PostgreSQL and back into SQLite (else into SQLite
    again). (app, copy-db's output) each, the original first, with no output."""
    hops = ["sqlite", "postgresql", "sqlite"] if postgres else ["sqlite", "sqlite"]
    made = [(app, None)]
    for kind in hops:
        address = databases.new(kind)
        result = copy_db(made[-1][0], address)
        assert result.exit_code == 0, result.output
        made.append((databases.app_on(address), result.output))
    return made


def test_every_table_is_copied_with_its_rows_and_checksum(chain):
    original, _ = chain[0]
    tables, rows = tables_of(original), rows_of(original)
    empty = sorted(t for t, n in rows.items() if n == 0)
    assert not empty, f"full_school leaves {empty} empty: give it rows there, so they are checked"
    digests = None
    for app, output in chain[1:]:
        checked = report(output)
        assert set(checked) == tables | {"migrations"}, "a table was left out of the copy"
        assert {t: checked[t][0] for t in tables} == rows
        assert {v for _, _, v in checked.values()} == {"ok"}
        assert tables_of(app) == tables and rows_of(app) == rows
        digests = digests or {t: d for t, (_, d, _) in checked.items()}
        assert {t: d for t, (_, d, _) in checked.items()} == digests  # alike at every hop


def test_a_teachers_csvs_are_byte_identical_from_each_copy(chain, full_school, client_of):
    urls = [
        f"/teacher/classes/{full_school['class']['id']}/gradebook.csv",
        *(f"/teacher/assignments/{a}/attempts.csv" for a in full_school["assignments"].values()),
    ]
    served = []
    for app, _ in chain:
        teacher = client_of(app, full_school["teacher"])
        served.append([])
        for url in urls:  # each read out before the next: a download streams
            response = teacher.get(url)
            assert response.status_code == 200
            served[-1].append(response.data)
    # ben's answers in the order stored, which their key's would not give
    report_1 = served[0][1 + list(full_school["assignments"]).index(REPORT_1)]
    rows = list(csv.DictReader(io.StringIO(report_1.decode("utf-8-sig"), newline="")))
    bens = [r["task"] for r in rows if r["attempt_id"] == str(full_school["by_ben"])]
    assert bens == ["reflect", "quiz"]
    assert NOTE in {r["note"] for r in rows}
    for copied in served[1:]:
        assert copied == served[0]


def test_a_copy_takes_a_login_and_shows_a_students_attempt(chain, full_school, password):
    for app, _ in chain[1:]:
        client = app.test_client()
        response = client.post("/login", data={"username": "ada", "password": password})
        assert response.status_code == 302
        page = client.get(f"/attempts/{full_school['attempt']}").get_data(as_text=True)
        assert "slammed" in page and "« qui » le dit" in page
        assert "naïve" in page


def test_the_next_insert_on_a_copy_takes_a_new_id(chain, full_school, client_of, highlight):
    with chain[0][0].app_context():
        report_1 = library().exercises[REPORT_1]
    first = full_school["assignments"][REPORT_1]
    form = {"highlights": json.dumps([highlight(report_1, "slammed", "loaded_language")])}
    for app, _ in chain[1:]:
        ben = client_of(app, full_school["students"][1])
        submitted = ben.post(f"/assignments/{first}/submit", data=form)
        assert submitted.status_code == 302
        assert int(submitted.location.rsplit("/", 1)[1]) > full_school["by_ben"]
        with app.app_context():
            db = get_db()
            if db.engine == "postgresql":  # every identity column goes on past its rows
                columns = db.execute(copy.IDENTITY_COLUMNS).fetchall()
                assert {t for t, _ in columns} >= {"attempts", "users", "attempt_answers"}
                for table, column in columns:
                    taken = db.execute(f'select coalesce(max("{column}"), 0) from "{table}"')
                    following = db.execute(
                        "select nextval(pg_get_serial_sequence(?, ?))", [table, column]
                    )
                    assert following.fetchone()[0] > taken.fetchone()[0], (table, column)


def test_progress_is_shown_batch_by_batch(app, full_school, databases, monkeypatch):
    updates, totals = [], []

    class Bar:
        def __init__(self, total):
            totals.append(total)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def update(self, rows):
            updates.append(rows)

    monkeypatch.setattr(copy, "BATCH", 3)
    checks = copy.copy(target(app.config), databases.new("sqlite"), Bar)
    rows = {c.table: c.rows for c in checks if c.table != "migrations"}
    assert totals == [sum(rows.values())] == [sum(updates)]
    assert len(updates) == sum(-(-n // 3) for n in rows.values()) and max(updates) == 3
    result = copy_db(app, databases.new("sqlite"))
    assert result.output.startswith("Copying\n")  # without a terminal, click shows the label
    assert re.search(r"^Copied [\d,]+ rows into .*, every table checked\.$", result.output, re.M)


def test_what_the_app_writes_during_the_copy_is_left_out(app, full_school, databases, elsewhere):
    before = rows_of(app)["join_failures"]

    def progress(total):
        with elsewhere(app) as other:  # after the source's snapshot was taken
            throttle.join_turn(other, "198.51.100.7", "WRONG9")
        return copy._quietly(total)

    address = databases.new("sqlite")
    copy.copy(target(app.config), address, progress)
    assert rows_of(app)["join_failures"] == before + 1
    assert rows_of(databases.app_on(address))["join_failures"] == before


@pytest.mark.parametrize("kind", ENGINES)
def test_a_non_empty_target_is_refused_and_left_untouched(app, full_school, databases, kind):
    address = databases.new(kind)
    with databases.app_on(address).app_context():
        init_db()
        accounts.create_user(get_db(), "early", "An early teacher", "x" * 12, "teacher")
    before = fingerprint(address)
    result = copy_db(app, address)
    assert result.exit_code == 1
    assert "is not empty (users have rows)" in result.output
    assert fingerprint(address) == before


@pytest.mark.parametrize("kind", ENGINES)
def test_a_copy_that_differs_is_rolled_back_naming_the_table(app, full_school, databases, kind):
    address = databases.new(kind)
    with databases.app_on(address).app_context():
        init_db()
        db = get_db()  # the target's own trigger changes what is written: the check must see it
        if kind == "sqlite":
            db.execute(
                "create trigger mangle after insert on attempt_highlights begin "
                "update attempt_highlights set note = note || '!' where id = new.id; end"
            )
        else:
            db.execute(
                "create function mangle() returns trigger language plpgsql as "
                "$$ begin new.note := new.note || '!'; return new; end $$"
            )
            db.execute(
                "create trigger mangle before insert on attempt_highlights "
                "for each row execute function mangle()"
            )
    result = copy_db(app, address)
    assert result.exit_code == 1
    assert "differs from the source in attempt_highlights: rolled back" in result.output
    assert report(result.output)["attempt_highlights"][2].startswith("DIFFERS")
    assert report(result.output)["users"][2] == "ok"
    assert set(rows_of(databases.app_on(address)).values()) == {0}


@pytest.mark.parametrize("kind", ENGINES)
def test_a_target_whose_schema_was_changed_by_hand_is_refused(app, full_school, databases, kind):
    address = databases.new(kind)
    with databases.app_on(address).app_context():
        init_db()
        get_db().execute("alter table users add column nickname text")
    result = copy_db(app, address)
    assert result.exit_code == 1
    assert "users has the columns id, username" in result.output
    assert "nickname where the migrations make id, username" in result.output


def test_the_apps_own_database_is_refused(app, full_school, tmp_path):
    address = target(app.config)
    if address.startswith("postgresql://"):
        spellings = [address, address + "&application_name=another"]
    else:
        (tmp_path / "link.sqlite").symlink_to(address)
        spellings = [address, f"sqlite:///{address}", str(tmp_path / "link.sqlite")]
    for spelling in spellings:
        result = copy_db(app, spelling)
        assert result.exit_code == 1
        assert "the target is the database the app uses" in result.output, spelling


@pytest.mark.parametrize("kind", ENGINES)
def test_a_target_migrated_by_another_version_is_refused(app, full_school, databases, kind):
    address = databases.new(kind)
    with databases.app_on(address).app_context():
        init_db()
        record = "_sqlite_migrations" if kind == "sqlite" else "schema_migrations"
        get_db().execute(
            f"insert into {record} (migration_set, name, applied_at) values (?, ?, ?)",
            ["classroom", "m999_from_the_future", "2030-01-01T00:00:00+00:00"],
        )
    before = fingerprint(address)
    result = copy_db(app, address)
    assert result.exit_code == 1
    assert "migrations this version of Classroom does not know (m999_from_the_future)" in (
        result.output
    )
    assert fingerprint(address) == before


@pytest.mark.parametrize("kind", ENGINES)
def test_a_source_not_up_to_date_is_refused_and_no_file_is_left(app, full_school, databases, kind):
    behind = databases.new(kind)  # a copy of the school, as a version before m012 left it
    assert copy_db(app, behind).exit_code == 0
    source = databases.app_on(behind)
    with source.app_context():
        record = "_sqlite_migrations" if kind == "sqlite" else "schema_migrations"
        get_db().execute(f"delete from {record} where name = ?", ["m012_answer_order"])
    address = databases.new("sqlite")
    result = copy_db(source, address)
    assert result.exit_code == 1
    assert "not up to date (1 migration(s) pending): run 'flask --app classroom init-db'" in (
        result.output
    )
    assert not os.path.exists(address)


@pytest.mark.parametrize(
    "address, message",
    [
        (
            "mysql://me:s3cret@db.example.org/classroom",
            "mysql://me:***@db.example.org/classroom names no",
        ),
        (
            "postgresql://nobody:s3cret@127.0.0.1:1/classroom",
            "cannot connect to postgresql://nobody:***@127.0.0.1:1/classroom: connection failed",
        ),
        ("postgresql://[::1/classroom", "cannot connect to postgresql://[::1/classroom"),
        ("sqlite:///{tmp}/no/such/folder/copy.sqlite", "/no/such/folder does not exist"),
        ("{tmp}", "is a folder: give the path of a database file"),
        ("{tmp}/notes.txt", "notes.txt: file is not a database"),
    ],
    ids=["scheme", "unreachable", "bad-url", "no-folder", "folder", "not-a-database"],
)
def test_a_bad_target_gets_a_message_and_exit_1(app, full_school, tmp_path, address, message):
    (tmp_path / "notes.txt").write_text("Not a database, but notes to keep.\n" * 200)
    result = copy_db(app, address.format(tmp=tmp_path))
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output and "s3cret" not in result.output
    assert result.output.startswith("Error: nothing copied: ")
    assert message in result.output
    assert (tmp_path / "notes.txt").read_text().startswith("Not a database")
