"""Reading an exercises folder into validated exercises, with every problem's file and line."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from .fields import Fields, Report, parse_yaml, position, read_quickly
from .in_time import each_in_time
from .model import BUILTIN_CATEGORIES, Article, Category, Exercise, Library, Problem, quoted
from .tasks import ID_PATTERN, Context, read_task, unknown_article

EXERCISE_FIELDS = ("title", "summary", "articles", "categories", "tasks")
ARTICLE_FIELDS = ("title", "title_added_by_editor", "outlet", "date", "note")
STYLES = 6  # colour-and-pattern pairs in the stylesheet


def exercise_files(folder: Path) -> list[Path]:
    """The exercise files of a folder, in name order."""
    return sorted(
        p for p in folder.glob("*.y*ml") if p.suffix in (".yaml", ".yml") and not hidden(p)
    )


def hidden(path: Path) -> bool:
    """An editor's lock, swap or backup file (.#NAME.yaml, .NAME.yaml.swp, NAME.yaml~), never
    part of the library."""
    return path.name.startswith(".") or path.name.endswith("~")


def same_ids(files: list[Path], root: Path) -> dict[Path, Problem]:
    """The files whose exercise id (the name without .yaml or .yml) an earlier file has too,
    each with the problem naming both; the earlier file is the one loaded."""
    first: dict[str, Path] = {}
    problems = {}
    for path in sorted(files):
        other = first.setdefault(path.stem, path)
        if other != path:
            problems[path] = Problem(
                _shown(path, root),
                1,
                1,
                f"{path.name} and {other.name} are both exercise {quoted(path.stem)}: only "
                f"{other.name} is loaded",
                "rename or remove one of them: the exercise id is the file's name",
            )
    return problems


def load_library(
    folder: Path, previous: Library | None = None, time_limit: float | None = None
) -> Library:
    """Every article and exercise under folder; broken files are reported and skipped, and so
    is a file not read within time_limit seconds.

    With the library loaded before (previous), an exercise whose file is there but no longer
    loads (an author saving it half-written, say) stays as it last loaded, so the students
    working on it lose nothing; the file's problems are reported all the same.
    """
    library = _load(folder, time_limit)
    if previous is not None:
        _keep_last_good(library, previous, folder)
    return library


def _keep_last_good(library: Library, previous: Library, folder: Path) -> None:
    """Put back each previous exercise whose file is still there but now has errors."""
    broken = {p.path for p in library.problems if p.severity == "error"}
    for exercise_id, exercise in previous.exercises.items():
        shown = _shown(exercise.path, folder)
        if exercise_id in library.exercises or shown not in broken or not exercise.path.exists():
            continue
        library.exercises[exercise_id] = exercise
        library.problems.append(
            Problem(
                shown,
                1,
                1,
                "students keep the last version that loaded until the errors here are fixed",
                "fix the errors below; the new version takes over as soon as the file loads",
                severity="warning",
            )
        )


def _load(folder: Path, time_limit: float | None) -> Library:
    """Every article and exercise under folder, read afresh."""
    library = Library()
    library.articles, library.problems = load_articles(folder / "articles", folder, time_limit)
    files = exercise_files(folder)
    taken = same_ids(files, folder)
    library.problems.extend(taken.values())
    jobs = [
        (_shown(path, folder), load_exercise, (path, library.articles, folder))
        for path in files
        if path not in taken
    ]
    for exercise, problems in each_in_time(time_limit, jobs):
        library.problems.extend(problems)
        if exercise is not None:
            library.exercises[exercise.id] = exercise
    return library


def check_paths(paths: list[Path], time_limit: float | None = None) -> tuple[int, list[Problem]]:
    """Check exercise files, or every file of exercise folders: (files checked, problems).

    A file's articles are read from the articles/ folder beside it, and a file whose exercise id
    another file of that folder has too is reported, as the app does.
    """
    by_folder: dict[Path, list[Path]] = {}
    for path in paths:
        if path.is_dir():
            by_folder.setdefault(path, []).extend(exercise_files(path))
        else:
            by_folder.setdefault(path.parent, []).append(path)
    checked, problems = 0, []
    for folder, files in by_folder.items():
        articles, article_problems = load_articles(folder / "articles", folder, time_limit)
        problems.extend(article_problems)
        taken = same_ids(exercise_files(folder), folder)
        chosen = list(dict.fromkeys(files))
        jobs = [(_shown(path, folder), load_exercise, (path, articles, folder)) for path in chosen]
        for path, (_exercise, file_problems) in zip(
            chosen, each_in_time(time_limit, jobs), strict=True
        ):
            checked += 1
            problems.extend(file_problems)
            if path in taken:
                problems.append(taken[path])
    return checked, problems


def load_articles(
    articles_dir: Path, root: Path, time_limit: float | None = None
) -> tuple[dict[str, Article], list[Problem]]:
    """Articles are NAME.txt (the text, verbatim) with optional NAME.yaml (what is known of it);
    an article not read within time_limit seconds is reported and left out."""
    articles: dict[str, Article] = {}
    problems: list[Problem] = []
    files = sorted(t for t in articles_dir.glob("*.txt") if not hidden(t))
    jobs = [(_shown(txt, root), load_article, (txt, root)) for txt in files]
    for txt, (article, article_problems) in zip(files, each_in_time(time_limit, jobs), strict=True):
        problems.extend(article_problems)
        if article is not None:
            articles[txt.stem] = article
    return articles, problems


def load_article(txt: Path, root: Path) -> tuple[Article | None, list[Problem]]:
    """One article, or None and the problems that stop it from loading; problems of its
    metadata are reported and the defaults used."""
    meta_path = txt.with_suffix(".yaml")
    report = Report(_shown(meta_path, root))
    try:
        text = txt.read_text(encoding="utf-8")
    except FileNotFoundError:  # gone since the folder was listed: not part of it now
        return None, []
    except UnicodeDecodeError as err:
        problem = Problem(
            _shown(txt, root), 1, 1, f"not UTF-8 text: {err.reason}", "save the article as UTF-8"
        )
        return None, [problem]
    meta: dict = {}
    if meta_path.exists():
        node, problem = parse_yaml(meta_path.read_text(encoding="utf-8"), report.path)
        if problem:
            report.problems.append(problem)
        elif node is not None:
            f = Fields(report, node, "the article's metadata", optional=ARTICLE_FIELDS)
            meta = {
                "title": f.text("title"),
                "outlet": f.text("outlet", "as provided"),
                "date": f.text("date", "unknown"),
                "note": f.text("note"),
                "title_added_by_editor": f.flag("title_added_by_editor"),
            }
    if not text.strip():
        return None, [*report.problems, Problem(_shown(txt, root), 1, 1, "the article is empty")]
    title = meta.pop("title", "") or text.strip().splitlines()[0][:120]
    return Article(id=txt.stem, title=title, text=text, **meta), report.problems


def load_exercise(
    path: Path, articles: dict[str, Article], root: Path | None = None
) -> tuple[Exercise | None, list[Problem]]:
    """One exercise file, or None and the problems that stop it from loading."""
    report = Report(_shown(path, root or path.parent))
    try:
        raw = path.read_bytes()
        source = raw.decode("utf-8")
    except FileNotFoundError:  # gone since the folder was listed: not part of it now
        return None, []
    except (OSError, UnicodeDecodeError) as err:
        report.error((1, 1), f"cannot read the file: {err}", "save it as UTF-8 text")
        return None, report.problems
    # Most files have nothing to report: read them without positions, several times faster,
    # and read a file again with positions only when there is something to say where.
    node, read = read_quickly(source)
    if read:
        exercise, problems = read_exercise(path, raw, node, articles, Report(report.path))
        if not problems:
            return exercise, problems
    node, problem = parse_yaml(source, report.path)
    if problem:
        return None, [problem]
    return read_exercise(path, raw, node, articles, report)


def read_exercise(
    path: Path, raw: bytes, node: Any, articles: dict[str, Article], report: Report
) -> tuple[Exercise | None, list[Problem]]:
    """Validate the document read from an exercise file into an exercise."""
    if not ID_PATTERN.match(path.stem):
        report.error(
            (1, 1),
            f"the file name '{path.name}' cannot be an exercise id",
            "name it with lowercase letters, digits and dashes",
        )
    f = Fields(
        report,
        node,
        "the exercise",
        required=("title", "articles", "tasks"),
        optional=EXERCISE_FIELDS,
    )
    if not f.ok:
        return None, report.problems
    article_ids = tuple(str(a) for a in f.items("articles"))
    for i, article_id in enumerate(article_ids):
        if article_ids.index(article_id) < i:
            report.error(f.item_pos("articles", i), f"article {quoted(article_id)} is listed twice")
        elif article_id not in articles:
            unknown_article(report, f.item_pos("articles", i), article_id, articles)
    categories = read_categories(f, report)
    ctx = Context(report, articles, article_ids, categories)
    tasks = []
    for i, task_node in enumerate(f.items("tasks")):
        task = read_task(task_node, ctx, i)
        if task is None:
            continue
        if any(t.id == task.id for t in tasks):
            report.error(
                position(task_node),
                f"duplicate task id {quoted(task.id)}",
                "each task needs its own id",
            )
        tasks.append(task)
    if "tasks" in f.node and not tasks and not report.has_errors:
        report.error(f.pos("tasks"), "the exercise has no tasks")
    title, summary = f.text("title", nonempty=True), f.text("summary")
    if report.has_errors:
        return None, report.problems
    version = _version(raw, [articles[a] for a in article_ids])
    exercise = Exercise(
        id=path.stem,
        title=title,
        summary=summary,
        version=version,
        path=path,
        articles=tuple(articles[a] for a in article_ids),
        categories=categories,
        tasks=tuple(tasks),
        mtime=path.stat().st_mtime,
    )
    return exercise, report.problems


def read_categories(f: Fields, report: Report) -> dict[str, Category]:
    """The built-in categories plus the exercise's own."""
    categories = dict(BUILTIN_CATEGORIES)
    for i, node in enumerate(f.items("categories")):
        c = Fields(report, node, f"category {i + 1}", required=("id", "label", "definition"))
        if not c.ok:
            continue
        cid = c.text("id")
        if not ID_PATTERN.match(cid):
            report.error(
                c.pos("id"),
                f"category id {quoted(cid)} should be lowercase letters, digits, dashes or "
                "underscores",
            )
        elif cid in categories:
            report.error(c.pos("id"), f"duplicate category id {quoted(cid)}")
        categories[cid] = Category(
            cid,
            c.text("label", nonempty=True),
            c.text("definition", nonempty=True),
            len(categories) % STYLES,
        )
    return categories


def _version(raw: bytes, articles: list[Article]) -> str:
    """A content hash of the exercise file and its articles: it changes when either does."""
    digest = hashlib.sha256(raw)
    for article in articles:  # everything a student sees of it
        for value in (article.id, article.title, article.text, article.outlet, article.date):
            digest.update(value.encode())
        digest.update(b"\x01" if article.title_added_by_editor else b"\x00")
    return digest.hexdigest()[:12]


def _shown(path: Path, root: Path) -> str:
    """The path as an author would type it: relative to the exercises folder's parent."""
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)
