"""Properties of the domain, over made-up input: the exercise loader and the scores.

The loader reads files that people type: whatever they hold, it answers with an exercise or with
problems that name the file and a line, and never raises. Scores stay in [0, 1], and a teacher
crediting a highlight or a student finding more never lowers one.
"""

from __future__ import annotations

import copy
import math
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from classroom import credit
from classroom.content.fields import parse_yaml, read_quickly
from classroom.content.loader import load_articles, load_exercise, load_library
from classroom.content.snapshot import snapshot
from classroom.grading import choice_score, total
from classroom.work import clean_work, grade_work

EXERCISES = Path(__file__).resolve().parent.parent / "exercises"
ARTICLES, _ = load_articles(EXERCISES / "articles", EXERCISES)
SEED = load_library(EXERCISES)
R1, R2 = "la-detainers-report-1", "la-detainers-report-2"
SHOWN = "exercises/fuzz.yaml"  # how problems name the file: from the exercises folder's parent

# A small exercise with every task type and most optional fields, that loads without problems.
VALID = {
    "title": "Fuzz",
    "summary": "A file for made-up changes.",
    "articles": [R1, R2],
    "categories": [{"id": "spin", "label": "Spin", "definition": "Words that turn a fact."}],
    "tasks": [
        {
            "id": "words",
            "type": "highlight",
            "article": R1,
            "categories": ["loaded_language", "spin"],
            "instruction": "Highlight loaded words.",
            "hint": "Read slowly.",
            "points": 2,
            "key": [
                {"quote": "slammed", "category": "loaded_language", "why": "A blow, not words."},
                {
                    "quote": "criminal aliens",
                    "prefix": "free pass to ",
                    "category": "spin",
                    "why": "A label.",
                    "check": "Who says so?",
                },
            ],
        },
        {
            "id": "both",
            "type": "compare",
            "articles": [R1, R2],
            "categories": ["missing_context"],
            "instruction": "Compare.",
            "key": [{"quote": "slammed", "article": R1, "why": "One side only."}],
        },
        {
            "id": "quiz",
            "type": "choice",
            "prompt": "Which?",
            "multiple": False,
            "options": [{"text": "This", "correct": True, "feedback": "Yes."}, {"text": "That"}],
        },
        {
            "id": "reflect",
            "type": "short_answer",
            "prompt": "What would you check?",
            "model_answer": "The source.",
            "key_points": ["Names a source"],
        },
    ],
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """An exercises folder for one made-up file at a time."""
    return tmp_path_factory.mktemp("fuzz") / "exercises"


def load(folder: Path, content: bytes):
    """Write content as the exercise file and load it against the seed articles."""
    folder.mkdir(exist_ok=True)
    path = folder / "fuzz.yaml"
    path.write_bytes(content)
    return load_exercise(path, ARTICLES, folder)


def assert_reported_well(exercise, problems) -> None:
    """An exercise, or errors saying why not; each problem names the file and a real place."""
    assert (exercise is None) == any(p.severity == "error" for p in problems)
    for problem in problems:
        assert problem.path == SHOWN
        assert isinstance(problem.line, int) and problem.line >= 1
        assert isinstance(problem.column, int) and problem.column >= 1
        assert problem.message.strip()


def test_the_valid_file_loads(folder):
    exercise, problems = load(folder, yaml.safe_dump(VALID).encode())
    assert problems == [] and exercise is not None
    assert [t.type for t in exercise.tasks] == ["highlight", "compare", "choice", "short_answer"]


# --- arbitrary text ----------------------------------------------------------------------------

# Pieces of YAML syntax, so that made-up text is often nearly YAML and reaches the parser's depths.
YAML_BITS = [
    "title: ", "tasks:\n", "- ", "  ", "\n", "[", "]", "{", "}", ", ", ": ", "? ", "&a ", "*a",
    "!!binary ", "!!python/object:os.system ", "!!set ", "!!timestamp ", "'", '"', "# c\n",
    "|\n", ">-\n", "---\n", "...\n", "%YAML 1.1\n", "\t", "\ufeff", "<<: ", "~", "1e9999",
    ".nan", "TODO", "id: x\n", "type: highlight\n", "key:\n", "quote: ", "articles: [", R1,
]  # fmt: skip
yamlish = st.lists(st.sampled_from(YAML_BITS) | st.text(max_size=4), max_size=40).map("".join)


def test_arbitrary_text_is_reported_never_raised(folder):
    @given(text=st.text(max_size=200) | yamlish)
    @example(text="")
    @example(text="[" * 10_000)  # deeper than PyYAML's recursion goes
    @example(text="a: &a [*a, *a]\nb: *a\n")
    @example(text="title: x\ntasks: !!python/object/apply:os.system [echo]\n")
    def check(text):
        assert_reported_well(*load(folder, text.encode("utf-8", "surrogatepass")))

    check()


def test_arbitrary_bytes_are_reported_never_raised(folder):
    @given(content=st.binary(max_size=200))
    @example(content=b"\xff\xfe t\x00i\x00")
    def check(content):
        assert_reported_well(*load(folder, content))

    check()


NESTED = {
    "flow sequences": lambda depth: "[" * depth + "]" * depth,
    "flow mappings": lambda depth: "{a: " * depth + "1" + "}" * depth,
    "block sequences": lambda depth: "".join("  " * i + "-\n" for i in range(min(depth, 1000))),
}


@pytest.mark.parametrize("depth", [10, 1_000, 20_000])
@pytest.mark.parametrize("shape", NESTED)
def test_deep_nesting_is_reported_never_raised(folder, shape, depth):
    assert_reported_well(*load(folder, NESTED[shape](depth).encode()))


def test_parse_yaml_answers_a_node_or_a_problem_with_a_line():
    @given(text=st.text(max_size=200) | yamlish)
    def check(text):
        node, problem = parse_yaml(text, SHOWN)
        if problem is not None:
            assert node is None and problem.path == SHOWN and problem.line >= 1

    check()


def plain(node):
    """A node as comparable data: types kept (True is not 1), nan equal to itself."""
    if isinstance(node, dict):
        return ("mapping", [(plain(k), plain(v)) for k, v in node.items()])
    if isinstance(node, list):
        return ("sequence", [plain(item) for item in node])
    if isinstance(node, float) and math.isnan(node):
        return ("nan",)
    return (type(node).__name__, node)


SEED_TEXTS = [p.read_text(encoding="utf-8") for p in sorted(EXERCISES.glob("**/*.yaml"))]


def test_the_quick_reader_reads_what_the_reference_loader_reads():
    """read_quickly skips positions for speed; wherever it answers, it answers the same data."""
    dumped = st.recursive(
        yaml_scalars | st.sampled_from(["2024-01-31", "yes", "0x1f", "1_000", "~", "1e3"]),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(yaml_scalars, inner),
        max_leaves=12,
    ).map(lambda data: yaml.safe_dump(data, allow_unicode=True))

    @given(text=st.text(max_size=200) | yamlish | dumped)
    @example(text="a: yes\nb: 2024-01-31\nc: .nan\nd: -.inf\ne: 0o17\nf: ~\n? g\n: [1, '1']\n")
    @example(text="a: b\na: c\n")  # a repeated key: the last value wins, as in PyYAML
    def check(text):
        node, read = read_quickly(text)
        if read:
            reference, problem = parse_yaml(text, SHOWN)
            assert problem is None
            assert plain(node) == plain(reference)

    check()
    for text in SEED_TEXTS:
        node, read = read_quickly(text)
        assert read and plain(node) == plain(parse_yaml(text, SHOWN)[0])


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x\n",  # anchors and aliases
        "base: {a: 1}\nmore:\n  <<: {b: 2}\n",  # merge keys
        "a: !!str 1\n",  # explicit tags
        "? [a]\n: b\n",  # a list as a key
        "a: 1\n---\nb: 2\n",  # two documents
        "[" * 100 + "]" * 100,  # deeper than an exercise goes
        "a: [b\n",  # a syntax error
        "a: =\n",
    ],
)
def test_the_quick_reader_leaves_the_unusual_to_the_reference_loader(text):
    assert read_quickly(text) == (None, False)


