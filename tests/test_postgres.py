"""The PostgreSQL adapter's parts that need no server: placeholders, the URL check.

What it does with a server is tested by the whole suite, run on PostgreSQL with
`make test-postgres`, and by test_on_postgres.py (what only PostgreSQL does).
"""

from __future__ import annotations

import pytest

from classroom import create_app
from classroom.store.postgres import to_pyformat


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
