"""Class insight for one assignment: completion, scores, key items found, a heatmap, extras.

Every figure counts each enrolled student's latest attempt only, with the score that counts
(latest.py). Plain functions over a sqlite-utils Database and an exercise snapshot
(content/snapshot.py); the counting is done in SQL (but for the heatmap's sweep, see
coverage), a fixed number of queries whatever the size of the class. The charts' shapes are
in classroom/charts.py.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from sqlite_utils import Database

from ..charts import heat_level
from ..content.layout import headline, paragraphs
from ..content.snapshot import key_items_of
from .latest import latest

# The latest attempt at the assignment (:assignment) of each student still in its class.
LATEST = latest("assignment")

# Highlights of latest attempts made on the snapshot's version: only their offsets fit its text.
MARKS = """
    marks as (
      select h.id, h.attempt_id, h.article_id, h.start, h."end", h.quote, h.category,
             l.student_id
      from attempt_highlights h join latest l on l.attempt_id = h.attempt_id
      where l.version = :version)"""

# What SQLite and PostgreSQL say differently in the statements below: JSON is read with
# json_each/json_extract on one and with json's operators and set-returning functions on the
# other; SQLite's min() of two values is PostgreSQL's least().
DIALECT = {
    "sqlite": {
        "least": "min",
        "item_statuses": """json_extract(i.value, '$.id') as item_id,
                 json_extract(i.value, '$.status') as status
          from latest l join attempts t on t.id = l.attempt_id,
               json_each(t.result, '$.tasks') task, json_each(task.value, '$.items') i""",
        "key_items": "json_each(:items) k",
        "key_spans": """json_extract(value, '$.article') as article_id,
                 json_extract(value, '$.start') as start, json_extract(value, '$.end') as "end"
          from json_each(:key)""",
        "ids_to_credit": "json_group_array(id) filter (where not credited)",
        "mix": "json_group_object(category, students)",
        "highlight_ids": "select value from json_each(:ids)",
    },
    "postgresql": {
        "least": "least",
        "item_statuses": """i.value ->> 'id' as item_id, i.value ->> 'status' as status
          from latest l join attempts t on t.id = l.attempt_id,
               json_each(cast(t.result as json) -> 'tasks') task,
               json_array_elements(task.value -> 'items') i""",
        "key_items": "json_array_elements_text(cast(:items as json)) with ordinality k(value, key)",
        "key_spans": """value ->> 'article' as article_id,
                 cast(value ->> 'start' as integer) as start,
                 cast(value ->> 'end' as integer) as "end"
          from json_array_elements(cast(:key as json))""",
        "ids_to_credit": "cast(json_agg(id) filter (where not credited) as text)",
        "mix": "cast(json_object_agg(category, students) as text)",
        "highlight_ids": (
            "select cast(value as bigint) from json_array_elements_text(cast(:ids as json))"
        ),
    },
}

BUCKETS = 10
# Stripped from both ends of a quote before grouping, so "slammed," and "slammed" are one.
QUOTE_EDGES = " \t\n.,;:!?\"'“”‘’()[]…-–—"


def completion(db: Database, assignment_id: int, version: str) -> dict[str, int]:
    """Enrolled students submitted, in progress (a draft, no attempt) and not started."""
    row = next(
        db.query(
            f"""with {LATEST}
        select count(*) as students,
               count(l.attempt_id) as submitted,
               count(d.student_id) filter (where l.attempt_id is null) as in_progress,
               count(l.attempt_id) filter (where l.version = :version) as on_version
        from assignments a
        join enrolments e on e.class_id = a.class_id
        left join latest l on l.student_id = e.student_id
        left join drafts d on d.assignment_id = a.id and d.student_id = e.student_id
        where a.id = :assignment""",
            {"assignment": assignment_id, "version": version},
        )
    )
    return {**row, "not_started": row["students"] - row["submitted"] - row["in_progress"]}


def score_distribution(db: Database, assignment_id: int) -> dict[str, Any]:
    """Latest scores in ten buckets (0-9 %, ..., 90-100 %) by whole percent, and the unscored."""
    sql = DIALECT[db.engine]
    counts = {
        r["bucket"]: r["students"]
        for r in db.query(
            f"""with {LATEST}
        select case when score is null then null
                    else {sql["least"]}(cast(floor(score * 100 + 0.5) as integer) / 10, :last)
               end as bucket,
               count(*) as students
        from latest group by bucket""",
            {"assignment": assignment_id, "last": BUCKETS - 1},
        )
    }
    buckets = [
        {
            "low": 10 * i,
            "high": 100 if i == BUCKETS - 1 else 10 * i + 9,
            "students": counts.get(i, 0),
        }
        for i in range(BUCKETS)
    ]
    return {"buckets": buckets, "unscored": counts.get(None, 0)}


def key_item_shares(db: Database, assignment_id: int, exercise: dict) -> list[dict[str, Any]]:
    """Each key item with how many submitters found it, or its place in another category."""
    items = {item["id"]: item for item in key_items_of(exercise)}
    sql = DIALECT[db.engine]
    rows = list(
        db.query(
            f"""with {LATEST},
        statuses as (
          select {sql["item_statuses"]})
        select k.value as id,
               count(s.item_id) filter (where s.status = 'found') as found,
               count(s.item_id) filter (where s.status = 'partly') as partly,
               (select count(*) from latest) as submitted
        from {sql["key_items"]} left join statuses s on s.item_id = k.value
        group by k.key, k.value order by found, partly, k.key""",
            {"assignment": assignment_id, "items": json.dumps(list(items))},
        )
    )
    return [
        {
            **items[r["id"]],
            **r,
            "share": r["found"] / r["submitted"] if r["submitted"] else 0.0,
            "bar": round(100 * r["found"] / r["submitted"], 1) if r["submitted"] else 0.0,
        }
        for r in rows  # hardest first: fewest found, then fewest in another category
    ]


# The heatmap's sweep is done in Python, an exception to "aggregates in SQL": it is a sort
# and a running sum over highlight edges, which SQLite's window functions did 5-7 times
# slower, and worse than linearly. coverage() alone, one assignment, best of N, SQL -> this:
# 200 students 37 -> 6 ms, 2,000: 417 -> 62 ms, 20,000: 4,285 -> 604 ms.
ANY_CATEGORY = None  # the key of a student's spans merged across categories


def coverage(db: Database, assignment_id: int, version: str) -> list[dict[str, Any]]:
    """Highlighted stretches between edges: how many students cover each, and per category."""
    # A student has one latest attempt, so their marks on an article come together, by start.
    marks = db.execute(
        f"""with {LATEST}, {MARKS}
        select attempt_id, article_id, category, start, "end" from marks
        order by attempt_id, article_id, start""",
        {"assignment": assignment_id, "version": version},
    )
    edges: dict[str, set[int]] = defaultdict(set)
    changes: dict[str, dict[str | None, Counter[int]]] = defaultdict(lambda: defaultdict(Counter))
    owner, merged, article_edges = None, {}, set()
    for attempt, article, category, start, end in marks:
        if (attempt, article) != owner:
            if owner:
                _count(merged, changes[owner[1]])
            owner, merged, article_edges = (attempt, article), {}, edges[article]
        article_edges.add(start)
        article_edges.add(end)
        if start >= end:
            continue  # an edge, covering nothing; work.py lets no such highlight in anyway
        # Spans that overlap or touch merge, in all categories and per category, so that a
        # student who marks the same words twice counts once.
        for key in (ANY_CATEGORY, category):
            spans = merged.get(key)
            if spans is None:
                merged[key] = [[start, end]]
            elif start > spans[-1][1]:
                spans.append([start, end])
            elif end > spans[-1][1]:
                spans[-1][1] = end
    if owner:
        _count(merged, changes[owner[1]])
    stretches = []
    for article in sorted(edges):
        at = sorted(edges[article])
        students = changes[article].pop(ANY_CATEGORY, {})
        categories = sorted(changes[article].items())
        covering, counts = 0, {category: 0 for category, _ in categories}
        for start, end in zip(at, at[1:], strict=False):
            covering += students.get(start, 0)
            for category, category_changes in categories:
                counts[category] += category_changes.get(start, 0)
            if covering > 0:
                stretches.append(
                    {
                        "article_id": article,
                        "start": start,
                        "end": end,
                        "students": covering,
                        "categories": {c: n for c, n in counts.items() if n > 0},
                    }
                )
    return stretches


def _count(
    merged: dict[str | None, list[list[int]]], changes: dict[str | None, Counter[int]]
) -> None:
    """Add one student's merged spans: a student more from each start, one fewer from each end."""
    for key, spans in merged.items():
        counted = changes[key]
        for start, end in spans:
            counted[start] += 1
            counted[end] -= 1


