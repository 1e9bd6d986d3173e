import datetime
import html
import re

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from trellis.assessment import actions
from trellis.assessment.models import FeedbackRequest, SelfAssessment
from trellis.assessment.organisation import organisation_view
from trellis.frameworks.models import Standard
from trellis.workforce import actions as workforce_actions

from .factories import framework_in_use

D = datetime.date


def url(name, *args):
    return reverse(f"assessment:{name}", args=["northshire", *args])


def start(staff, fiu, actor=None, round="baseline"):  # noqa: A002
    return actions.start_self_assessment(actor=actor or staff.membership, staff=staff, framework_in_use=fiu, round=round)


def errors(response):
    summary = response.content.decode().split("govuk-error-summary__list")[1]
    return [html.unescape(text) for text in re.findall(r'<a href="#[^"]*">([^<]+)</a>', summary)]


def answer_all(request, actor, scale, label="Confident", comment=""):
    standards = Standard.objects.filter(version=request.assessment.framework_in_use.version)
    return actions.answer_feedback(
        request, actor=actor, answers={s: (scale[label] if label else None, comment) for s in standards}
    )


# --- A self-assessment, page by page --------------------------------------------------------------------


def test_a_supervisor_completes_a_baseline_page_by_page(client_for, fiu, scale, people):
    aisha = people["aisha"]
    client = client_for(aisha.membership)
    home = client.get(url("home"))
    assert "You have not submitted a self-assessment yet." in home.content.decode()
    response = client.post(url("start"), {"framework_in_use": fiu.pk, "round": "baseline"})
    assessment = SelfAssessment.objects.get()
    assert response["Location"] == url("assessment", assessment.pk)
    task_list = client.get(response["Location"]).content.decode()
    assert "0 of 3 standards completed" in task_list and task_list.count("Not yet started") == 4
    ratings = list(assessment.ratings.order_by("standard__position"))
    for index, rating in enumerate(ratings):
        page = client.get(url("section", rating.pk))
        assert f"standard {index + 1} of 3" in page.content.decode()
        data = {"version": rating.version, "level": scale["Developing"].pk, "strengths": "Listening.", "then": "continue"}
        data.update({f"statement_{row.statement_id}": scale["Confident"].pk for row in rating.statement_ratings.all()})
        response = client.post(url("section", rating.pk), data)
        following = url("section", ratings[index + 1].pk) if index + 1 < len(ratings) else url("overall", assessment.pk)
        assert response["Location"] == following
    response = client.post(
        url("overall", assessment.pk),
        {"version": 1, "overall_strengths": "Calm.", "overall_learning_needs": "Data.", "then": "continue"},
    )
    assert response["Location"] == url("submit", assessment.pk)
    check = client.get(url("submit", assessment.pk))
    html = check.content.decode()
    assert "Check your answers before submitting" in html and "You cannot submit yet" not in html
    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    answers = re.search(r'name="answers_version" value="(\d+)"', html).group(1)
    response = client.post(url("submit", assessment.pk), {"version": version, "answers_version": answers})
    assert response["Location"] == url("assessment", assessment.pk)
    page = client.get(response["Location"]).content.decode()
    assert "Baseline self-assessment submitted." in page
    assert "Nothing: this is the first submitted against this framework" in page
    assessment.refresh_from_db()
    assert assessment.status == "submitted"


def test_save_and_come_back_later_keeps_what_is_there(client_for, fiu, scale, people):
    aisha = people["aisha"]
    assessment = start(aisha, fiu)
    rating = assessment.ratings.order_by("standard__position").first()
    client = client_for(aisha.membership)
    response = client.post(url("section", rating.pk), {"version": 1, "learning_needs": "Group supervision.", "then": "later"})
    assert response["Location"] == url("assessment", assessment.pk)
    rating.refresh_from_db()
    assert rating.learning_needs == "Group supervision." and rating.level is None
    assert "In progress" in client.get(url("assessment", assessment.pk)).content.decode()
    check = client.get(url("submit", assessment.pk)).content.decode()
    assert "You cannot submit yet" in check and "Select a rating for standard 1" in check
    assert "Submit self-assessment" not in check


