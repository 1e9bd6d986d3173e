"""The offer made first to under-represented groups: the admins' list of people without a mentor, and
the aggregate report everyone else sees, with small numbers suppressed."""

import datetime

import pytest
from django.urls import reverse

from trellis.mentoring import actions
from trellis.mentoring.offer import offer_report, waiting_list
from trellis.talent import actions as talent_actions
from trellis.workforce import actions as workforce_actions

D = datetime.date


def answers(admin, staff, **values):
    workforce_actions.save_equality_answers(staff, actor=admin, **values)


@pytest.fixture
def supervisors(admin, person):
    """Zara (Black, established), Adam (White, new in post), Bea (no answers, new in post), Pip (Black,
    a practitioner in the succession pipeline), and Sol (a practitioner not in it)."""
    zara = person("Zara Established", stage_start_date=D(2019, 1, 7))
    adam = person("Adam New", stage_start_date=D(2026, 6, 1))
    bea = person("Bea New", stage_start_date=D(2026, 3, 2))
    pip = person("Pip Pipeline", stage="Senior or advanced practitioner")
    sol = person("Sol Practitioner", stage="Social worker")
    talent_actions.record_potential_supervisor(
        actor=admin, staff=pip, identified_on=D(2026, 5, 1), source="appraisal", strengths="Calm.", readiness="ready_now"
    )
    answers(admin, zara, ethnic_group="black")
    answers(admin, adam, ethnic_group="white", disability="no")
    answers(admin, pip, ethnic_group="black")
    answers(admin, sol, ethnic_group="black")
    return {"zara": zara, "adam": adam, "bea": bea, "pip": pip, "sol": sol}


def names(rows):
    return [row.full_name for row in rows]


def test_the_list_is_supervisors_and_the_pipeline_without_a_mentor(admin, org, supervisors, mentor, match):
    maya, _ = mentor()
    match(maya, supervisors["bea"])
    offer = actions.offer_for(org)
    # Not offering first: new supervisors, then the pipeline, then established supervisors.
    assert names(waiting_list(admin, offer)) == ["Adam New", "Pip Pipeline", "Zara Established"]


def test_people_in_the_named_groups_come_first(admin, org, supervisors):
    actions.save_offer(actor=admin, offer_first=True, groups=["ethnic_group:black"])
    rows = list(waiting_list(admin, actions.offer_for(org)))
    assert names(rows) == ["Pip Pipeline", "Zara Established", "Adam New", "Bea New"]
    assert [row.offer_first for row in rows] == [True, True, False, False]


def test_without_the_right_to_see_equality_answers_nobody_is_in_a_group(admin, leader, org, supervisors):
    actions.save_offer(actor=admin, offer_first=True, groups=["ethnic_group:black"])
    rows = list(waiting_list(leader, actions.offer_for(org)))
    assert not any(row.offer_first for row in rows)


def test_the_list_page_is_for_admins_only(client_for, admin, leader, supervisors):
    actions.save_offer(actor=admin, offer_first=True, groups=["ethnic_group:black"])
    url = reverse("mentoring:waiting-list", args=["northshire"])
    assert client_for(leader).get(url).status_code == 403
    page = client_for(admin).get(url).content.decode()
    assert page.index("Pip Pipeline") < page.index("Adam New")
    assert page.count("Offer first</strong>") == 2


@pytest.fixture
def twenty(admin, person, mentor, match):
    """20 people in post: 8 Black (5 of them mentored), 12 White (5 mentored); one mentored person is disabled."""
    maya, _ = mentor(capacity=10)
    people = []
    for n in range(20):
        someone = person(f"Person {n:02d}", stage="Social worker")
        answers(admin, someone, ethnic_group="black" if n < 8 else "white", disability="yes" if n == 0 else "no")
        people.append(someone)
    for someone in people[:5] + people[8:13]:
        match(maya, someone)
    return people


def test_the_report_compares_mentees_with_the_workforce_and_hides_small_numbers(admin, org, twenty):
    offer = actions.save_offer(actor=admin, offer_first=True, groups=["ethnic_group:black", "disability:yes"])
    report = offer_report(org, offer)
    assert report["populations"] == [
        {"key": "workforce", "label": "Workforce", "total": 21},  # and Maya, the mentor
        {"key": "mentees", "label": "Mentored or coached now", "total": 10},
    ]
    rows = {row["label"]: row["cells"] for row in report["rows"]}
    black_workforce, black_mentees = rows["Ethnic group: Black, Black British, Black Welsh, Caribbean or African"]
    assert (black_workforce["count"], black_workforce["share"]) == (8, "38%")
    assert (black_mentees["count"], black_mentees["share"], black_mentees["ratio"]) == (5, "50%", "1.31")
    disabled_workforce, disabled_mentees = rows["Disabled people"]
    # One disabled person: "fewer than 5", and nothing that would let a reader work it out.
    assert disabled_workforce == {
        "population": "workforce",
        "count": None,
        "shown": "fewer than 5",
        "share": None,
        "ratio": None,
        "lower": False,
    }
    assert disabled_mentees["shown"] == "fewer than 5" and disabled_mentees["count"] is None
    assert rows["In any of these groups"][1]["count"] == 5


def test_a_small_group_and_its_complement_are_both_hidden(admin, org, person, mentor, match):
    maya, _ = mentor(capacity=6)
    for n in range(6):
        someone = person(f"Mentee {n}", stage="Social worker")
        answers(admin, someone, disability="yes" if n == 0 else "no")
        match(maya, someone)
    offer = actions.save_offer(actor=admin, offer_first=False, groups=["disability:yes"])
    (row,) = offer_report(org, offer)["rows"]
    mentees = row["cells"][1]
    # 1 of 6: "fewer than 5" beside "5 or more" out of 6 would still give the 1 away, so neither is shown.
    assert (mentees["count"], mentees["shown"], mentees["share"]) == (None, "not shown", None)


def test_senior_leaders_see_the_report_but_never_one_persons_answers(client_for, admin, leader, twenty):
    actions.save_offer(actor=admin, offer_first=True, groups=["ethnic_group:black", "disability:yes"])
    response = client_for(leader).get(reverse("mentoring:overview", args=["northshire"]))
    page = response.content.decode()
    assert "fewer than 5" in page and "Disabled people" in page
    assert "Offer first" not in page
    # The report carries counts and labels only: no staff record reaches the template.
    for row in response.context["report"]["rows"]:
        for cell in row["cells"]:
            assert set(cell) == {"population", "count", "shown", "share", "ratio", "lower"}
