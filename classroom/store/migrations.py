"""The schema, as versioned migrations (sqlite-utils' Migrations). Never edit one that has shipped:
add a new one below it."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from . import lti_schema

migrations = Migrations("classroom")


@migrations()
def m001_accounts_and_classes(db: Database) -> None:
    """Users, classes, who is in which class, and what is assigned to it."""
    db["users"].create(
        {
            "id": int,
            "username": str,
            "display_name": str,
            "password_hash": str,
            "role": str,
            "created_at": str,
        },
        pk="id",
        not_null=["username", "display_name", "password_hash", "role", "created_at"],
        strict=True,
    )
    db["users"].create_index(["username"], unique=True)
    db["classes"].create(
        {
            "id": int,
            "name": str,
            "teacher_id": int,
            "join_code": str,
            "join_open": int,
            "created_at": str,
        },
        pk="id",
        foreign_keys=[("teacher_id", "users", "id")],
        not_null=["name", "teacher_id", "join_code", "created_at"],
        defaults={"join_open": 1},
        strict=True,
    )
    db["classes"].create_index(["join_code"], unique=True)
    db["classes"].create_index(["teacher_id"])
    db["enrolments"].create(
        {"class_id": int, "student_id": int, "joined_at": str},
        pk=("class_id", "student_id"),
        foreign_keys=[("class_id", "classes", "id"), ("student_id", "users", "id")],
        not_null=["joined_at"],
        strict=True,
    )
    db["enrolments"].create_index(["student_id"])
    db["assignments"].create(
        {"id": int, "class_id": int, "exercise_id": str, "due_at": str, "created_at": str},
        pk="id",
        foreign_keys=[("class_id", "classes", "id")],
        not_null=["class_id", "exercise_id", "created_at"],
        strict=True,
    )
    db["assignments"].create_index(["class_id", "exercise_id"], unique=True)


@migrations()
def m002_work(db: Database) -> None:
    """Drafts saved as the student works, and attempts appended on every submit."""
    db["exercise_versions"].create(
        {"exercise_id": str, "version": str, "title": str, "snapshot": str, "created_at": str},
        pk=("exercise_id", "version"),
        not_null=["title", "snapshot", "created_at"],
        strict=True,
    )
    db["drafts"].create(
        {
            "assignment_id": int,
            "student_id": int,
            "version": str,
            "work": str,
            "started_at": str,
            "updated_at": str,
        },
        pk=("assignment_id", "student_id"),
        foreign_keys=[("assignment_id", "assignments", "id"), ("student_id", "users", "id")],
        not_null=["version", "work", "started_at", "updated_at"],
        strict=True,
    )
    db["attempts"].create(
        {
            "id": int,
            "assignment_id": int,
            "student_id": int,
            "exercise_id": str,
            "version": str,
            "score": float,
            "result": str,
            "started_at": str,
            "submitted_at": str,
        },
        pk="id",
        foreign_keys=[("assignment_id", "assignments", "id"), ("student_id", "users", "id")],
        not_null=[
            "assignment_id",
            "student_id",
            "exercise_id",
            "version",
            "result",
            "submitted_at",
        ],
        strict=True,
    )
    db["attempts"].create_index(["assignment_id", "student_id"])
    db["attempts"].create_index(["student_id"])
    db["attempt_highlights"].create(
        {
            "id": int,
            "attempt_id": int,
            "article_id": str,
            "start": int,
            "end": int,
            "quote": str,
            "category": str,
            "note": str,
        },
        pk="id",
        foreign_keys=[("attempt_id", "attempts", "id")],
        not_null=["attempt_id", "article_id", "start", "end", "quote", "category"],
        defaults={"note": ""},
        strict=True,
    )
    db["attempt_highlights"].create_index(["attempt_id"])
    db["attempt_answers"].create(
        {"attempt_id": int, "task_id": str, "answer": str, "score": float},
        pk=("attempt_id", "task_id"),
        foreign_keys=[("attempt_id", "attempts", "id")],
        not_null=["answer"],
        strict=True,
    )


@migrations()
def m003_teaching(db: Database) -> None:
    """What teachers decide: due dates, when feedback shows, closing, reviews and resets."""
    db["assignments"].add_column("feedback_after", str, not_null_default="submit")
    db["assignments"].add_column("closed_at", str)
    db["users"].add_column("must_change_password", int, not_null_default=0)
    db["review_events"].create(
        {
            "id": int,
            "attempt_id": int,
            "teacher_id": int,
            "at": str,
            "kind": str,  # credit, uncredit, score or comment
            "highlight_id": int,
            "old": str,
            "new": str,
            "score_after": float,  # the attempt's score once this event is applied, if it moves
        },
        pk="id",
        foreign_keys=[
            ("attempt_id", "attempts", "id"),
            ("teacher_id", "users", "id"),
            ("highlight_id", "attempt_highlights", "id"),
        ],
        not_null=["attempt_id", "teacher_id", "at", "kind"],
        strict=True,
    )
    db["review_events"].create_index(["attempt_id", "id"])
    db["attempts"].create_index(["assignment_id", "id"])
    # The score that counts: the latest teacher decision that moved it, else the automatic one.
    db.create_view(
        "attempt_scores",
        """select t.id as attempt_id, t.assignment_id, t.student_id, t.submitted_at,
                  t.score as auto_score,
                  coalesce((select e.score_after from review_events e
                            where e.attempt_id = t.id and e.score_after is not null
                            order by e.id desc limit 1), t.score) as score,
                  exists(select 1 from review_events e where e.attempt_id = t.id) as reviewed
           from attempts t""",
    )


@migrations()
def m004_login_failures(db: Database) -> None:
    """Failed logins, kept briefly, so that guessing passwords can be slowed down."""
    db["login_failures"].create(
        {"id": int, "username": str, "address": str, "at": str},
        pk="id",
        not_null=["username", "address", "at"],
        strict=True,
    )
    db["login_failures"].create_index(["username", "at"])
    db["login_failures"].create_index(["address", "at"])


@migrations()
def m005_submission_keys(db: Database) -> None:
    """A key for each submission sent from an exercise page, so that the same one sent twice (a
    double click) is recorded once."""
    db["attempts"].add_column("submission_key", str)
    db["attempts"].create_index(["assignment_id", "student_id", "submission_key"], unique=True)


@migrations()
def m006_draft_revisions(db: Database) -> None:
    """A revision for each draft, moved on by every save, so that a save made from an older one
    (another tab, another device) is refused rather than written over the newer work."""
    db["drafts"].add_column("revision", int, not_null_default=1)


@migrations()
def m007_sessions(db: Database) -> None:
    """Sessions kept on the server, so that they can be ended (logging out, a password change,
    a teacher's reset), and one-time codes that expire. The cookie carries a random token; only
    its SHA-256 is stored, as the session's id."""
    db["sessions"].create(
        {"id": str, "user_id": int, "created_at": str, "last_seen_at": str},
        pk="id",
        foreign_keys=[("user_id", "users", "id")],
        not_null=["user_id", "created_at", "last_seen_at"],
        strict=True,
    )
    db["sessions"].create_index(["user_id"])
    db["sessions"].create_index(["last_seen_at"])
    db["users"].add_column("code_expires_at", str)  # set while must_change_password is


@migrations()
def m008_devices_and_join_failures(db: Database) -> None:
    """Browsers that have logged in to an account (OWASP's device cookies: their owner is not
    locked out by other people's failures), failed logins tied to such a browser, and wrong
    join codes, so that guessing them can be slowed down too."""
    db["devices"].create(
        {"id": str, "user_id": int, "created_at": str},
        pk="id",
        foreign_keys=[("user_id", "users", "id")],
        not_null=["user_id", "created_at"],
        strict=True,
    )
    db["devices"].create_index(["user_id"])
    db["login_failures"].add_column("device", str)  # the device's id, if the browser had one
    db["login_failures"].create_index(["device", "at"])
    db["join_failures"].create(
        {"id": int, "address": str, "at": str},
        pk="id",
        not_null=["address", "at"],
        strict=True,
    )
    db["join_failures"].create_index(["address", "at"])
    db["join_failures"].create_index(["at"])


@migrations()
def m009_studio_drafts(db: Database) -> None:
    """Exercises a teacher is writing in the authoring studio: the exercise id each publishes
    as, the draft as JSON, and a revision moved on by every save (a save from an older one, in
    another tab, is refused); published is when it was last published."""
    db["studio_drafts"].create(
        {
            "id": int,
            "author_id": int,
            "exercise_id": str,
            "draft": str,
            "revision": int,
            "created": str,
            "updated": str,
            "published": str,
        },
        pk="id",
        foreign_keys=[("author_id", "users", "id")],
        not_null=["author_id", "exercise_id", "draft", "revision", "created", "updated"],
        defaults={"revision": 1},
        strict=True,
    )
    db["studio_drafts"].create_index(["author_id", "updated"])


@migrations()
def m010_guided_practice(db: Database) -> None:
    """What a teacher chooses per assignment besides when feedback shows (feedback_after now
    also takes 'guided': hints first, the answers on request): how many attempts a student has
    (null: no limit) and which attempt counts (existing assignments count the latest, as they
    always did). When a student first saw an assignment's answers is appended as a row, and
    each attempt keeps whether it was made after that."""
    db["assignments"].add_column("attempts_allowed", int)
    db["assignments"].add_column("counting", str, not_null_default="latest")
    db["attempts"].add_column("after_answers", int, not_null_default=0)
    db["answers_seen"].create(
        {"id": int, "assignment_id": int, "student_id": int, "at": str, "reason": str},
        pk="id",
        foreign_keys=[("assignment_id", "assignments", "id"), ("student_id", "users", "id")],
        not_null=["assignment_id", "student_id", "at", "reason"],
        strict=True,
    )
    db["answers_seen"].create_index(["assignment_id", "student_id"])
    # as m003 made it, with whether the attempt came after the answers were seen
    db.create_view(
        "attempt_scores",
        """select t.id as attempt_id, t.assignment_id, t.student_id, t.submitted_at,
                  t.score as auto_score,
                  coalesce((select e.score_after from review_events e
                            where e.attempt_id = t.id and e.score_after is not null
                            order by e.id desc limit 1), t.score) as score,
                  exists(select 1 from review_events e where e.attempt_id = t.id) as reviewed,
                  t.after_answers
           from attempts t""",
        replace=True,
    )


@migrations()
def m011_assignment_positions(db: Database) -> None:
    """Where each assignment stands in its class's list, which the teacher chooses (students
    see the same order); until then, in the order they were assigned."""
    db["assignments"].add_column("position", int)
    db.execute(
        """update assignments set position = (
             select count(*) from assignments earlier
             where earlier.class_id = assignments.class_id
               and (earlier.created_at < assignments.created_at
                    or (earlier.created_at = assignments.created_at
                        and earlier.id <= assignments.id)))"""
    )


@migrations()
def m012_answer_order(db: Database) -> None:
    """The order a submission's answers were stored in, which the attempts export keeps. SQLite's
    rowid already is that order; PostgreSQL has no rowid, so there it is a column of its own
    (rows already stored take it in the order the table holds them). A plain sqlite-utils
    Database (bench/school.py builds one) has no engine: it is SQLite."""
    if getattr(db, "engine", "sqlite") == "postgresql":
        db.execute(
            "alter table attempt_answers add column seq bigint generated by default as identity"
        )


@migrations()
def m013_lti(db: Database) -> None:
    """LTI 1.3 (docs/lti.md): the platforms registered, accounts, classes and assignments by
    the platform's ids, the OIDC states and nonces every server shares, the scores waiting for
    a platform's gradebook, and Dynamic Registration links (store/lti_schema.py has them)."""
    lti_schema.create(db)
