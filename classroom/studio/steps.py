"""The studio's step editors: add a step of any task type, edit it in the form its type declares,
remove it or move it; add another article to the draft (to compare with). Teachers only, each
on their own drafts; every change is saved as a new revision of the draft."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from wtforms.fields.choices import SelectChoice

from ..auth import login_required
from ..content import studio, studio_steps
from ..db import get_db
from ..exercises import library
from ..store import studio as store
from . import bp
from .forms import (
    ActionForm,
    AddStepForm,
    LibraryArticleForm,
    NewArticleForm,
    step_form,
    step_values,
)
from .routes import my_draft


def to_draft(draft_id: int, anchor: str = "steps-title"):
    """Back to the draft's page, at a step (step-N) or at the list of steps."""
    return redirect(url_for("studio.edit", draft_id=draft_id, _anchor=anchor))


def keep(row: dict, draft: dict) -> None:
    """Save the draft as its new revision (a page that autosaves an older one is told so)."""
    store.save_draft(get_db(), row["id"], g.user["id"], row["exercise_id"], draft)


def the_step(row: dict, index: int) -> dict:
    """The draft's step at index, or 404."""
    tasks = row["draft"]["tasks"]
    if not 0 <= index < len(tasks) or studio_steps.task_class(tasks[index]) is None:
        abort(404, "The draft has no such step.")
    return tasks[index]


def moved_elsewhere(task: dict, sent: str | None) -> bool:
    """Whether the step at this place is not the one the page showed there (the steps were
    changed in another tab): then nothing is changed, and the author is told so."""
    if sent == task.get("id"):
        return False
    flash(
        "The steps were changed in another tab or window since this page was opened, so "
        "nothing was changed: here they are now.",
        "error",
    )
    return True


@bp.post("/<int:draft_id>/steps")
@login_required("teacher")
def add_step(draft_id: int):
    """Add a step of the kind chosen, with its type's starting texts, and open its form."""
    row = my_draft(draft_id)
    form = AddStepForm()
    form.step.choices = [
        SelectChoice(v, label) for v, label in studio_steps.menu(row["draft"])["starts"]
    ]
    if not form.validate_on_submit():
        flash("Choose one of the kinds of step in the list.", "error")
        return to_draft(draft_id)
    try:
        draft, index = studio_steps.added(row["draft"], form.step.data)
    except studio.InvalidEdit as err:
        flash(str(err), "error")
        return to_draft(draft_id)
    keep(row, draft)
    flash(f"Step {index + 1} added with a starting text: change what you like and save.", "success")
    return redirect(url_for("studio.edit_step", draft_id=draft_id, index=index))


def step_page(row: dict, index: int, form, errors: dict):
    """The step's form, its errors beside their fields, and what the check says of the step."""
    task = row["draft"]["tasks"][index]
    task_type = studio_steps.task_class(task)
    return render_template(
        "studio/step.html",
        row=row,
        draft=row["draft"],
        index=index,
        task=task,
        task_type=task_type,
        form=form,
        errors=errors,
        problems=studio_steps.step_problems(row["exercise_id"], row["draft"], index),
    )


@bp.get("/<int:draft_id>/steps/<int:index>")
@login_required("teacher")
def edit_step(draft_id: int, index: int):
    """The step in its type's form, with the problems the check finds in it."""
    row = my_draft(draft_id)
    task = the_step(row, index)
    task_type = studio_steps.task_class(task)
    form = step_form(task_type, studio_steps.context(row["draft"], index), task)
    return step_page(row, index, form, {})


@bp.post("/<int:draft_id>/steps/<int:index>")
@login_required("teacher")
def save_step(draft_id: int, index: int):
    """Save the step as its form sent it, back to the draft at the step; with errors, the
    form again (400) with each beside its field and everything sent kept."""
    row = my_draft(draft_id)
    task = the_step(row, index)
    task_type = studio_steps.task_class(task)
    form = step_form(task_type, studio_steps.context(row["draft"], index), task)
    if moved_elsewhere(task, form.was.data):
        return to_draft(draft_id)
    # the task type's editor judges what was sent (the form's fields have no checks of their own)
    draft, errors = studio_steps.saved(row["draft"], index, step_values(task_type, form))
    if errors:
        return step_page(row, index, form, errors), 400
    keep(row, draft)
    flash(f"Step {index + 1} saved.", "success")
    return to_draft(draft_id, f"step-{index}")


