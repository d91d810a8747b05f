"""A throwaway PostgreSQL for the benchmark, and the built school copied into it.

The server is started the way the test suite starts one (tests/pg_cluster.py: a temporary
folder, a Unix socket, fsync and synchronous_commit off, run as the postgres user when we are
root) and deleted afterwards. The school is built in SQLite (school.py) and copied table by
table with COPY, after the app's own migrations made the schema, so both engines serve the same
rows, the same ids and the same sessions. Database time is the CPU of the postmaster and its
backends, read from /proc like the app servers'.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from server import tree_cpu_seconds

from tests import pg_cluster

DATABASE = "bench"


class Postgres:
    """A PostgreSQL server in a temporary folder, with an empty database named bench."""

    def __enter__(self) -> Postgres:
        import psycopg

        self.folder = Path(tempfile.mkdtemp(prefix="classroom-bench-pg-"))
        admin = pg_cluster.start(self.folder)
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"create database {DATABASE}")
        self.url = admin.replace("/postgres?", f"/{DATABASE}?")
        self.pid = int((self.folder / "data" / "postmaster.pid").read_text().split()[0])
        return self

    def __exit__(self, *exc) -> None:
        pg_cluster.stop(self.folder)
        shutil.rmtree(self.folder, ignore_errors=True)

    def cpu_seconds(self) -> float:
        """CPU seconds the postmaster and every backend have used (ended ones included)."""
        return tree_cpu_seconds(self.pid)


def copy_school(sqlite_path: Path, url: str, exercises_dir: Path) -> dict[str, int]:
    """Make the schema on PostgreSQL with the app's migrations (init-db), then copy every
    table's rows from the SQLite file; the rows copied by table."""
    import psycopg

    from classroom import create_app
    from classroom.db import init_db

    app = create_app(
        {"SECRET_KEY": "x" * 32, "DATABASE_URL": url, "EXERCISES_DIR": str(exercises_dir)}
    )
    with app.app_context():
        init_db()
    source = sqlite3.connect(sqlite_path)
    counts = {}
    started = time.monotonic()
    try:
        with psycopg.connect(url) as conn:
            # the rows are copied as they are, in any order: no foreign key checks meanwhile
            conn.execute("set session_replication_role = replica")
            wanted = [
                r[0]
                for r in conn.execute(
                    "select tablename from pg_tables where schemaname = current_schema()"
                )
                if r[0] != "schema_migrations"
            ]
            for table in wanted:
                columns = [r[1] for r in source.execute(f'pragma table_info("{table}")')]
                if not columns:
                    continue
                names = ", ".join(f'"{c}"' for c in columns)
                rows = source.execute(f'select {names} from "{table}"')
                n = 0
                with conn.cursor().copy(f'copy "{table}" ({names}) from stdin') as copy:
                    for row in rows:
                        copy.write_row(row)
                        n += 1
                counts[table] = n
            identities = conn.execute(
                "select table_name, column_name from information_schema.columns "
                "where table_schema = current_schema() and is_identity = 'YES'"
            ).fetchall()
            for table, column in identities:
                conn.execute(
                    f"select setval(pg_get_serial_sequence('\"{table}\"', '{column}'), "
                    f'coalesce((select max("{column}") from "{table}"), 0) + 1, false)'
                )
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("vacuum analyze")
    finally:
        source.close()
    counts["seconds"] = round(time.monotonic() - started)
    return counts
