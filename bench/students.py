"""Simulated students on the shipped exercises: what the scoring rule gives each kind of answer.

    .venv/bin/python bench/students.py               # what `make bench-students` runs
    .venv/bin/python bench/students.py --tasks       # each highlight step's score too
    .venv/bin/python bench/students.py --classmates 50 --seed 7

Each kind of student below answers every highlight and compare step of every exercise in
exercises/; the figure is the exercise's score over those steps (grading.total of the steps'
scores, weighted by their points; choice questions and written answers are left out, as the
scoring rule is not about them), the mean over --classmates students of that kind (each one
drawn from its own seeded random generator, so the table is the same on every run).

- strong: finds each key problem with chance 0.85; a quarter of the finds are a word or two
  longer than the key item; two extra highlights per step that are not in the key; in a step
  with several categories, the right one 9 times in 10.
- middling: chance 0.55; 40 % of the finds 1 to 4 words longer, 10 % a word shorter; three
  extras per step; the right category 3 times in 4.
- weak: chance 0.25; half the finds are the whole sentence around the item; four extras per
  step; the right category 3 times in 5.
- each problem once: one member of each group of repeats (chosen at random) and every item
  that is in no group, word for word, in the right category; nothing else.
- each problem once, longer: the same, each highlight one or two words longer on each side.
- every sentence / every paragraph: each sentence (paragraph) of the step's article(s)
  highlighted once in each of the step's categories.

A "problem" is a group of key items (the file's `group:`, docs/scoring.md) or an item in no
group. Where a step's items name no groups (before issue 15), its key items whose quotes are
the same words (ignoring capitals and a plural s) count as one group. To score an older
checkout on the groups of today's files: --folder a copy of the files without the `core:` and
`group:` lines, --groups-from the files themselves.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from classroom import grading  # noqa: E402
from classroom.content.layout import paragraph_ranges  # noqa: E402
from classroom.content.loader import load_library  # noqa: E402
from classroom.content.model import Exercise, KeyItem  # noqa: E402

WORD = re.compile(r"[\w’'-]+")
SENTENCE = re.compile(r"[^.!?]+[.!?]*[”\"]?")
Mark = dict  # a highlight as the browser sends it: article, start, end, category


def file_groups(folder: Path) -> dict[str, str]:
    """The `group:` of every key item in the exercise files of folder, by exercise and key item
    id (exercise:task.n), read from the YAML itself: so that a checkout whose loader does not
    know the field (main before issue 15, with the field taken out of its copy of the files)
    can be scored on the same problems."""
    groups = {}
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for task in data.get("tasks") or []:
            for n, item in enumerate(task.get("key") or [], 1):
                if isinstance(item, dict) and item.get("group"):
                    groups[f"{path.stem}:{task.get('id')}.{n}"] = str(item["group"])
    return groups


GROUPS: dict[str, str] = {}  # exercise:key item id: group, from --groups-from


def problems(exercise_id: str, task) -> list[list[KeyItem]]:
    """The task's key items as distinct problems: each group together, every other item alone."""
    groups: dict[str, list[KeyItem]] = {}
    named = any(GROUPS.get(f"{exercise_id}:{item.id}") for item in task.key)
    for item in task.key:
        if named:
            name = GROUPS.get(f"{exercise_id}:{item.id}") or f"#{item.id}"
        else:
            name = " ".join(w.lower().removesuffix("s") for w in WORD.findall(item.quote))
        groups.setdefault(name, []).append(item)
    return list(groups.values())