@pytest.mark.parametrize(
    ("page", "data", "expected"),
    [
        ("start", {}, ["Select the framework to assess yourself against", "Select which self-assessment this is"]),
        (
            "section",
            {"then": "continue"},
            ["Select a rating for standard 1", "Select a rating for statement 1.1", "Select a rating for statement 1.2"],
        ),
        (
            "section",
            {"then": "continue", "is_priority": "on", "level": "Confident", "statement": "Confident"},
            ["Enter your learning needs for this standard, or untick priority learning need"],
        ),
        ("overall", {"then": "continue"}, ["Enter your strengths overall", "Enter your learning needs overall"]),
        ("feedback", {}, ["Select at least one person to ask for feedback"]),
        ("feedback", {"supervisees": "first"}, ["Select whether supervisees' answers are anonymous"]),
        (
            "feedback",
            {"supervisees": "first", "anonymous": "yes"},
            ["Select at least 3 supervisees: anonymous answers are shown only once 3 have answered"],
        ),
        (
            "feedback",
            {"line_manager": "on", "answer_by_day": "31", "answer_by_month": "2", "answer_by_year": "2027"},
            ["Answer by (optional) must be a real date"],
        ),
        (
            "feedback",
            {"line_manager": "on", "answer_by_day": "1", "answer_by_month": "1", "answer_by_year": "2026"},
            ["The date to answer by must be today or in the future"],
        ),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(client_for, fiu, scale, people, page, data, expected):
    aisha = people["aisha"]
    assessment = start(aisha, fiu)
    rating = assessment.ratings.order_by("standard__position").first()
    data = dict(data)
    if page == "section":
        data["version"] = rating.version
        if data.pop("level", None):
            data["level"] = scale["Confident"].pk
        if data.pop("statement", None):
            data.update({f"statement_{row.statement_id}": scale["Confident"].pk for row in rating.statement_ratings.all()})
    if data.get("supervisees") == "first":
        data["supervisees"] = people["supervisees"][0].pk
    address = {
        "start": url("start"),
        "section": url("section", rating.pk),
        "overall": url("overall", assessment.pk),
        "feedback": url("feedback-requests", assessment.pk),
    }[page]
    if page == "start":
        SelfAssessment.objects.all().delete()
    response = client_for(aisha.membership).post(address, data)
    assert response.status_code == 200
    assert errors(response) == expected
    assert "<title>Error: " in response.content.decode()
    if page != "start":
        rating.refresh_from_db()
        assert rating.version == 1
    assert not FeedbackRequest.objects.exists()


def test_a_second_tab_is_told_what_changed_and_keeps_its_input(client_for, fiu, scale, people):
    aisha = people["aisha"]
    rating = start(aisha, fiu).ratings.order_by("standard__position").first()
    client = client_for(aisha.membership)
    client.post(url("section", rating.pk), {"version": 1, "level": scale["Confident"].pk, "then": "later"})
    response = client.post(
        url("section", rating.pk), {"version": 1, "level": scale["Not yet"].pk, "strengths": "Mine.", "then": "later"}
    )
    html = response.content.decode()
    assert "Aisha Supervisor changed this after you opened it" in html and "<title>Error: " in html
    assert 'name="version" value="2"' in html and "Mine." in html
    rating.refresh_from_db()
    assert rating.level == scale["Confident"]


def test_a_submitted_self_assessment_cannot_be_opened_for_changes(client_for, fiu, people, submitted):
    aisha = people["aisha"]
    assessment = submitted(start(aisha, fiu), aisha.membership)
    client = client_for(aisha.membership)
    rating = assessment.ratings.first()
    for address in (
        url("section", rating.pk),
        url("overall", assessment.pk),
        url("submit", assessment.pk),
        url("delete", assessment.pk),
    ):
        response = client.get(address, follow=True)
        assert response.redirect_chain[0][0].startswith(url("assessment", assessment.pk)), address
        assert "can no longer be changed" in response.content.decode()


def test_deleting_a_draft(client_for, fiu, people):
    aisha = people["aisha"]
    assessment = start(aisha, fiu)
    client = client_for(aisha.membership)
    assert "Are you sure you want to delete this draft?" in client.get(url("delete", assessment.pk)).content.decode()
    response = client.post(url("delete", assessment.pk))
    assert response["Location"] == url("home") and not SelfAssessment.objects.exists()


def test_sharing_with_the_mentor_from_the_page(client_for, fiu, people, submitted):
    aisha = people["aisha"]
    assessment = submitted(start(aisha, fiu), aisha.membership)
    client = client_for(aisha.membership)
    response = client.post(url("assessment", assessment.pk), {"version": assessment.version, "shared": "on"}, follow=True)
    assert "Shared with your mentor." in response.content.decode()
    stale = client.post(url("assessment", assessment.pk), {"version": assessment.version}, follow=True)
    assert "Not changed: " in stale.content.decode()
    assessment.refresh_from_db()
    assert assessment.shared_with_mentor
    assert client_for(people["manager"].membership).post(url("assessment", assessment.pk), {"version": 9}).status_code == 403


def test_an_admin_types_in_a_paper_self_assessment(client_for, fiu, person, admin):
    paper = person("Pat Paper", login=False)
    client = client_for(admin)
    page = client.get(url("start") + f"?staff={paper.pk}").content.decode()
    assert "Pat Paper does not sign in to Trellis" in page
    response = client.post(url("start") + f"?staff={paper.pk}", {"framework_in_use": fiu.pk, "round": "baseline"})
    assessment = SelfAssessment.objects.get(staff=paper)
    assert response["Location"] == url("assessment", assessment.pk) and assessment.created_by == admin


def test_without_a_staff_record_or_a_framework_the_pages_say_why(client_for, member_with, person, fiu):
    loose = member_with("practitioner")
    assert "not linked to a staff record" in client_for(loose).get(url("start")).content.decode()
    fiu.is_active = False
    fiu.save()
    someone = person("Cass Children")
    page = client_for(someone.membership).get(url("start")).content.decode()
    assert "has not put a framework in force for adults' services" in page


# --- Feedback and the side-by-side view -----------------------------------------------------------------


def test_asking_for_feedback_from_the_page(client_for, fiu, people):
    aisha = people["aisha"]
    assessment = start(aisha, fiu)
    client = client_for(aisha.membership)
    page = client.get(url("feedback-requests", assessment.pk)).content.decode()
    assert "Your line manager, Maggie Manager" in page and "Sam Supervisee 4" in page
    response = client.post(
        url("feedback-requests", assessment.pk),
        {"line_manager": "on", "supervisees": [s.pk for s in people["supervisees"][:3]], "anonymous": "yes", "message": "Thanks"},
    )
    assert response["Location"] == url("feedback-requests", assessment.pk)
    page = client.get(response["Location"]).content.decode()
    assert "Asked Maggie Manager, Sam Supervisee 1, Sam Supervisee 2, Sam Supervisee 3 for feedback." in page
    assert "Asked: Sam Supervisee 1, Sam Supervisee 2, Sam Supervisee 3." in page
    assert "Their answers are shown, combined, once 3 more answer" in page
    assert "Supervisees' answers on this self-assessment are anonymous" in page  # no longer a choice
    assert FeedbackRequest.objects.count() == 4


def test_a_respondent_sees_only_the_request_and_answers_it(client_for, fiu, scale, people):
    aisha, manager = people["aisha"], people["manager"]
    assessment = start(aisha, fiu)
    (request,) = actions.request_feedback(assessment, actor=aisha.membership, line_manager=True, answer_by=D(2026, 12, 10))
    client = client_for(manager.membership)
    assert client.get(url("assessment", assessment.pk)).status_code == 403  # a draft is Aisha's alone
    home = client.get(url("home")).content.decode()
    assert "Feedback you have been asked for" in home and "Aisha Supervisor" in home
    page = client.get(url("request", request.pk)).content.decode()
    assert "Aisha Supervisor's baseline self-assessment" in page and "Send feedback" in page
    response = client.post(url("request", request.pk), {})
    assert errors(response)[0] == "Select a rating for standard 1, or 'I cannot say'"
    data = {f"level_{s.pk}": scale["Confident"].pk for s in Standard.objects.filter(version=fiu.version)}
    data[f"level_{Standard.objects.get(version=fiu.version, number='3').pk}"] = "cannot_say"
    data["overall_comment"] = "Well done."
    response = client.post(url("request", request.pk), data)
    assert response["Location"] == url("feedback-asked")
    asked = client.get(response["Location"]).content.decode()
    assert (
        "Thank you. Your feedback has been sent to Aisha Supervisor." in asked
        and "Nobody is waiting for feedback from you." in asked
    )
    request.refresh_from_db()
    assert request.status == "answered"
    page = client.get(url("request", request.pk)).content.decode()
    assert "Your answers, sent 24 November 2026" in page and "Cannot say" in page


def test_declining_and_withdrawing_from_the_pages(client_for, fiu, people):
    aisha, manager = people["aisha"], people["manager"]
    assessment = start(aisha, fiu)
    to_manager, to_sam = actions.request_feedback(
        assessment, actor=aisha.membership, line_manager=True, supervisees=[people["supervisees"][0]], anonymous=False
    )
    response = client_for(manager.membership).post(url("request-decline", to_manager.pk), {"reason": "On leave."})
    assert response["Location"] == url("feedback-asked")
    client = client_for(aisha.membership)
    response = client.post(url("request-withdraw", to_sam.pk))
    assert response["Location"] == url("feedback-requests", assessment.pk)
    page = client.get(response["Location"]).content.decode()
    assert "On leave." in page and "Withdrawn" in page and "Declined" in page


def test_the_side_by_side_view_keeps_supervisees_anonymous(client_for, fiu, scale, people, submitted, admin):
    aisha, manager = people["aisha"], people["manager"]
    sups = people["supervisees"]
    assessment = submitted(start(aisha, fiu), aisha.membership)
    requests = actions.request_feedback(
        assessment, actor=aisha.membership, line_manager=True, supervisees=sups[:3], anonymous=True
    )
    answer_all(requests[0], manager.membership, scale, "Confident", "Manager says well done.")
    answer_all(requests[1], sups[0].membership, scale, "Can support others", "zebra comment from the first")
    answer_all(requests[2], sups[1].membership, scale, "Developing", "Apple comment from the second")
    client = client_for(aisha.membership)
    page = client.get(url("assessment", assessment.pk)).content.decode()
    assert "Line manager, Maggie Manager" in page and "Manager says well done." in page
    assert "2 of the 3 supervisees asked have answered anonymously" in page and "once 1 more answer" in page
    assert "zebra comment" not in page and "Apple comment" not in page
    answer_all(requests[3], sups[2].membership, scale, "Confident", "middle comment")
    for viewer in (aisha.membership, manager.membership, admin):
        page = client_for(viewer).get(url("assessment", assessment.pk)).content.decode()
        assert "Supervisees, middle rating (3 answered)" in page
        # Alphabetical, unsigned; nobody's name next to a supervisee's answer.
        assert page.index("Apple comment") < page.index("middle comment") < page.index("zebra comment")
        assert not any(s.full_name in page for s in sups)
    assert client.get(url("request", requests[1].pk)).status_code == 403
    assert client_for(sups[1].membership).get(url("request", requests[1].pk)).status_code == 403
    assert "zebra comment" in client_for(sups[0].membership).get(url("request", requests[1].pk)).content.decode()


def test_the_person_page_shows_the_change_over_time(client_for, fiu, scale, people, submitted, leader):
    aisha = people["aisha"]
    submitted(start(aisha, fiu), aisha.membership, {"1": "Not yet", "2": "Confident", "3": "Developing"})
    submitted(start(aisha, fiu, round="mid_point"), aisha.membership, {"1": "Developing", "2": "Developing", "3": "Developing"})
    page = client_for(people["manager"].membership).get(url("person", aisha.pk)).content.decode()
    assert "How the ratings changed" in page and '<svg class="app-chart__svg"' in page
    rows = re.findall(r'<th scope="row" class="govuk-table__header">([^<]+)</th>\s*((?:<td[^>]*>[^<]*</td>\s*)+)', page)
    cells = {name: re.findall(r"<td[^>]*>([^<]*)</td>", tds) for name, tds in rows}
    assert cells["1. Standard number 1"] == ["Not yet", "Developing", "Up"]
    assert cells["2. Standard number 2"] == ["Confident", "Developing", "Down"]
    assert client_for(leader).get(url("person", aisha.pk)).status_code == 403


# --- The organisation's view ---------------------------------------------------------------------------


@pytest.fixture
def ten_assessed(org, fiu, scale, person, admin, stages, submitted):
    """Ten supervisors without logins, each with a submitted baseline typed in by an admin: three in
    their first 12 months. Standard 1: five rate themselves confident; standard 2: eight; standard 3:
    two. Standard 2 is a priority for five. Plus someone with only a draft and someone who left."""
    people = []
    for n in range(10):
        first_year = n < 3
        people.append(
            person(
                f"Paper {n}",
                login=False,
                stage_start_date=D(2026, 6, 1) if first_year else D(2019, 1, 7),
                start_date=D(2015, 1, 5),
            )
        )
    for n, staff in enumerate(people):
        ratings = {
            "1": "Confident" if n < 5 else "Developing",
            "2": "Confident" if n < 8 else "Developing",
            "3": "Can support others" if n < 2 else "Not yet",
        }
        submitted(start(staff, fiu, actor=admin), admin, ratings, priority_numbers=("2",) if n < 5 else ())
    start(person("Drafty", login=False), fiu, actor=admin)
    leaver = person("Gone", login=False)
    submitted(start(leaver, fiu, actor=admin), admin, "Confident")
    workforce_actions.record_leaving(leaver, actor=admin, leaving_date=D(2026, 10, 30), leaving_reason="resignation")
    return people


def _cells(table):
    return {row["standard"].number: [cell.text for cell in row["cells"]] for row in table}


def test_the_organisation_view_counts_each_person_once_and_hides_small_numbers(admin, fiu, ten_assessed):
    figures = organisation_view(admin, fiu, "organisation")
    assert figures["total"] == 10 and figures["enough"] and figures["strong_label"] == "Confident or above"
    assert _cells(figures["strongest"]) == {"1": ["5 (50%)"], "2": ["not shown"], "3": ["fewer than 5"]}
    assert [row["standard"].number for row in figures["strongest"]] == ["1", "2", "3"]
    assert _cells(figures["needs"]) == {"2": ["5 (50%)"], "1": ["0 (0%)"], "3": ["0 (0%)"]}
    by_cohort = organisation_view(admin, fiu, "cohort")
    assert [(h["label"], h["size"]) for h in by_cohort["headings"]] == [
        ("Whole organisation", 10),
        ("First 12 months as a supervisor", None),
        ("Experienced supervisors", 7),
        ("Not yet supervisors", None),
    ]
    assert _cells(by_cohort["strongest"])["1"] == ["5 (50%)", "fewer than 5 people", "fewer than 5", "fewer than 5 people"]
    # Standard 3: none of the seven experienced is strong; "0" is shown, since the whole organisation's
    # count is hidden too, so nothing about the first-year group can be worked out from it.
    assert _cells(by_cohort["strongest"])["3"] == ["fewer than 5", "fewer than 5 people", "0 (0%)", "fewer than 5 people"]


def test_hidden_groups_cannot_be_worked_out_from_the_whole():
    from trellis.assessment.organisation import figure, protect

    # Three people in a small group: taking the others from the whole would show their count of 2,
    # so the smallest group shown is hidden too.
    cells = protect(figure(17, 33), [figure(10, 20), figure(5, 10), figure(2, 3)])
    assert [c.text for c in cells] == ["10 (50%)", "not shown", "fewer than 5 people"]
    # Still a count of 1 to 4 between the hidden groups: hide the next.
    cells = protect(figure(12, 30), [figure(10, 20), figure(0, 7), figure(2, 3)])
    assert [c.text for c in cells] == ["not shown", "not shown", "fewer than 5 people"]
    # Hidden groups of 5 or more people together, with a count neither small nor near their size: fine.
    cells = protect(figure(15, 40), [figure(10, 20), figure(0, 10), figure(5, 6), figure(0, 4)])
    assert [c.text for c in cells] == ["10 (50%)", "0 (0%)", "not shown", "fewer than 5 people"]


def test_fewer_than_five_people_show_nothing(admin, fiu, person, submitted):
    for n in range(4):
        submitted(start(person(f"P{n}", login=False), fiu, actor=admin), admin, "Confident")
    figures = organisation_view(admin, fiu)
    assert not figures["enough"]


def test_the_organisation_page_is_for_leaders_and_shows_no_names(client_for, leader, fiu, ten_assessed):
    page = client_for(leader).get(url("organisation") + "?grouping=cohort").content.decode()
    assert "10 people have submitted a self-assessment" in page and "5 (50%)" in page
    assert not any(staff.full_name in page for staff in ten_assessed)


# --- The panel for "My development" ------------------------------------------------------------------------


PANEL = Template("{% load assessment %}{% assessment_panel person %}")


def test_the_panel_shows_what_the_viewer_may_see(fiu, people, submitted, leader, rf, org):
    aisha = people["aisha"]
    submitted(start(aisha, fiu), aisha.membership)
    start(aisha, fiu, round="mid_point")
    actions.request_feedback(SelfAssessment.objects.drafts().get(), actor=aisha.membership, line_manager=True)

    def panel(viewer):
        return PANEL.render(Context({"membership": viewer, "organisation": org, "person": aisha}))

    mine = panel(aisha.membership)
    assert "Baseline self-assessment</a>, submitted 24 November 2026" in mine
    assert "Mid-point self-assessment: draft in progress" in mine and "1 request waiting for an answer" in mine
    managers = panel(people["manager"].membership)
    assert "Baseline self-assessment</a>" in managers and "Mid-point self-assessment: draft in progress" in managers
    assert panel(leader).strip() == ""


def test_the_panel_tells_the_respondent_what_is_waiting(fiu, people, org):
    aisha, manager = people["aisha"], people["manager"]
    actions.request_feedback(start(aisha, fiu), actor=aisha.membership, line_manager=True)
    html = PANEL.render(Context({"membership": manager.membership, "organisation": org, "person": manager}))
    assert "1 request for feedback waiting for your answer" in html


# --- Query counts and strictness ------------------------------------------------------------------------


def _grow(fiu, people, admin, person, submitted, scale, n):
    """n more of everything a page lists: self-assessments with feedback, people, requests."""
    aisha = people["aisha"]
    for i in range(n):
        assessment = submitted(start(aisha, fiu, round="review"), aisha.membership)
        requests = actions.request_feedback(
            assessment, actor=aisha.membership, line_manager=True, supervisees=people["supervisees"][:3], anonymous=True
        )
        for request in requests:
            answer_all(request, request.respondent.membership, scale, "Confident", f"Comment {i}")
        other = person(f"Extra {i}-{n}", login=False)
        submitted(start(other, fiu, actor=admin), admin)
        other_fiu = framework_in_use(aisha.organisation, standards=2)
        submitted(start(aisha, other_fiu), aisha.membership)


@pytest.mark.parametrize("name", ["home", "feedback-asked", "person", "assessment", "feedback-requests", "organisation", "panel"])
def test_query_counts_do_not_grow_with_rows(client_for, fiu, scale, people, admin, person, submitted, name):
    aisha, manager = people["aisha"], people["manager"]
    first = submitted(start(aisha, fiu), aisha.membership)
    viewer = {"organisation": admin, "feedback-asked": manager.membership}.get(name, aisha.membership)
    client = client_for(viewer)

    def load():
        if name == "panel":
            return PANEL.render(Context({"membership": viewer, "organisation": aisha.organisation, "person": aisha}))
        if name in ("home", "feedback-asked", "organisation"):
            address = url(name)
        else:
            address = url(name, aisha.pk if name == "person" else first.pk)
        response = client.get(address)
        assert response.status_code == 200
        return response

    for request in actions.request_feedback(
        first, actor=aisha.membership, line_manager=True, supervisees=people["supervisees"][:3], anonymous=True
    ):
        answer_all(request, request.respondent.membership, scale)
    _grow(fiu, people, admin, person, submitted, scale, 1)
    load()
    with CaptureQueriesContext(connection) as few:
        load()
    _grow(fiu, people, admin, person, submitted, scale, 3)
    # More feedback on the same self-assessment: a fourth supervisee, a named one and one waiting.
    (fourth,) = actions.request_feedback(first, actor=aisha.membership, supervisees=people["supervisees"][3:])
    answer_all(fourth, fourth.respondent.membership, scale)
    for n in range(3):  # the last is not asked, so there is still someone to ask, as before
        extra = person(f"New supervisee {n}", stage="Social worker", line_manager=aisha, roles=("practitioner",))
        if n < 2:
            actions.request_feedback(first, actor=aisha.membership, supervisees=[extra])
    with CaptureQueriesContext(connection) as many:
        load()
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
STYLE_ATTR = re.compile(r"\sstyle=", re.IGNORECASE)


def test_every_assessment_page_is_strict_with_one_h1_and_a_title(client_for, fiu, scale, people, submitted, leader):
    aisha, manager = people["aisha"], people["manager"]
    done = submitted(start(aisha, fiu), aisha.membership)
    draft = start(aisha, fiu, round="mid_point")
    (request,) = actions.request_feedback(done, actor=aisha.membership, line_manager=True)
    pages = {
        aisha.membership: [
            url("home"),
            url("start"),
            url("person", aisha.pk),
            url("assessment", done.pk),
            url("assessment", draft.pk),
            url("section", draft.ratings.first().pk),
            url("overall", draft.pk),
            url("submit", draft.pk),
            url("delete", draft.pk),
            url("feedback-requests", done.pk),
            url("request-withdraw", request.pk),
        ],
        manager.membership: [url("feedback-asked"), url("request", request.pk), url("request-decline", request.pk)],
        leader: [url("organisation")],
    }
    for viewer, addresses in pages.items():
        client = client_for(viewer)
        for address in addresses:
            response = client.get(address)
            html = response.content.decode()
            assert response.status_code == 200, address
            assert not INLINE_SCRIPT.search(html) and not STYLE_ATTR.search(html), address
            assert html.count("<h1") == 1, address
            assert re.search(r"<title>[^<]+ – Trellis</title>", html), address


def test_a_ratings_name_fits_beside_the_longest_bar():
    from trellis.govuk.charts import CHAR, WIDTH, Bar, Group, bar_chart

    chart = bar_chart(
        "c", "Ratings", "Ratings.", [Group("1. A standard", [Bar("This self-assessment", 4, "Can support others")])], maximum=4
    )
    bar = chart["rows"][-1]
    assert bar["text_x"] + len("Can support others") * CHAR <= WIDTH
    # Figures keep the layout they had.
    figures = bar_chart("d", "Figures", "Figures.", [Group(None, [Bar("Adults", 10, "10 (50%)")])], maximum=10)
    assert figures["rows"][0]["x"] + figures["rows"][0]["width"] == WIDTH - 130
