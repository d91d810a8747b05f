"""Docs that cannot drift: the README's layout, the settings in deployment.md, the page weight.

(That every command has help and is in docs/ is tested with the commands, in test_cli.py.)
"""

from __future__ import annotations

import ast
import gzip
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "classroom"
README = ROOT / "README.md"
DEPLOYMENT = ROOT / "docs" / "deployment.md"
ACCESSIBILITY = ROOT / "docs" / "accessibility.md"
# Words in a layout description that name a file: a folder ends with "/", a file has one of these.
FILE = re.compile(r"(?<![\w/.-])([\w.-]+(?:/[\w.-]+)*(?:/|\.(?:py|md|js|css|html|yaml|txt|toml)))")


def section(text: str, heading: str) -> str:
    """The text under a markdown heading, up to the next heading of the same level or higher."""
    level = heading.split(" ", 1)[0]
    match = re.search(
        rf"^{re.escape(heading)}\n(.*?)(?=^#{{1,{len(level)}}} |\Z)", text, re.M | re.S
    )
    assert match, f"no '{heading}' section"
    return match.group(1)


# --- the README's Layout block ---------------------------------------------------------------


def layout_block() -> list[str]:
    """The lines of the fenced block under the README's "## Layout"."""
    match = re.search(r"^```\w*\n(.*?)^```", section(README.read_text(), "## Layout"), re.M | re.S)
    assert match, "no fenced block under ## Layout in README.md"
    return match.group(1).splitlines()


def named_in_layout() -> list[tuple[str, Path]]:
    """(what the block says, the path it stands for) for every file or folder it names.

    A line is its entries, then two or more spaces, then what they hold: the entries are in the
    folder of the entry above them that is indented less; a file or folder named in the words
    is taken from that entry's folder, its parent or the project root, whichever has it. A line
    indented deeper than an entry line's entries goes on with that line's words."""
    named: list[tuple[str, Path]] = []
    parents: list[tuple[int, Path]] = []  # (indent, folder) of the entries open above
    place = (ROOT, ROOT)  # where the last entry line's words look: its folder, its parent
    last_indent = 0
    for line in layout_block():
        indent = len(line) - len(line.lstrip())
        if not line.strip():
            continue
        if indent > last_indent + 2:  # more words for the line above
            entries, words = "", line.strip()
        else:
            entries, _, words = re.split(r"(\s{2,})", line.strip() + "  ", maxsplit=1)
            last_indent = indent
            while parents and parents[-1][0] >= indent:
                parents.pop()
            parent = parents[-1][1] if parents else ROOT
            folders = []
            for entry in entries.split():
                named.append((entry, parent / entry))
                if entry.endswith("/"):
                    folders.append(parent / entry)
            if folders:
                parents.append((indent, folders[-1]))
            place = (folders[-1] if folders else parent, parent)
        for word in FILE.findall(words):
            candidates = [place[0] / word, place[1] / word, ROOT / word]
            named.append((word, next((c for c in candidates if c.exists()), candidates[0])))
    return named


def shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) + ("/" if path.is_dir() else "")


def test_every_path_the_layout_names_exists():
    missing = [
        f"{word} (as {shown(path)})" for word, path in named_in_layout() if not path.exists()
    ]
    assert missing == [], (
        "README.md's ## Layout names what is not there; rename or remove it: " + ", ".join(missing)
    )


def test_the_layout_names_every_module_and_package_of_classroom():
    named = {path.resolve() for _, path in named_in_layout()}
    modules = sorted(p for p in PACKAGE.glob("*.py") if p.name != "__init__.py")
    packages = sorted(p for p in PACKAGE.iterdir() if (p / "__init__.py").is_file())
    unnamed = [shown(p) for p in [*packages, *modules] if p.resolve() not in named]
    assert len(modules) + len(packages) > 10  # the package was found
    assert unnamed == [], (
        "README.md's ## Layout does not name these parts of classroom/; give each a line under "
        "classroom/ (or name it in a line's words) saying what it holds: " + ", ".join(unnamed)
    )


# --- every setting the app reads is documented -------------------------------------------------


