"""The select-all task: several right options, partial credit, wrong ticks taken off, and
feedback on every option."""

from __future__ import annotations

import textwrap

import pytest
from markupsafe import escape

from classroom.content.loader import load_articles, load_exercise
from classroom.content.tasks.select_all import SelectAllTask
from classroom.work import InvalidWork, clean_work, grade_work


def exercise_with(options: str, tmp_path, exercises_dir):
    """An exercise whose one task is a select-all with these options (YAML), and its problems."""
    source = textwrap.dedent(
        """\
        title: Checking a number
        articles: [la-detainers-report-1]
        tasks:
          - id: check
            type: select_all
            prompt: Which would help you check the 25,000?
            options:
        """
    ) + textwrap.indent(textwrap.dedent(options), "      ")
    path = tmp_path / "check.yaml"
    path.write_text(source, encoding="utf-8")
    articles, _ = load_articles(exercises_dir / "articles", exercises_dir)
    return load_exercise(path, articles)


THREE_RIGHT = """\
    - {text: ICE's statistics, correct: true, feedback: The agency counts its requests.}
    - {text: The original story, correct: true, feedback: See what was first reported.}
    - {text: The sheriff's statement, correct: true, feedback: The other side's account.}
    - {text: How often it was shared, feedback: Spread is not proof.}
    - {text: The headline's font, feedback: Looks say nothing about facts.}
"""


@pytest.fixture
def exercise(tmp_path, exercises_dir):
    exercise, problems = exercise_with(THREE_RIGHT, tmp_path, exercises_dir)
    assert problems == []
    return exercise


def score(exercise, ticked):
    work = clean_work(exercise, {"highlights": [], "answers": {"check": ticked}})
    return grade_work(exercise, work)["tasks"]["check"]["score"]


@pytest.mark.parametrize(
    "ticked, expected",
    [
        ([0, 1, 2], 1.0),  # every right option, nothing wrong
        ([0, 1], 2 / 3),  # partial credit
        ([0, 1, 3], 1 / 3),  # a wrong tick takes one right one off
        ([0, 3, 4], 0.0),  # never below 0
        ([0, 1, 2, 3, 4], 1 / 3),  # ticking every box does not pay
        ([], 0.0),
    ],
)
def test_each_right_tick_counts_and_each_wrong_one_is_taken_off(exercise, ticked, expected):
    assert score(exercise, ticked) == pytest.approx(expected)


def test_several_options_may_be_ticked_but_only_real_ones(exercise):
    assert isinstance(exercise.task("check"), SelectAllTask)
    assert clean_work(exercise, {"answers": {"check": [2, 0, 2]}})["answers"] == {"check": [0, 2]}
    with pytest.raises(InvalidWork, match="options are numbered 0 to 4"):
        clean_work(exercise, {"answers": {"check": [5]}})


@pytest.mark.parametrize(
    "options, message",
    [
        ("- {text: Only one, correct: true}\n", "needs at least two options"),
        ("- {text: One}\n- {text: Two}\n", "has no correct option"),
    ],
)
def test_a_task_that_cannot_be_answered_right_is_an_error(
    tmp_path, exercises_dir, options, message
):
    exercise, problems = exercise_with(options, tmp_path, exercises_dir)
    assert exercise is None
    assert any(message in p.message and p.severity == "error" for p in problems), problems


def test_every_option_correct_is_a_warning_that_points_at_the_options(tmp_path, exercises_dir):
    exercise, problems = exercise_with(
        "- {text: One, correct: true}\n- {text: Two, correct: true}\n", tmp_path, exercises_dir
    )
    assert exercise is not None
    [warning] = problems
    assert warning.severity == "warning" and "every option" in warning.message
    assert warning.line == 8  # where the list of options begins


def test_the_feedback_shows_every_option_ticked_or_not(app, exercise):
    """A choice task shows the feedback of the options picked and the right ones; select-all
    shows all of it, with what the student did with each."""
    task = exercise.task("check")
    work = clean_work(exercise, {"answers": {"check": [0, 1, 3]}})
    result = grade_work(exercise, work)["tasks"]["check"]
    with app.app_context():
        view = app.jinja_env.get_template(task.template).module
        html = str(view.feedback(task, result, exercise.snapshot, work["answers"]["check"]))
    for option in task.options:
        assert str(escape(option.feedback)) in html
    assert html.count("You ticked it · Right") == 2  # the statistics, the story
    assert html.count("You ticked it · Not right") == 1  # how often it was shared
    assert html.count("Right · you did not tick it") == 1  # the sheriff's statement
    assert html.count("Not right · you rightly left it") == 1  # the font
    assert "Step score 33%" in html
