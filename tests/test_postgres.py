"""The PostgreSQL adapter: placeholders and the URL check (on either engine), and what only
PostgreSQL does (make test-postgres): a read-only database, backups with pg_dump.

Everything else it does with a server is tested by the whole suite, run on PostgreSQL.
"""

from __future__ import annotations

import pytest

from classroom import create_app
from classroom.db import get_db
from classroom.store.postgres import to_pyformat

REPORT_1 = "la-detainers-report-1"


@pytest.mark.parametrize(
    "sqlite, postgresql",
    [
        ("select id from users where id = ?", "select id from users where id = %s"),
        (
            "update classes set join_code = :code where id = :class and not exists "
            "(select 1 from classes where join_code = :code)",
            "update classes set join_code = %(code)s where id = %(class)s and not exists "
            "(select 1 from classes where join_code = %(code)s)",
        ),
        # quotes and comments are copied, an apostrophe in a comment included
        (
            "select json_extract(v, '$.id: ?') from t -- the highlight's latest\n where a = :a",
            "select json_extract(v, '$.id: ?') from t -- the highlight's latest\n where a = %(a)s",
        ),
        ('select "end", "a:b" from t where x = ?', 'select "end", "a:b" from t where x = %s'),
        # % is psycopg's own mark, inside quotes too; :: is a cast, not a parameter
        (
            "select '100%' as p, x % 2, y::text from t where z = ?",
            "select '100%%' as p, x %% 2, y::text from t where z = %s",
        ),
        (
            "select 'it''s :not ? a param' as s, ? as p",
            "select 'it''s :not ? a param' as s, %s as p",
        ),
    ],
)
def test_placeholders_are_translated_outside_quotes_and_comments(sqlite, postgresql):
    assert to_pyformat(sqlite) == postgresql


def test_a_statement_mixing_placeholders_is_refused():
    with pytest.raises(ValueError, match="not both"):
        to_pyformat("select * from t where a = ? and b = :b")


def test_a_database_url_that_is_not_postgresql_stops_the_app(tmp_path):
    config = {"TESTING": True, "SECRET_KEY": "x", "DATABASE": str(tmp_path / "db.sqlite")}
    with pytest.raises(RuntimeError, match="CLASSROOM_DATABASE_URL"):
        create_app(config | {"DATABASE_URL": "mysql://somewhere/school"})


@pytest.fixture
def make_read_only(app):
    """make_read_only(): the app's database read-only (as on a standby) for the connections
    opened from then on; writable again when the test ends."""
    with app.app_context():
        name = get_db().execute("select current_database()").fetchone()[0]

    def make_read_only() -> None:
        with app.app_context():
            get_db().execute(f"alter database {name} set default_transaction_read_only = on")
        app.extensions["classroom.db"].close()

    yield make_read_only
    with app.app_context():
        db = get_db()
        db.execute("set default_transaction_read_only = off")  # this connection only
        db.execute(f"alter database {name} reset default_transaction_read_only")
    app.extensions["classroom.db"].close()


@pytest.mark.postgres_only
def test_a_read_only_database_answers_writes_503_and_readyz_says_why(
    app, school, client_of, make_read_only
):
    ada = client_of(app, school["students"][0])
    make_read_only()
    assignment = school["assignments"][REPORT_1]
    work = {"highlights": [], "answers": {"reflect": "my first thoughts"}}
    response = ada.put(f"/api/assignments/{assignment}/draft", json=work)
    assert response.status_code == 503
    assert response.json == {"error": "The server could not store it", "status": 503}
    assert int(response.headers["Retry-After"]) > 0
    ready = app.test_client().get("/readyz")
    assert ready.status_code == 503
    assert "cannot be written" in ready.get_data(as_text=True)
    assert "read-only transaction" in ready.get_data(as_text=True)


@pytest.mark.postgres_only
def test_backup_on_postgresql_is_a_pg_dump_archive(app, school, runner, tmp_path):
    target = tmp_path / "classroom.dump"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert "pg_dump" in result.output and "postgresql://" not in result.output  # no password
    assert target.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format, for pg_restore
    assert target.stat().st_mode & 0o077 == 0  # students' work: readable by its owner only
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
