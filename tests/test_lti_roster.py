"""Rosters from the test platform (LTI Names and Role Provisioning): the class follows its
course, adding and removing students, and leaving alone those who joined with the code."""

from __future__ import annotations

import re

import pytest

from classroom.db import get_db
from classroom.store import accounts

TOOL = "https://localhost"


def csrf(page) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)


def linked_class(app, platform):
    """The teacher's client and the class their first launch linked the course to."""
    teacher = app.test_client()
    platform.launch(teacher, "teacher")
    page = teacher.get("/lti/course", base_url=TOOL)
    linked = teacher.post(
        "/lti/course", base_url=TOOL, data={"class_id": "new", "csrf_token": csrf(page)}
    )
    return teacher, int(linked.location.rsplit("/", 1)[1])


def names_in(app, class_id: int) -> set[str]:
    with app.app_context():
        return {
            r["display_name"]
            for r in get_db().query(
                """select u.display_name from enrolments e join users u on u.id = e.student_id
                   where e.class_id = ?""",
                [class_id],
            )
        }


def read_roster(teacher, class_id: int):
    page = teacher.get(f"/teacher/classes/{class_id}", base_url=TOOL)
    assert "Read the roster from Test Platform" in page.text
    return teacher.post(
        f"/lti/classes/{class_id}/roster",
        base_url=TOOL,
        data={"csrf_token": csrf(page)},
        follow_redirects=True,
    )


def test_the_roster_adds_and_removes_students_and_keeps_those_who_joined_with_the_code(
    app, platform
):
    teacher, class_id = linked_class(app, platform)
    platform.add("ben", "Ben Okafor", platform.learner)
    platform.add("cy", "Cy Young", platform.learner)
    with app.app_context():  # a student who joined with the class's code
        db = get_db()
        accounts.create_student(db, class_id, "Dee Coder", "dee", "a long enough password")
    page = read_roster(teacher, class_id)
    assert "3 student(s) added, 0 removed" in page.text
    assert names_in(app, class_id) == {"Ada Lovelace", "Ben Okafor", "Cy Young", "Dee Coder"}
    # Ben leaves the course, Cy's enrolment is made inactive there
    del platform.people["ben"]
    platform.people["cy"].status = "Inactive"
    page = read_roster(teacher, class_id)
    assert "0 student(s) added, 2 removed (their work is kept), 1 already here" in page.text
    assert names_in(app, class_id) == {"Ada Lovelace", "Dee Coder"}
    assert "The roster was last read" in page.text


def test_a_student_added_by_the_roster_is_the_one_who_launches_later(app, platform):
    teacher, class_id = linked_class(app, platform)
    read_roster(teacher, class_id)
    with app.app_context():
        before = get_db().execute("select count(*) from users").fetchone()[0]
    platform.launch(app.test_client(), "ada")
    with app.app_context():
        assert get_db().execute("select count(*) from users").fetchone()[0] == before


def test_a_platform_that_is_down_changes_nothing(app, platform):
    teacher, class_id = linked_class(app, platform)
    read_roster(teacher, class_id)
    platform.down = True
    page = read_roster(teacher, class_id)
    assert "The platform did not give the roster just now, so nothing changed" in page.text
    assert names_in(app, class_id) == {"Ada Lovelace"}


def test_the_command_reads_every_linked_class(app, platform, runner):
    _, class_id = linked_class(app, platform)
    platform.add("ben", "Ben Okafor", platform.learner)
    result = runner.invoke(args=["lti", "sync-rosters"])
    assert result.exit_code == 0, result.output
    assert f"class {class_id}: 2 added, 0 removed, 0 kept" in result.output
    platform.down = True
    assert runner.invoke(args=["lti", "sync-rosters"]).exit_code == 1


def test_a_class_without_a_platform_course_has_no_roster_to_read(app, school, client_of):
    teacher = client_of(app, school["teacher"])
    page = teacher.get(f"/teacher/classes/{school['class']['id']}")
    assert "Read the roster" not in page.text
    answer = teacher.post(
        f"/teacher/classes/{school['class']['id']}".replace("/teacher", "/lti") + "/roster",
        data={"csrf_token": csrf(page)},
    )
    assert answer.status_code == 400


def test_a_roster_of_many_pages_is_read_to_its_end(app, platform):
    teacher, class_id = linked_class(app, platform)
    for n in range(300):
        platform.add(f"s{n}", f"Student {n:03}", platform.learner)
    platform.page_size = 40  # 302 people: eight pages, each naming the next in its Link header
    page = read_roster(teacher, class_id)
    assert "301 student(s) added, 0 removed" in page.text
    assert platform.roster_reads == 8
    assert len(names_in(app, class_id)) == 301
    # read again: nothing changes, and one service token served every page of both reads
    assert "0 student(s) added, 0 removed (their work is kept), 301 already here" in (
        read_roster(teacher, class_id).text
    )
    assert platform.tokens_issued == 1


@pytest.mark.parametrize(
    "next_page",
    [
        "https://elsewhere.test/memberships/course-42?page=2",  # the token would go there too
        "https://platform.test/memberships/course-42?page=1",  # the first page again: a loop
    ],
    ids=["another-host", "a-loop"],
)
def test_a_roster_whose_pages_lead_elsewhere_or_round_in_a_loop_changes_nothing(
    app, platform, next_page
):
    teacher, class_id = linked_class(app, platform)
    platform.add("ben", "Ben Okafor", platform.learner)
    platform.next_page = next_page
    page = read_roster(teacher, class_id)
    assert "The platform did not give the roster just now, so nothing changed" in page.text
    assert names_in(app, class_id) == set()
    assert platform.roster_reads <= 2
