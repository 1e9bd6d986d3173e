import datetime

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from trellis.mentoring import actions
from trellis.mentoring.models import MentoringSession, Mentorship, PeerSession

D = datetime.date


def url(name, *args):
    return reverse(f"mentoring:{name}", args=["northshire", *args])


def date_fields(name, day):
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


# --- Matching ---------------------------------------------------------------------------------------


def test_an_admin_matches_a_mentor_within_capacity(client_for, admin, mentor, person):
    maya, _ = mentor(capacity=2)
    aisha = person("Aisha Rahman")
    client = client_for(admin)
    page = client.get(url("match") + f"?mentee={aisha.pk}").content.decode()
    assert "Maya Mentor: 0 of 2 mentees, mentoring" in page
    response = client.post(
        url("match"),
        {
            "mentee": aisha.pk,
            "kind": "mentoring",
            "mentor": maya.pk,
            "goals": "Confidence.",
            **date_fields("started_on", D(2026, 11, 2)),
        },
    )
    mentorship = Mentorship.objects.get()
    assert response["Location"] == url("relationship", mentorship.pk)
    assert (mentorship.mentor, mentorship.mentee, mentorship.started_on) == (maya, aisha, D(2026, 11, 2))


def test_matching_explains_each_mistake(client_for, admin):
    response = client_for(admin).post(url("match"), {"started_on_day": "31", "started_on_month": "2", "started_on_year": "2026"})
    assert response.status_code == 200
    page = response.content.decode()
    for message in ("Select the mentee", "Select the mentor or coach", "Enter the goals", "Start date must be a real date"):
        assert message in page
    assert page.count('class="govuk-error-summary"') == 1
    assert "<title>Error: " in page


def test_a_full_mentor_is_refused_until_the_admin_confirms(client_for, admin, mentor, person, match):
    maya, _ = mentor(capacity=1)
    match(maya, person("First Mentee"))
    second = person("Second Mentee")
    client = client_for(admin)
    data = {
        "mentee": second.pk,
        "kind": "mentoring",
        "mentor": maya.pk,
        "goals": "Goals.",
        **date_fields("started_on", D(2026, 11, 2)),
    }
    page = client.post(url("match"), data).content.decode()
    assert "Maya Mentor is full: 1 mentee for a capacity of 1" in page
    assert "Match them anyway" in page
    assert not Mentorship.objects.filter(mentee=second).exists()
    # Submitting again without ticking the box changes nothing.
    assert client.post(url("match"), data).status_code == 200
    response = client.post(url("match"), {**data, "confirm_over_capacity": "on"})
    assert response.status_code == 302
    assert Mentorship.objects.get(mentee=second).over_capacity


# --- Relationships and sessions ---------------------------------------------------------------------


@pytest.fixture
def pair(mentor, person, match, member_with):
    """Maya mentors Aisha, whose line manager is Bea."""
    bea = person("Bea Boss", stage="Team manager", login=member_with("practice_supervisor"))
    maya, _ = mentor()
    aisha = person("Aisha Rahman", line_manager=bea, login=member_with("practice_supervisor"))
    return {
        "mentorship": match(maya, aisha, goals="Confidence in performance conversations."),
        "maya": maya,
        "aisha": aisha,
        "bea": bea,
    }


def test_the_mentor_records_a_session_tagged_with_standards(client_for, pair, standards):
    power, emotion = standards["children"]
    client = client_for(pair["maya"].membership)
    mentorship = pair["mentorship"]
    form = client.get(url("session-add", mentorship.pk)).content.decode()
    assert "PS-KSS 1. Effective use of power and authority" in form
    assert "Relationship-based practice supervision" not in form  # an adults' framework; Aisha is in children's
    response = client.post(
        url("session-add", mentorship.pk),
        {
            **date_fields("held_on", D(2026, 11, 20)),
            "duration_minutes": "60",
            "themes": "Performance conversations",
            "standards": [power.pk, emotion.pk],
            "agreed_actions": "Plan the next one.",
        },
    )
    assert response.status_code == 302
    session = MentoringSession.objects.get()
    assert set(session.standards.all()) == {power, emotion}
    page = client.get(url("relationship", mentorship.pk)).content.decode()
    assert "Performance conversations" in page and "Standards worked on" in page


def test_session_mistakes_are_explained(client_for, pair):
    client = client_for(pair["maya"].membership)
    response = client.post(
        url("session-add", pair["mentorship"].pk), {**date_fields("held_on", D(2026, 12, 1)), "duration_minutes": "lots"}
    )
    page = response.content.decode()
    assert "Enter the themes" in page
    assert "Length must be a whole number of minutes, like 60" in page
    response = client.post(
        url("session-add", pair["mentorship"].pk),
        {**date_fields("held_on", D(2026, 12, 1)), "duration_minutes": "60", "themes": "x"},
    )
    assert "Date must be today or in the past" in response.content.decode()
    assert not MentoringSession.objects.exists()