def category_mix(counts: Mapping[str, int], categories: Mapping[str, dict]) -> str:
    """'Loaded language 2, Missing context 1': most students first, then the exercise's order."""
    order = list(categories)
    ranked = sorted(
        counts.items(),
        key=lambda kv: (-kv[1], order.index(kv[0]) if kv[0] in order else len(order)),
    )
    return ", ".join(f"{categories[c]['label'] if c in categories else c} {n}" for c, n in ranked)


def heatmap(
    db: Database, assignment_id: int, exercise: dict, submitted: int
) -> list[dict[str, Any]]:
    """Each article's paragraphs cut into stretches with their heat, key outline and label."""
    stretches: dict[str, list[dict]] = {}
    for row in coverage(db, assignment_id, exercise["version"]):
        stretches.setdefault(row["article_id"], []).append(row)
    key_items = key_items_of(exercise)
    categories = exercise["categories"]
    articles = []
    for article in exercise["articles"]:
        marks = [(r["start"], r["end"], ("stretch", r)) for r in stretches.get(article["id"], [])]
        marks += [
            (k["start"], k["end"], ("key", k)) for k in key_items if k["article"] == article["id"]
        ]
        articles.append(
            {
                "id": article["id"],
                "title": article["title"],
                # the text opens with its own headline: the first paragraph, shown as the title
                "headline": headline(article["title"], article["text"]) is not None,
                "paragraphs": [
                    [
                        heat_segment(s.text, s.marks, submitted, categories)
                        for s in paragraph.segments
                    ]
                    for paragraph in paragraphs(article["text"], marks)
                ],
            }
        )
    return articles


