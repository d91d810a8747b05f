"""Databases named by an address, as copy-db takes them: postgresql://..., sqlite:///PATH or a
file's path. A connection of its own to one, on either engine, and what tells two apart."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .connection import Database, connect
from .engine import SCHEMES, database_errors


class AddressError(Exception):
    """The address names no database that can be used; the message says why."""


def parse(address: str) -> tuple[str, str]:
    """("postgresql", url) or ("sqlite", path), for postgresql://..., sqlite:///PATH (as
    SQLAlchemy writes it: sqlite:////srv/x.sqlite is absolute) or a file's path."""
    if address.startswith(SCHEMES):
        return "postgresql", address
    if address.startswith("sqlite:///") and len(address) > len("sqlite:///"):
        return "sqlite", address.removeprefix("sqlite:///")
    if re.match(r"[A-Za-z][\w+.-]*://", address):
        raise AddressError(
            f"{shown(address)} names no database Classroom can use: give postgresql://..., "
            "sqlite:///PATH or the path of a file"
        )
    return "sqlite", address


def shown(address: str) -> str:
    """The address with any password in it hidden, for messages."""
    address = re.sub(r"(://[^/:@]*:)[^/@]*@", r"\1***@", address)
    return re.sub(r"(password=)[^&]*", r"\1***", address)


@contextlib.contextmanager
def opened(address: str, source: bool) -> Iterator[Any]:
    """A connection of its own to the database at address, either engine's Database (the
    source must exist; a target file is made if missing)."""
    kind, where = parse(address)
    db = _postgres(where) if kind == "postgresql" else _sqlite(Path(where), source)
    try:
        yield db
    finally:
        db.conn.close()


def _postgres(url: str) -> Any:
    """PostgreSQL's Database on a connection of its own (not the app's pool), autocommitting."""
    try:
        import psycopg

        from .postgres import Database as PostgresDatabase
    except ImportError as err:
        raise AddressError(
            "PostgreSQL needs the postgres extra: pip install -e '.[postgres]'"
        ) from err
    timeout = {} if "connect_timeout" in url else {"connect_timeout": 10}
    try:
        conn = psycopg.connect(url, autocommit=True, **timeout)
    except psycopg.Error as err:
        reason = " ".join(str(err).split())
        raise AddressError(f"cannot connect to {shown(url)}: {reason}") from err
    return PostgresDatabase(conn, {})


def _sqlite(path: Path, source: bool) -> Database:
    """SQLite's Database on the file, opened as the app opens it (WAL, foreign keys on)."""
    if source and not path.is_file():
        raise AddressError(f"there is no database at {path}")
    if path.is_dir():
        raise AddressError(f"{path} is a folder: give the path of a database file")
    if not path.parent.is_dir():
        raise AddressError(f"the folder {path.parent} does not exist")
    try:
        db = connect(str(path))
        db.execute("select count(*) from sqlite_master").fetchone()
    except database_errors() as err:
        raise AddressError(f"cannot open {path}: {err}") from err
    return db


def identity(db: Any, address: str) -> tuple:
    """What tells two databases apart: the file (its device and inode), or the PostgreSQL
    server (when it started) and the database's name there, however the address names them."""
    if db.engine == "sqlite":
        found = os.stat(parse(address)[1])
        return ("sqlite", found.st_dev, found.st_ino)
    row = db.execute(
        "select current_database(), cast(pg_postmaster_start_time() as text)"
    ).fetchone()
    return ("postgresql", *row)