def config_reads() -> dict[str, str]:
    """Each setting the app reads, as the variable that sets it, with where it is read: keys of
    app.config[...], current_app.config.get(...) or a config mapping passed in (config[...]),
    and CLASSROOM_* variables read from the environment, by classroom/ or gunicorn.conf.py."""

    def is_config(node: ast.AST) -> bool:
        return (isinstance(node, ast.Attribute) and node.attr == "config") or (
            isinstance(node, ast.Name) and node.id == "config"
        )

    def is_environ(node: ast.AST) -> bool:
        return isinstance(node, ast.Attribute) and node.attr == "environ"

    found: dict[str, str] = {}
    for path in [*sorted(PACKAGE.rglob("*.py")), ROOT / "gunicorn.conf.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            key, environ = None, False
            if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
                if is_config(node.value) or is_environ(node.value):
                    key, environ = node.slice, is_environ(node.value)
            elif isinstance(node, ast.Call) and node.args:
                func = node.func
                if isinstance(func, ast.Attribute) and func.attr == "get":
                    if is_config(func.value) or is_environ(func.value):
                        key, environ = node.args[0], is_environ(func.value)
                elif isinstance(func, ast.Attribute) and func.attr == "getenv":
                    key, environ = node.args[0], True
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                if environ and not key.value.startswith("CLASSROOM_"):
                    continue
                name = key.value if environ else f"CLASSROOM_{key.value}"
                found.setdefault(name, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_every_setting_the_app_reads_is_in_the_deployment_doc():
    reads = config_reads()
    # the reading works: these are read for certain
    assert {"CLASSROOM_DATABASE", "CLASSROOM_INSTANCE_PATH", "CLASSROOM_BIND"} <= set(reads)
    doc = DEPLOYMENT.read_text()
    undocumented = [
        f"{name} (read at {where})" for name, where in reads.items() if f"`{name}`" not in doc
    ]
    assert undocumented == [], (
        "docs/deployment.md's Configuration does not name these settings the app reads; add a "
        "row for each (as `CLASSROOM_KEY`, the variable that sets it): " + ", ".join(undocumented)
    )


# --- the page-weight table in docs/accessibility.md --------------------------------------------

ROW = re.compile(r"^\| `(static/[^`]+)` \| ([\d,]+) \|$", re.M)
TOTAL = re.compile(r"^\| \*\*total\*\* \| \*\*([\d,]+)\*\* \(([\d,]+) gzipped\) \|$", re.M)
# zlib builds differ a little in what they make of the same bytes; the raw sizes are exact.
GZIP_TOLERANCE = 0.02


def number(text: str) -> int:
    return int(text.replace(",", ""))


def gzipped(files: list[Path]) -> int:
    """The files as one gzip stream at level 9, in name order: what `cat | gzip -9` gives."""
    return len(gzip.compress(b"".join(f.read_bytes() for f in sorted(files)), 9, mtime=0))


def table_for(files: list[Path]) -> str:
    """The page-weight table as it should read for these files."""
    sizes = {f"static/{f.relative_to(ROOT / 'static')}": f.stat().st_size for f in files}
    rows = [f"| `{name}` | {size:,} |" for name, size in sizes.items()]
    total = f"| **total** | **{sum(sizes.values()):,}** ({gzipped(files):,} gzipped) |"
    return "\n".join(["| file | bytes |", "| --- | --- |", *rows, total])


@pytest.fixture
def page_weight_table() -> str:
    return section(ACCESSIBILITY.read_text(), "## Page weight")


def test_the_page_weight_table_has_the_real_sizes(page_weight_table, exercise_page_files):
    files = exercise_page_files
    listed = {name: number(size) for name, size in ROW.findall(page_weight_table)}
    measured = {f"static/{f.relative_to(ROOT / 'static')}": f.stat().st_size for f in files}
    total = TOTAL.search(page_weight_table)
    fix = f"; docs/accessibility.md's table should read:\n{table_for(files)}"
    assert listed == measured, "the page's files or their sizes differ" + fix
    assert total and number(total.group(1)) == sum(measured.values()), "the total differs" + fix
    assert number(total.group(2)) == pytest.approx(gzipped(files), rel=GZIP_TOLERANCE), (
        "the gzipped total differs" + fix
    )