def heat_segment(
    text: str, marks: Iterable[tuple[str, dict]], submitted: int, categories: Mapping[str, dict]
) -> dict[str, Any]:
    """One stretch of text as the template shows it: classes, and what hover or focus says."""
    stretch = next((data for kind, data in marks if kind == "stretch"), None)
    keys = [data for kind, data in marks if kind == "key"]
    count = stretch["students"] if stretch else 0
    level = heat_level(count, submitted)
    if not count and not keys:
        return {"text": text, "classes": "", "label": "", "students": 0}
    label = f"{count} of {submitted} students highlighted this"
    if stretch:
        label += ": " + category_mix(stretch["categories"], categories)
    label += "".join(f"; answer-key item ({categories[k['category']]['label']})" for k in keys)
    classes = ["heat", f"heat-{level}"] + (["heat-key"] if keys else [])
    return {"text": text, "classes": " ".join(classes), "label": label, "students": count}


def common_extras(
    db: Database, assignment_id: int, exercise: dict, limit: int = 10
) -> list[dict[str, Any]]:
    """The commonest highlights touching no key item, by words: students, categories, ids."""
    key = [
        {"article": k["article"], "start": k["start"], "end": k["end"]}
        for k in key_items_of(exercise)
    ]
    sql = DIALECT[db.engine]
    rows = db.query(
        f"""with {LATEST}, {MARKS},
        key as materialized (
          select {sql["key_spans"]}),
        extra as materialized (
          select m.*, lower(trim(m.quote, :edges)) as words,
                 -- the highlight's latest credit or uncredit decides whether it is credited
                 coalesce((select r.kind = 'credit' from review_events r
                           where r.attempt_id = m.attempt_id and r.highlight_id = m.id
                             and r.kind in ('credit', 'uncredit')
                           order by r.id desc limit 1), false) as credited
          from marks m
          where not exists (
            select 1 from key k
            where k.article_id = m.article_id and k.start < m."end" and m.start < k."end")),
        by_category as (
          select article_id, words, category, count(distinct student_id) as students
          from extra group by article_id, words, category),
        groups as (
          select article_id, words, min(quote) as quote, min(start) as first_start,
                 count(distinct student_id) as students,
                 count(distinct start) as places,
                 count(*) filter (where credited) as credited,
                 {sql["ids_to_credit"]} as to_credit
          from extra group by article_id, words),
        mixes as (
          select article_id, words, {sql["mix"]} as categories
          from by_category group by article_id, words)
        select g.*, m.categories
        from groups g join mixes m on m.article_id = g.article_id and m.words = g.words
        order by g.students desc, g.article_id, g.first_start
        limit :limit""",
        {
            "assignment": assignment_id,
            "version": exercise["version"],
            "edges": QUOTE_EDGES,
            "key": json.dumps(key),
            "limit": limit,
        },
    )
    categories = exercise["categories"]
    return [
        {
            **r,
            "categories": json.loads(r["categories"]),
            "mix": category_mix(json.loads(r["categories"]), categories),
            "to_credit": json.loads(r["to_credit"] or "[]"),
        }
        for r in rows
    ]


def creditable(db: Database, assignment_id: int, highlight_ids: Iterable[int]) -> list[dict]:
    """Those of these highlights on a latest attempt of an enrolled student, with attempt ids."""
    return list(
        db.query(
            f"""with {LATEST}
        select h.id as highlight_id, h.attempt_id
        from attempt_highlights h join latest l on l.attempt_id = h.attempt_id
        where h.id in ({DIALECT[db.engine]["highlight_ids"]}) order by h.id""",
            {"assignment": assignment_id, "ids": json.dumps(list(highlight_ids))},
        )
    )