@bp.post("/<int:draft_id>/steps/<int:index>/remove")
@login_required("teacher")
def remove_step(draft_id: int, index: int):
    """Take the step out of the draft; its key items wait, listed, for a step that asks for
    them."""
    row = my_draft(draft_id)
    task = the_step(row, index)
    if not ActionForm().validate_on_submit() or moved_elsewhere(task, request.form.get("step")):
        return to_draft(draft_id)
    draft = studio_steps.removed(row["draft"], index)
    keep(row, draft)
    waiting = sum(k["task"] is None for k in draft["key"])
    flash(
        f"Step {index + 1} ({task['id']}) removed."
        + (f" {waiting} key item(s) wait under 'Key items no step asks for'." if waiting else ""),
        "success",
    )
    return to_draft(draft_id)


@bp.post("/<int:draft_id>/steps/<int:index>/move/<any(up, down):direction>")
@login_required("teacher")
def move_step(draft_id: int, index: int, direction: str):
    """Move the step one place up or down."""
    row = my_draft(draft_id)
    task = the_step(row, index)
    if not ActionForm().validate_on_submit() or moved_elsewhere(task, request.form.get("step")):
        return to_draft(draft_id)
    draft, to = studio_steps.moved(row["draft"], index, -1 if direction == "up" else 1)
    if to != index:
        keep(row, draft)
    flash(f"Step {task['id']} is step {to + 1} now.", "success")
    return to_draft(draft_id, f"step-{to}")


# --- another article --------------------------------------------------------------------------


def library_choices(draft: dict) -> list[SelectChoice]:
    """The folder's articles the draft has not, by title."""
    mine = {a["id"] for a in draft["articles"]}
    found = [a for a in library().articles.values() if a.id not in mine]
    found.sort(key=lambda a: a.title.lower())
    return [SelectChoice(a.id, f"{a.title} ({a.id})") for a in found]


def article_page(row: dict, form: NewArticleForm, existing: LibraryArticleForm):
    """The two ways to add an article: paste (or upload) it, or pick one of the folder's."""
    return render_template(
        "studio/article.html", row=row, draft=row["draft"], form=form, existing=existing
    )


def with_choices(existing: LibraryArticleForm, draft: dict) -> LibraryArticleForm:
    existing.article_id.choices = library_choices(draft)
    return existing


@bp.get("/<int:draft_id>/articles/new")
@login_required("teacher")
def new_article(draft_id: int):
    """The page to add another article to the draft."""
    row = my_draft(draft_id)
    return article_page(row, NewArticleForm(), with_choices(LibraryArticleForm(), row["draft"]))


def added_article(row: dict, article: dict):
    """Save the draft with the article and go back to it; the article is shown beside the
    first, and compare steps can be added."""
    try:
        draft = studio_steps.with_article(row["draft"], article)
    except studio.InvalidEdit as err:
        flash(str(err), "error")
        return to_draft(row["id"])
    keep(row, draft)
    flash(f"Article added: {article['title']}. Add a compare step to use both.", "success")
    return to_draft(row["id"])


@bp.post("/<int:draft_id>/articles")
@login_required("teacher")
def add_article(draft_id: int):
    """Add an article pasted or uploaded: its files are written when the draft is published."""
    row = my_draft(draft_id)
    form = NewArticleForm()
    if not form.validate_on_submit():
        existing = with_choices(LibraryArticleForm(formdata=None), row["draft"])
        return article_page(row, form, existing), 400
    taken = {*library().exercises, *library().articles, row["exercise_id"]}
    taken |= {a["id"] for a in row["draft"]["articles"]}
    article = studio_steps.pasted_article(
        form.title.data.strip(),
        form.article_text,
        taken,
        outlet=(form.outlet.data or "").strip(),
        date=(form.date.data or "").strip(),
        link=(form.link.data or "").strip(),
    )
    return added_article(row, article)


@bp.post("/<int:draft_id>/articles/library")
@login_required("teacher")
def add_library_article(draft_id: int):
    """Add one of the exercises folder's articles, as it is."""
    row = my_draft(draft_id)
    existing = with_choices(LibraryArticleForm(), row["draft"])
    if not existing.validate_on_submit():
        return article_page(row, NewArticleForm(formdata=None), existing), 400
    article = library().articles[existing.article_id.data]
    return added_article(row, studio_steps.library_article(article))