# --- arbitrary YAML-shaped data ----------------------------------------------------------------

yaml_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()  # nan and infinities included
    | st.text(max_size=20)
    | st.sampled_from(["TODO", "", " ", R1, "loaded_language", "highlight", "choice", "x-1"])
)
yaml_values = st.recursive(
    yaml_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=10,
)
FIELD_NAMES = ["id", "type", "title", "quote", "why", "key", "articles", "points", "options"]


@st.composite
def changed(draw, node):
    """The node with made-up changes here and there: a value replaced, a field dropped or
    added, an item repeated; unchanged mostly, so that later checks are reached too."""
    if draw(st.integers(0, 9)) == 0:
        return draw(yaml_values)
    if isinstance(node, dict):
        result = {}
        for key, value in node.items():
            if draw(st.integers(0, 11)) == 0:
                continue  # a field left out
            result[key] = draw(changed(value))
        if draw(st.integers(0, 7)) == 0:
            result[draw(st.sampled_from(FIELD_NAMES) | st.text(max_size=8))] = draw(yaml_values)
        return result
    if isinstance(node, list):
        items = [draw(changed(item)) for item in node]
        if items and draw(st.integers(0, 7)) == 0:
            items.append(copy.deepcopy(items[0]))  # a repeated id, item or article
        return items
    return node