class Article:
    """An article's words, sentences and paragraphs, for drawing highlights on it."""

    def __init__(self, text: str):
        self.text = text
        self.words = [(m.start(), m.end()) for m in WORD.finditer(text)]
        self.paragraphs = paragraph_ranges(text)
        self.sentences = [
            (p + m.start() + len(m.group()) - len(m.group().lstrip()), p + m.end())
            for p, end in self.paragraphs
            for m in SENTENCE.finditer(text[p:end])
            if m.group().strip()
        ]

    def paragraph_of(self, start: int) -> tuple[int, int]:
        """The paragraph a character is in."""
        return next(((a, b) for a, b in self.paragraphs if a <= start < b), (0, len(self.text)))

    def widen(self, start: int, end: int, before: int, after: int) -> tuple[int, int]:
        """[start, end) with `before` more words in front and `after` behind, in its paragraph."""
        low, high = self.paragraph_of(start)
        inside = [w for w in self.words if low <= w[0] and w[1] <= high]
        first = next((i for i, w in enumerate(inside) if w[1] > start), 0)
        last = max((i for i, w in enumerate(inside) if w[0] < end), default=len(inside) - 1)
        first, last = max(0, first - before), min(len(inside) - 1, last + after)
        return min(start, inside[first][0]), max(end, inside[last][1])

    def shorten(self, start: int, end: int) -> tuple[int, int]:
        """[start, end) without its last word, if it has more than one."""
        inside = [w for w in self.words if start <= w[0] and w[1] <= end]
        return (start, inside[-2][1]) if len(inside) > 1 else (start, end)

    def sentence_of(self, start: int, end: int) -> tuple[int, int]:
        """The sentence(s) around [start, end)."""
        around = [s for s in self.sentences if s[0] < end and start < s[1]] or [(start, end)]
        return around[0][0], around[-1][1]

    def extra(self, rng: random.Random, taken: list[tuple[int, int]]) -> tuple[int, int] | None:
        """Two to four words that share no character with the spans taken, or None."""
        for _ in range(50):
            i = rng.randrange(len(self.words))
            n = rng.randint(2, 4)
            if i + n > len(self.words):
                continue
            start, end = self.words[i][0], self.words[i + n - 1][1]
            if "\n" not in self.text[start:end] and not any(
                a < end and start < b for a, b in taken
            ):
                return start, end
        return None


class Student:
    """A kind of student: how often they find a problem and how they mark it."""

    def __init__(
        self,
        find: float,
        longer: float = 0.0,
        most_words: int = 2,
        shorter: float = 0.0,
        sentence: float = 0.0,
        extras: int = 0,
        right_category: float = 1.0,
    ):
        self.find, self.longer, self.most_words = find, longer, most_words
        self.shorter, self.sentence = shorter, sentence
        self.extras, self.right_category = extras, right_category

    def answer(
        self, rng: random.Random, exercise_id: str, task, articles: dict[str, Article]
    ) -> list[Mark]:
        """This student's highlights for one step."""
        marks = []
        for problem in problems(exercise_id, task):
            for item in problem:
                if rng.random() >= self.find:
                    continue
                marks.append(self.mark(rng, item, task, articles[item.article]))
        for _ in range(self.extras):
            article_id = rng.choice(task.article_ids)
            taken = [(k.start, k.end) for k in task.key if k.article == article_id]
            spot = articles[article_id].extra(rng, taken)
            if spot:
                marks.append(_mark(article_id, *spot, rng.choice(task.categories)))
        return marks

    def mark(self, rng: random.Random, item: KeyItem, task, article: Article) -> Mark:
        """A highlight on a key item, as this student draws it."""
        start, end = item.start, item.end
        roll = rng.random()
        if roll < self.sentence:
            start, end = article.sentence_of(start, end)
        elif roll < self.sentence + self.longer:
            before = rng.randint(0, self.most_words)
            after = rng.randint(0 if before else 1, self.most_words)
            start, end = article.widen(start, end, before, after)
        elif roll < self.sentence + self.longer + self.shorter:
            start, end = article.shorten(start, end)
        category = item.category
        if len(task.categories) > 1 and rng.random() >= self.right_category:
            category = rng.choice([c for c in task.categories if c != item.category])
        return _mark(item.article, start, end, category)


def each_problem_once(words: int) -> Callable:
    """One member of each problem, word for word or `words` longer on each side at most."""

    def answer(rng: random.Random, exercise_id: str, task, articles) -> list[Mark]:
        marks = []
        for problem in problems(exercise_id, task):
            item = rng.choice(problem)
            start, end = item.start, item.end
            if words:
                before, after = rng.randint(1, words), rng.randint(1, words)
                start, end = articles[item.article].widen(start, end, before, after)
            marks.append(_mark(item.article, start, end, item.category))
        return marks

    return answer