def test_the_line_manager_sees_that_mentoring_exists_but_not_its_content(client_for, pair):
    mentorship = pair["mentorship"]
    actions.log_session(
        mentorship, actor=pair["maya"].membership, held_on=D(2026, 11, 3), duration_minutes=60, themes="Private theme"
    )
    page = client_for(pair["bea"].membership).get(url("relationship", mentorship.pk)).content.decode()
    assert "Maya Mentor" in page
    assert "Private theme" not in page and "Confidence in performance conversations" not in page
    assert "stays between Aisha Rahman and Maya Mentor" in page
    assert client_for(pair["bea"].membership).get(url("session-add", mentorship.pk)).status_code == 403
    mentee_page = client_for(pair["aisha"].membership).get(url("relationship", mentorship.pk)).content.decode()
    assert "Private theme" in mentee_page and "Confidence in performance conversations" in mentee_page


def test_a_stale_session_edit_is_refused_with_the_other_change_shown(client_for, pair):
    mentorship = pair["mentorship"]
    session = actions.log_session(
        mentorship, actor=pair["aisha"].membership, held_on=D(2026, 11, 3), duration_minutes=60, themes="Time"
    )
    actions.update_session(session, actor=pair["aisha"].membership, expected_version=1, themes="Time and priorities")
    response = client_for(pair["maya"].membership).post(
        url("session-edit", session.pk),
        {"version": "1", **date_fields("held_on", D(2026, 11, 3)), "duration_minutes": "60", "themes": "Something else"},
    )
    page = response.content.decode()
    assert "changed this after you opened it" in page and "Time and priorities" in page
    session.refresh_from_db()
    assert session.themes == "Time and priorities"


# --- Peer groups ------------------------------------------------------------------------------------


@pytest.fixture
def group(admin, person, member_with):
    fay = person("Fay Facilitator", stage="Service manager", login=member_with("practice_supervisor"))
    peer_group = actions.create_peer_group(
        actor=admin, kind="action_learning", name="New supervisors", facilitator=fay, started_on=D(2026, 6, 1)
    )
    people = [person(name, login=member_with("practice_supervisor")) for name in ("Aisha A", "Ben B")]
    for someone in people:
        actions.add_group_member(peer_group, actor=admin, staff=someone, joined_on=D(2026, 6, 1))
    session = actions.schedule_peer_session(peer_group, actor=admin, held_on=D(2026, 11, 10), place="County Hall")
    return {"group": peer_group, "fay": fay, "people": people, "session": session}


def test_the_facilitator_records_attendance_and_a_commitment(client_for, group):
    aisha, ben = group["people"]
    session = group["session"]
    client = client_for(group["fay"].membership)
    response = client.post(
        url("group-session-attendance", session.pk),
        {
            "version": "1",
            f"status_{aisha.pk}": "attended",
            f"presented_{aisha.pk}": "on",
            f"commitment_{aisha.pk}": "Agree a rule for cancelled supervision.",
            f"status_{ben.pk}": "apologies",
        },
    )
    assert response["Location"] == url("group-session", session.pk)
    session.refresh_from_db()
    assert session.status == PeerSession.Status.HELD
    page = client.get(url("group", group["group"].pk)).content.decode()
    assert "Agree a rule for cancelled supervision." in page


def test_attendance_mistakes_are_explained_and_nothing_is_saved(client_for, group):
    aisha, ben = group["people"]
    client = client_for(group["fay"].membership)
    page = client.post(
        url("group-session-attendance", group["session"].pk),
        {"version": "1", f"status_{aisha.pk}": "absent", f"presented_{aisha.pk}": "on", f"commitment_{ben.pk}": "Do a thing"},
    ).content.decode()
    assert "Aisha A did not attend, so cannot have presented" in page
    assert "Select whether Ben B attended" in page
    assert "Tick that Ben B presented, or remove their commitment" in page
    assert not group["session"].attendance.exists()


def test_members_see_their_groups_only_and_cannot_run_them(client_for, group, member_with):
    aisha = group["people"][0]
    client = client_for(aisha.membership)
    assert "New supervisors" in client.get(url("group-list")).content.decode()
    assert client.get(url("group", group["group"].pk)).status_code == 200
    assert client.get(url("group-session-attendance", group["session"].pk)).status_code == 403
    stranger = client_for(member_with("practice_supervisor"))
    assert "New supervisors" not in stranger.get(url("group-list")).content.decode()
    assert stranger.get(url("group", group["group"].pk)).status_code == 403


