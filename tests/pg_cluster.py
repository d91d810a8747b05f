"""Run a command beside a throwaway PostgreSQL: `python tests/pg_cluster.py -- pytest -q`.

The server is made for the run and deleted after it, in a temporary folder, listening on a Unix
socket there only. It gives up durability for speed (fsync off: a crash of the server, not of
the app, could lose writes), which is what a test database is for. The command gets its address
as CLASSROOM_TEST_POSTGRES, which tests/conftest.py reads to run the suite on PostgreSQL.

initdb refuses to run as root, so as root (CI, a container) the server runs as the `postgres`
user that Debian's postgresql package makes. Only the standard library is used.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PORT = 5432  # only names the socket file: nothing listens on a network port
SETTINGS = {
    "listen_addresses": "''",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
    "shared_buffers": "64MB",
}


def server_bin() -> Path:
    """The newest PostgreSQL's programs: Debian's folder, or wherever pg_ctl is on PATH."""
    installed = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3])
    )
    if installed:
        return installed[-1].parent
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    sys.exit("PostgreSQL is not installed (Debian: apt-get install postgresql)")


def as_server_user(command: list[str]) -> list[str]:
    """The command as the user the server runs as: postgres when we are root."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def start(folder: Path) -> str:
    """Make and start a server in folder; its address as a URL."""
    bin_ = server_bin()
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    init = [str(bin_ / "initdb"), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]
    subprocess.run(
        as_server_user([*init, "--locale=C", "-D", str(data)]),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    options = " ".join(f"-c {k}={v}" for k, v in SETTINGS.items())
    options += f" -k {folder} -p {PORT}"
    subprocess.run(
        as_server_user(
            [str(bin_ / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log")]
            + ["-o", options, "-w", "start"]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return f"postgresql://postgres@/postgres?host={folder}&port={PORT}"


def stop(folder: Path) -> None:
    """Stop the server at once (nothing in it is kept)."""
    subprocess.run(
        as_server_user([str(server_bin() / "pg_ctl"), "-D", str(folder / "data")])
        + ["-m", "immediate", "stop"],
        stdout=subprocess.DEVNULL,
        check=False,
    )


def main(argv: list[str]) -> int:
    if "--" not in argv or argv.index("--") == len(argv) - 1:
        sys.exit("usage: python tests/pg_cluster.py -- COMMAND [ARGS...]")
    command = argv[argv.index("--") + 1 :]
    folder = Path(tempfile.mkdtemp(prefix="classroom-pg-"))
    try:
        url = start(folder)
        print(f"PostgreSQL for this run: {url}", file=sys.stderr, flush=True)
        env = os.environ | {"CLASSROOM_TEST_POSTGRES": url}
        return subprocess.run(command, env=env, check=False).returncode
    finally:
        stop(folder)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