def test_arbitrary_yaml_data_is_reported_never_raised(folder):
    @given(data=changed(VALID) | yaml_values)
    @example(data={**VALID, "tasks": [{**VALID["tasks"][0], "points": math.nan}]})
    @example(data={**VALID, "tasks": [{**VALID["tasks"][0], "points": math.inf}]})
    @example(data={**VALID, "tasks": [{**VALID["tasks"][0], "points": 10**400}]})
    @example(data={**VALID, "tasks": [VALID["tasks"][2], VALID["tasks"][2]]})
    def check(data):
        content = yaml.safe_dump(data, allow_unicode=True).encode("utf-8", "surrogatepass")
        exercise, problems = load(folder, content)
        assert_reported_well(exercise, problems)
        if exercise is not None:  # what loads can be graded, with a score in [0, 1]
            for task in exercise.tasks:
                assert math.isfinite(task.points) and task.points >= 0
            score = grade_work(exercise, clean_work(exercise, {}))["score"]
            assert score is None or 0 <= score <= 1

    check()


# --- scores ----------------------------------------------------------------------------------

SEED_EXERCISES = sorted(SEED.exercises.values(), key=lambda e: e.id)


@st.composite
def work_on(draw, exercise):
    """Work a student could send on this exercise: highlights anywhere, any allowed answers."""
    highlights = []
    categories = [c.id for c in exercise.highlight_categories]
    for _ in range(draw(st.integers(0, 12))):
        article = exercise.article(draw(st.sampled_from(sorted(exercise.highlight_articles))))
        start = draw(st.integers(0, len(article.text) - 1))
        end = draw(st.integers(start + 1, min(len(article.text), start + 300)))
        category = draw(st.sampled_from(categories))
        highlights.append({"article": article.id, "start": start, "end": end, "category": category})
    answers = {}
    for task in exercise.tasks:
        if task.type == "choice":
            picked = draw(st.sets(st.integers(0, len(task.options) - 1), max_size=3))
            answers[task.id] = sorted(picked) if task.multiple else sorted(picked)[:1]
        elif task.type == "short_answer":
            answers[task.id] = draw(st.text(max_size=20))
    return clean_work(exercise, {"highlights": highlights, "answers": answers})


@pytest.mark.parametrize("exercise", SEED_EXERCISES, ids=lambda e: e.id)
def test_every_score_stays_between_zero_and_one(exercise):
    @given(work=work_on(exercise))
    def check(work):
        result = grade_work(exercise, work)
        assert result["score"] is not None and 0 <= result["score"] <= 1
        for task_result in result["tasks"].values():
            assert task_result["score"] is None or 0 <= task_result["score"] <= 1

    check()


@pytest.mark.parametrize("exercise", SEED_EXERCISES, ids=lambda e: e.id)
def test_crediting_more_highlights_never_lowers_the_score(exercise):
    """A teacher's credit only adds to the answer key: the score can only go up, to 1 at most."""
    frozen = snapshot(exercise)

    @given(work=work_on(exercise), data=st.data())
    def check(work, data):
        result = grade_work(exercise, work)
        highlights = [{**h, "id": i + 1} for i, h in enumerate(work["highlights"])]
        attempt = {"snapshot": frozen, "result": result, "highlights": highlights}
        extras = sorted(credit.extra_ids(attempt))
        some = data.draw(st.sets(st.sampled_from(extras)) if extras else st.just(set()))
        more = some | data.draw(st.sets(st.sampled_from(extras)) if extras else st.just(set()))
        before = credit.regrade(attempt, set())
        assert before == pytest.approx(result["score"])
        scores = [before, credit.regrade(attempt, some), credit.regrade(attempt, more)]
        assert all(0 <= s <= 1 for s in scores)
        assert scores[0] <= scores[1] + 1e-9 and scores[1] <= scores[2] + 1e-9

    check()


correct_flags = st.lists(st.booleans(), min_size=1, max_size=6).filter(any)


@given(correct=correct_flags, data=st.data())
def test_choice_scores_stay_in_range_and_move_the_right_way(correct, data):
    options = range(len(correct))
    chosen = data.draw(st.sets(st.sampled_from(options)))
    score = choice_score(correct, chosen)
    assert 0 <= score <= 1
    assert choice_score(correct, {i for i in options if correct[i]}) == 1
    other = data.draw(st.sampled_from(options))
    after = choice_score(correct, chosen | {other})
    if correct[other]:
        assert after >= score  # picking a right option never costs
    else:
        assert after <= score  # picking a wrong one never pays


@given(st.lists(st.tuples(st.floats(0, 100), st.none() | st.floats(0, 1)), max_size=6))
def test_the_total_of_scores_in_range_is_in_range(results):
    score = total(results)
    assert score is None or -1e-9 <= score <= 1 + 1e-9
