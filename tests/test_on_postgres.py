"""What only PostgreSQL does, run by `make test-postgres` only (conftest.py leaves this file out
on SQLite): a read-only database answered with 503, backups made with pg_dump."""

from __future__ import annotations

import pytest

from classroom.db import get_db

REPORT_1 = "la-detainers-report-1"


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


def test_backup_on_postgresql_is_a_pg_dump_archive(app, school, runner, tmp_path):
    target = tmp_path / "classroom.dump"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert "pg_dump" in result.output and "postgresql://" not in result.output  # no password
    assert target.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format, for pg_restore
    assert target.stat().st_mode & 0o077 == 0  # students' work: readable by its owner only
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