def everything(unit: str) -> Callable:
    """Every sentence or paragraph of the step's articles, in every category of the step."""

    def answer(rng: random.Random, exercise_id: str, task, articles) -> list[Mark]:
        return [
            _mark(article_id, start, end, category)
            for article_id in task.article_ids
            for start, end in getattr(articles[article_id], unit)
            for category in task.categories
        ]

    return answer


STUDENTS: dict[str, Callable] = {
    "strong": Student(0.85, longer=0.25, extras=2, right_category=0.9).answer,
    "middling": Student(
        0.55, longer=0.4, most_words=4, shorter=0.1, extras=3, right_category=0.75
    ).answer,
    "weak": Student(0.25, sentence=0.5, extras=4, right_category=0.6).answer,
    "each problem once": each_problem_once(0),
    "each problem once, longer": each_problem_once(2),
    "every sentence": everything("sentences"),
    "every paragraph": everything("paragraphs"),
}


def _mark(article: str, start: int, end: int, category: str) -> Mark:
    return {"article": article, "start": start, "end": end, "category": category}


def highlight_steps(exercise: Exercise) -> list:
    """The exercise's highlight and compare steps."""
    return [t for t in exercise.tasks if t.key_items]


def scores(
    exercise: Exercise, student: Callable, rng: random.Random, articles: dict[str, Article]
) -> tuple[float, dict[str, float]]:
    """One student's score over the exercise's highlight steps, and each step's score."""
    steps = highlight_steps(exercise)
    # one set of highlights for the whole exercise, as the page keeps them: each step grades
    # those in its articles, and counts against its precision those in its categories
    work = [m for task in steps for m in student(rng, exercise.id, task, articles)]
    by_step = {task.id: task.grade(work, None)["score"] for task in steps}
    return grading.total((t.points, by_step[t.id]) for t in steps), by_step


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--classmates", type=int, default=20, help="students of each kind")
    parser.add_argument("--seed", type=int, default=15, help="the first student's seed")
    parser.add_argument("--tasks", action="store_true", help="each step's score too")
    parser.add_argument("--folder", type=Path, default=ROOT / "exercises", help="exercises")
    parser.add_argument(
        "--groups-from", type=Path, help="read the groups from these files (default: --folder)"
    )
    args = parser.parse_args()
    GROUPS.update(file_groups(args.groups_from or args.folder))

    library = load_library(args.folder)
    if library.problems:
        for problem in library.problems:
            print(problem, file=sys.stderr)
    exercises = [e for _, e in sorted(library.exercises.items()) if highlight_steps(e)]
    articles = {a: Article(article.text) for a, article in library.articles.items()}
    names = [e.id.removeprefix("la-detainers-") for e in exercises]
    print(
        f"Mean score over the highlight steps, {args.classmates} students of each kind "
        f"(seeds {args.seed} to {args.seed + args.classmates - 1})"
    )
    print(f"{'student':<28}" + "".join(f"{n:>11}" for n in names) + f"{'mean':>9}")
    for kind, student in STUDENTS.items():
        per_exercise, per_step = [], {}
        for exercise in exercises:
            runs = []
            for n in range(args.classmates):
                rng = random.Random(f"{args.seed + n}:{kind}:{exercise.id}")
                total, steps = scores(exercise, student, rng, articles)
                runs.append(total)
                for step, score in steps.items():
                    per_step.setdefault((exercise.id, step), []).append(score)
            per_exercise.append(statistics.mean(runs))
        mean = statistics.mean(per_exercise)
        print(f"{kind:<28}" + "".join(f"{s:>11.0%}" for s in per_exercise) + f"{mean:>9.0%}")
        if args.tasks:
            for (exercise_id, step), values in per_step.items():
                print(f"    {exercise_id}:{step:<24}{statistics.mean(values):>8.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