def test_a_session_in_the_future_cannot_have_attendance_yet(client_for, group, admin):
    future = actions.schedule_peer_session(group["group"], actor=admin, held_on=D(2026, 12, 8), place="Online")
    page = client_for(group["fay"].membership).get(url("group-session-attendance", future.pk)).content.decode()
    assert "once the session has happened, on or after 8 December 2026" in page
    assert "<form" not in page.split('id="main-content"')[1]


# --- The panel ------------------------------------------------------------------------------------------


def render_panel(membership, person):
    template = Template("{% load mentoring %}{% mentoring_panel person %}")
    return template.render(Context({"membership": membership, "organisation": membership.organisation, "person": person}))


def test_the_panel_shows_mentors_mentees_and_groups_to_those_allowed(pair, group, admin, leader, member_with):
    aisha = pair["aisha"]
    actions.add_group_member(group["group"], actor=admin, staff=aisha, joined_on=D(2026, 6, 1))
    mine = render_panel(aisha.membership, aisha)
    assert "Maya Mentor" in mine and "New supervisors" in mine and "Next session" in mine
    assert "Maya Mentor" in render_panel(pair["bea"].membership, aisha)  # her line manager
    assert "Aisha Rahman" in render_panel(pair["maya"].membership, pair["maya"])  # as a mentee of Maya's
    assert render_panel(leader, aisha).strip() == ""
    assert render_panel(member_with("mentor"), aisha).strip() == ""


def test_the_panel_query_count_does_not_grow(pair, admin, mentor, person, match, group):
    aisha = pair["aisha"]
    render_panel(admin, aisha)
    with CaptureQueriesContext(connection) as few:
        render_panel(admin, aisha)
    coach, _ = mentor("Colin Coach", offers_coaching=True)
    match(coach, aisha, kind="coaching")
    for extra in range(3):
        other = actions.create_peer_group(
            actor=admin, kind="peer_supervision", name=f"Group {extra}", external_facilitator="X", started_on=D(2026, 6, 1)
        )
        actions.add_group_member(other, actor=admin, staff=aisha, joined_on=D(2026, 6, 1))
        actions.schedule_peer_session(other, actor=admin, held_on=D(2026, 12, 1), place="x")
    with CaptureQueriesContext(connection) as many:
        render_panel(admin, aisha)
    assert len(many) == len(few)


# --- Query counts -----------------------------------------------------------------------------------------


def make_rows(admin, person, mentor, match, n, tag):
    """n mentors, each with a mentee, two sessions and a peer group with two members and two sessions."""
    rows = []
    for i in range(n):
        maya, _ = mentor(f"Mentor {tag}{i}", capacity=3)
        mentee = person(f"Mentee {tag}{i}")
        mentorship = match(maya, mentee)
        for day in (D(2026, 7, 1), D(2026, 8, 1)):
            actions.log_session(mentorship, actor=admin, held_on=day, duration_minutes=60, themes="x")
        peer_group = actions.create_peer_group(
            actor=admin, kind="peer_supervision", name=f"Group {tag}{i}", facilitator=maya, started_on=D(2026, 6, 1)
        )
        for someone in (mentee, maya):
            actions.add_group_member(peer_group, actor=admin, staff=someone, joined_on=D(2026, 6, 1))
        for day in (D(2026, 10, 1), D(2026, 12, 1)):
            actions.schedule_peer_session(peer_group, actor=admin, held_on=day, place="x")
        rows.append((mentorship, peer_group))
    return rows


@pytest.mark.parametrize("name", ["overview", "group-list", "mine", "waiting-list", "group", "relationship"])
def test_query_counts_do_not_grow_with_rows(client_for, admin, person, mentor, match, name):
    actions.save_offer(actor=admin, offer_first=True, groups=["ethnic_group:black"])
    (first, first_group), *_ = make_rows(admin, person, mentor, match, 2, "a")
    # "Your mentoring" is the first mentor's own page; the rest are an admin's.
    client = client_for(first.mentor.membership if name == "mine" else admin)
    target = {"group": (first_group.pk,), "relationship": (first.pk,)}.get(name, ())
    client.get(url(name, *target))
    with CaptureQueriesContext(connection) as few:
        assert client.get(url(name, *target)).status_code == 200
    (_, more), *_ = make_rows(admin, person, mentor, match, 6, "b")
    for day in (D(2026, 9, 1), D(2026, 10, 1), D(2026, 11, 1)):
        actions.log_session(first, actor=admin, held_on=day, duration_minutes=60, themes="y")
        actions.schedule_peer_session(first_group, actor=admin, held_on=day, place="y")
    for n in range(2):
        match(first.mentor, person(f"Extra mentee {n}"))
    actions.add_group_member(more, actor=admin, staff=first.mentor, joined_on=D(2026, 6, 1))
    with CaptureQueriesContext(connection) as many:
        assert client.get(url(name, *target)).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
