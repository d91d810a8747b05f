"""The studio's views: the author's drafts, starting one, editing it, saving it as JSON."""

from __future__ import annotations

from pathlib import Path

import yaml
from flask import (
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from wtforms.fields.choices import SelectChoice

from ..auth import login_required
from ..author import render_preview
from ..content import publish, studio, studio_files, studio_steps, studio_suggestions
from ..content.layout import text_layout
from ..content.model import Article
from ..content.snapshot import snapshot
from ..db import get_db
from ..exercises import get_exercise, library
from ..store import studio as store
from ..times import time_of_day
from ..work import read_json
from . import api_bp, bp
from .forms import ActionForm, ArticleForm, FromExerciseForm


def my_draft(draft_id: int) -> dict:
    """The logged-in author's draft, or 404: another teacher's drafts do not exist here."""
    row = store.get_draft(get_db(), draft_id, g.user["id"])
    if row is None:
        abort(404, "You have no draft at this address.")
    return row


def free_id(title: str) -> str:
    """An exercise id made from the title that no exercise, nor article, has yet."""
    taken = set(library().exercises) | set(library().articles)
    base = studio.slug(title)
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base[: studio.MAX_ID - len(str(n)) - 1]}-{n}"
    return candidate


def exercise_choices() -> list[SelectChoice]:
    """Every exercise that loads, by title, for the 'start from an exercise' list."""
    found = sorted(library().exercises.values(), key=lambda e: e.title.lower())
    return [SelectChoice(e.id, e.title) for e in found]


@bp.get("/")
@login_required("teacher")
def drafts():
    """The author's drafts, and the ways to start a new one."""
    form, existing = ArticleForm(), FromExerciseForm()
    existing.exercise_id.choices = exercise_choices()
    return render_template(
        "studio/drafts.html",
        drafts=store.author_drafts(get_db(), g.user["id"]),
        form=form,
        existing=existing,
    )


@bp.post("/new")
@login_required("teacher")
def new():
    """Start a draft from an article: its details and its text, pasted or uploaded."""
    form, existing = ArticleForm(), FromExerciseForm()
    existing.exercise_id.choices = exercise_choices()
    if not form.validate_on_submit():
        return render_template(
            "studio/drafts.html",
            drafts=store.author_drafts(get_db(), g.user["id"]),
            form=form,
            existing=existing,
        ), 400
    exercise_id = free_id(form.title.data)
    draft = studio.new_draft(
        form.title.data.strip(),
        form.article_text,
        exercise_id,
        outlet=(form.outlet.data or "").strip(),
        date=(form.date.data or "").strip(),
        link=(form.link.data or "").strip(),
    )
    draft_id = store.create_draft(get_db(), g.user["id"], exercise_id, draft)
    flash("Draft started. Select words in the article to mark the answer key.", "success")
    return redirect(url_for("studio.edit", draft_id=draft_id))


@bp.post("/from-exercise")
@login_required("teacher")
def from_exercise():
    """Start a draft of an existing exercise, to change it and publish it again."""
    existing = FromExerciseForm()
    existing.exercise_id.choices = exercise_choices()
    if not existing.validate_on_submit():
        flash("Choose one of the exercises that load.", "error")
        return redirect(url_for("studio.drafts"))
    exercise = get_exercise(existing.exercise_id.data)
    document = yaml.safe_load(Path(exercise.path).read_text(encoding="utf-8"))
    draft = studio.draft_of(exercise, document)
    draft_id = store.create_draft(get_db(), g.user["id"], exercise.id, draft)
    return redirect(url_for("studio.edit", draft_id=draft_id))


def page_data(row: dict) -> dict:
    """What the edit page's script reads: the articles' texts, the categories, the key, where
    to save and the revision saved."""
    draft = row["draft"]
    return {
        "articles": {a["id"]: a["text"] for a in draft["articles"]},
        "categories": list(studio.categories_of(draft).values()),
        "key": draft["key"],
        "problems": studio.problems(row["exercise_id"], draft),
        "suggestions": studio_suggestions.for_draft(draft),
        "dismissed": draft.get("dismissed", []),
        "revision": row["revision"],
        "draftUrl": url_for("studio_api.save", draft_id=row["id"]),
        "sessionUrl": url_for("api.session"),
        "keptKey": f"classroom-studio-{row['id']}",
        "userId": g.user["id"],
        "version": "studio",
    }


@bp.get("/<int:draft_id>")
@login_required("teacher")
def edit(draft_id: int):
    """The draft on its article: mark the key, write why, see the problems as you go."""
    row = my_draft(draft_id)
    draft = row["draft"]
    articles = [
        Article(**{k: a[k] for k in ("id", "title", "text", "outlet", "date", "note")})
        for a in draft["articles"]
    ]
    return render_template(
        "studio/edit.html",
        row=row,
        draft=draft,
        articles=articles,
        layouts={a.id: text_layout(a.title, a.text) for a in articles},
        categories=list(studio.categories_of(draft).values()),
        data=page_data(row),
        action=ActionForm(),
        step_menu=studio_steps.menu(draft),
    )


