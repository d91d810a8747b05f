"""A new exercise from a plain-text article: the article copied verbatim, and a file to fill in."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

EXERCISE_TEMPLATE = """\
# yaml-language-server: $schema=../classroom/content/exercise.schema.json
# An exercise on articles/{id}.txt. Replace every TODO with your own text, add key items
# (copy the words from the article file, articles/{id}.txt), then check the file, which lists
# every TODO left:
#   flask --app classroom exercises check exercises/{id}.yaml
title: "TODO: a short title students see"
summary: "TODO: one sentence on what students practise"
articles: [{id}]
tasks:
  - id: loaded-language
    type: highlight
    article: {id}
    categories: [loaded_language]
    instruction: >-
      Highlight every word or short phrase chosen to make you feel something about a person,
      group or action, where a calmer word would state the same fact. Look in the writer's own
      sentences and inside every quote, on every side.
    hint: "TODO: a hint for a student who is stuck, without giving the answers away"
    key:
      - quote: "TODO: the exact words from the article"
        why: "TODO: why these words push the reader's feelings, and whose words they are"

  - id: statistics
    type: highlight
    article: {id}
    categories: [unverified_statistic]
    instruction: >-
      Highlight every number, amount or comparison you cannot check from the article itself.
    hint: "TODO: a hint"
    key:
      - quote: "TODO: the exact words from the article"
        why: "TODO: what the reader is not told about this number"
        check: "TODO: where a reader could check it (which primary source, what to search)"

  - id: missing-context
    type: highlight
    article: {id}
    categories: [missing_context]
    instruction: >-
      Highlight the places where you need to know more to judge the claim.
    hint: "TODO: a hint"
    key:
      - quote: "TODO: the exact words from the article"
        why: "TODO: what is missing and why it matters"
        check: "TODO: what a reader could look up"

  - id: question
    type: choice
    prompt: "TODO: a question with one right answer, e.g. which claim has no named source"
    options:
      - text: "TODO: the right answer"
        correct: true
        feedback: "TODO: why it is right, in words a student who picked it learns from"
      - text: "TODO: a wrong answer a careless reader might pick"
        correct: false
        feedback: "TODO: why it is wrong, and where in the article to look instead"

  - id: reflect
    type: short_answer
    prompt: >-
      What would you need to know before you trusted this article? What would you search for
      first?
    model_answer: "TODO: a model answer"
    key_points:
      - "TODO: a point a good answer makes"
"""


def slug(name: str) -> str:
    """An exercise or article id from a file name: lowercase words joined by dashes."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "article"


def scaffold(article_path: Path, exercises_dir: Path, exercise_id: str | None = None) -> list[Path]:
    """Copy the article into exercises/articles/ and write a new exercise to fill in.

    Returns the files written; refuses (FileExistsError) to overwrite any existing file.
    """
    raw = article_path.read_bytes()
    text = raw.decode("utf-8")  # UnicodeDecodeError for a file that is not UTF-8
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if not first_line:
        raise ValueError(f"{article_path} is empty")
    new_id = exercise_id or slug(article_path.stem)
    targets = {
        "text": exercises_dir / "articles" / f"{new_id}.txt",
        "meta": exercises_dir / "articles" / f"{new_id}.yaml",
        "exercise": exercises_dir / f"{new_id}.yaml",
    }
    for path in targets.values():
        if path.exists():
            raise FileExistsError(path)
    targets["text"].parent.mkdir(parents=True, exist_ok=True)
    targets["text"].write_bytes(raw)  # verbatim: not a byte changed
    meta = {
        "title": first_line[:200],
        "title_added_by_editor": False,
        "outlet": "as provided",
        "date": "unknown",
    }
    targets["meta"].write_text(
        f"# What is known of {new_id}.txt. Correct the outlet and date if you know them.\n"
        + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100),
        encoding="utf-8",
    )
    targets["exercise"].write_text(EXERCISE_TEMPLATE.format(id=new_id), encoding="utf-8")
    return list(targets.values())