@bp.post("/<int:draft_id>/delete")
@login_required("teacher")
def delete(draft_id: int):
    """Throw the draft away (a published exercise stays as published)."""
    my_draft(draft_id)
    if ActionForm().validate_on_submit():
        store.delete_draft(get_db(), draft_id, g.user["id"])
        flash("Draft deleted.", "success")
    return redirect(url_for("studio.drafts"))


@api_bp.put("/drafts/<int:draft_id>")
@login_required("teacher")
def save(draft_id: int):
    """Autosave: the title, summary and key sent, checked; the problems of the draft returned.

    409 with the draft's revision when it was saved from elsewhere since the revision sent.
    """
    row = my_draft(draft_id)
    data = read_json(request.get_data()) if request.is_json else None
    base = data.get("revision") if isinstance(data, dict) else None
    if data is None or (base is not None and (type(base) is not int or base < 0)):
        abort(400, "Send the draft as a JSON object with its 'revision'.")
    try:
        draft = studio_suggestions.with_dismissed(studio.edited(row["draft"], data), data)
    except studio.InvalidEdit as err:
        abort(400, str(err))
    saved = store.save_draft(get_db(), draft_id, g.user["id"], row["exercise_id"], draft, base)
    if saved is None:
        current = my_draft(draft_id)
        return jsonify(
            error="This draft was changed in another tab or on another device",
            status=409,
            draft={"revision": current["revision"], "work": current["draft"]},
        ), 409
    problems = studio.problems(row["exercise_id"], draft)
    saved |= {"saved_time": time_of_day(saved["saved_at"]), "problems": problems}
    return jsonify(saved | {"tasks": [k["task"] for k in draft["key"]]})


@bp.get("/<int:draft_id>/preview")
@login_required("teacher")
def preview(draft_id: int):
    """The draft as a student sees it; with ?key=1, its answer key in place (as author/preview)."""
    row = my_draft(draft_id)
    loaded, problems = studio.loaded(row["exercise_id"], row["draft"])
    if loaded is None:
        return render_template("studio/not_ready.html", row=row, problems=problems)
    return render_preview(
        snapshot(loaded),
        back=url_for("studio.edit", draft_id=draft_id),
        toggle=url_for("studio.preview", draft_id=draft_id),
    )


def draft_changes(row: dict) -> list[publish.Change]:
    """The writes that publish the draft into the exercises folder."""
    folder = Path(current_app.config["EXERCISES_DIR"])
    return studio_files.changes(folder, row["exercise_id"], row["draft"])


@bp.post("/<int:draft_id>/publish")
@login_required("teacher")
def publish_draft(draft_id: int):
    """Write the exercise file and its articles; where the folder cannot be written, offer
    them as a download and say why."""
    row = my_draft(draft_id)
    back = redirect(url_for("studio.edit", draft_id=draft_id))
    if not ActionForm().validate_on_submit():
        return back
    exercise, problems = studio.loaded(row["exercise_id"], row["draft"])
    if exercise is None:
        errors = sum(p.severity == "error" for p in problems)
        flash(f"Not published: fix the {errors} problem(s) shown beside the draft first.", "error")
        return back
    folder = Path(current_app.config["EXERCISES_DIR"])
    try:
        written = publish.publish(folder, draft_changes(row))
    except publish.NotWritable as err:
        return render_template("studio/download.html", row=row, reason=err.reason)
    except (publish.Conflict, publish.BadName, publish.TooLarge) as err:
        flash(f"Not published: {err}", "error")
        return back
    draft = dict(row["draft"])
    draft["articles"] = [{**a, "new": False} for a in draft["articles"]]
    db = get_db()
    store.save_draft(db, draft_id, g.user["id"], row["exercise_id"], draft)
    store.mark_published(db, draft_id, g.user["id"])
    names = ", ".join(str(p.relative_to(folder.resolve())) for p in written)
    flash(f"Published: {names}. Students see it within a second.", "success")
    return back


@bp.get("/<int:draft_id>/download")
@login_required("teacher")
def download(draft_id: int):
    """The files the draft publishes as, in a zip to unpack beside the exercises folder."""
    row = my_draft(draft_id)
    try:
        data = publish.as_zip(Path(current_app.config["EXERCISES_DIR"]), draft_changes(row))
    except (publish.BadName, publish.TooLarge) as err:
        abort(400, str(err))
    name = f"{row['exercise_id']}.zip"
    return data, {
        "Content-Type": "application/zip",
        "Content-Disposition": f'attachment; filename="{name}"',
    }
