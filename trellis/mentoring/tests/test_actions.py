import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from trellis.audit.models import AuditEvent
from trellis.audit.versions import StaleEdit
from trellis.mentoring import actions
from trellis.mentoring.models import Attendance, Mentorship, PeerSession
from trellis.tenancy import policy
from trellis.workforce import actions as workforce_actions

D = datetime.date


def events(verb):
    return AuditEvent.objects.filter(verb=verb)


# --- Mentors and capacity --------------------------------------------------------------------------


def test_an_admin_adds_a_mentor_and_it_is_audited(admin, person):
    staff = person("Maya Mentor", stage="Team manager")
    profile = actions.add_mentor(actor=admin, staff=staff, capacity=3, offers_coaching=True)
    assert (profile.capacity, profile.offers_mentoring, profile.offers_coaching, profile.is_available) == (3, True, True, True)
    event = events("added mentor or coach").get()
    assert event.changes["person"] == [None, "Maya Mentor"]
    assert event.changes["capacity"] == [None, 3]


def test_only_admins_add_mentors(leader, person):
    with pytest.raises(PermissionDenied):
        actions.add_mentor(actor=leader, staff=person("Maya Mentor"), capacity=2)


def test_a_mentor_is_on_the_list_once_and_offers_something(admin, person):
    staff = person("Maya Mentor")
    with pytest.raises(ValidationError) as error:
        actions.add_mentor(actor=admin, staff=staff, capacity=2, offers_mentoring=False, offers_coaching=False)
    assert error.value.message_dict == {"kinds": ["Select mentoring, coaching or both"]}
    actions.add_mentor(actor=admin, staff=staff, capacity=2)
    with pytest.raises(ValidationError) as error:
        actions.add_mentor(actor=admin, staff=staff, capacity=2)
    assert "already on the list" in error.value.message_dict["staff"][0]


def test_the_mentor_changes_their_own_availability_but_not_someone_elses(mentor, member_with):
    maya, profile = mentor("Maya Mentor")
    actions.update_mentor(profile, actor=maya.membership, expected_version=1, is_available=False)
    profile.refresh_from_db()
    assert profile.is_available is False and profile.version == 2
    _, other = mentor("Omar Other")
    with pytest.raises(PermissionDenied):
        actions.update_mentor(other, actor=maya.membership, expected_version=1, capacity=5)


def test_a_stale_capacity_change_is_refused(admin, mentor):
    _, profile = mentor()
    actions.update_mentor(profile, actor=admin, expected_version=1, capacity=4)
    with pytest.raises(StaleEdit) as stale:
        actions.update_mentor(profile, actor=admin, expected_version=1, capacity=1)
    assert ("How many mentees at a time", 2, 4) in stale.value.changes


# --- Matching and the capacity rule ------------------------------------------------------------------


def test_a_match_within_capacity_is_recorded_and_audited(admin, mentor, person, match):
    maya, _ = mentor(capacity=2)
    aisha = person("Aisha Rahman")
    mentorship = match(maya, aisha)
    assert mentorship.is_open and not mentorship.over_capacity
    event = events("matched mentor").get()
    assert event.changes["mentor"] == [None, "Maya Mentor"] and event.changes["mentee"] == [None, "Aisha Rahman"]
    assert actions.mentor_load(maya) == 1


def test_a_match_over_capacity_is_refused_clearly_unless_an_admin_confirms(mentor, person, match):
    maya, _ = mentor(capacity=1)
    match(maya, person("First Mentee"))
    second = person("Second Mentee")
    with pytest.raises(ValidationError) as error:
        match(maya, second)
    (problem,) = error.value.error_dict["mentor"]
    assert problem.code == "over_capacity"
    assert error.value.message_dict["mentor"] == [
        "Maya Mentor is full: 1 mentee for a capacity of 1. Choose another mentor, or confirm that you want to match them anyway."
    ]
    assert not Mentorship.objects.filter(mentee=second).exists()

    mentorship = match(maya, second, confirm_over_capacity=True)
    assert mentorship.over_capacity
    assert events("matched mentor").first().changes["confirmed"] == [None, "Maya Mentor is full: 1 mentee for a capacity of 1"]
    assert actions.mentor_load(maya) == 2


def test_a_mentor_not_taking_new_mentees_needs_confirming_too(admin, mentor, person, match):
    maya, profile = mentor(capacity=3)
    actions.update_mentor(profile, actor=admin, expected_version=1, is_available=False)
    with pytest.raises(ValidationError) as error:
        match(maya, person("Aisha Rahman"))
    assert "not taking new mentees" in error.value.message_dict["mentor"][0]


def test_capacity_counts_open_relationships_only(admin, mentor, person, match):
    maya, _ = mentor(capacity=1)
    first = match(maya, person("First Mentee"))
    actions.end_mentorship(first, actor=admin, ended_on=D(2026, 10, 1))
    match(maya, person("Second Mentee"))  # space again: no confirmation needed
    assert actions.mentor_load(maya) == 1


def test_a_match_must_fit_what_the_mentor_offers_and_the_mentee(mentor, person, match):
    maya, _ = mentor()
    aisha = person("Aisha Rahman")
    with pytest.raises(ValidationError) as error:
        match(maya, aisha, kind="coaching")
    assert error.value.message_dict["kind"] == ["Maya Mentor offers mentoring only. Select that, or choose another mentor."]
    with pytest.raises(ValidationError) as error:
        match(maya, maya)
    assert "nobody mentors themselves" in error.value.message_dict["mentor"][0]
    with pytest.raises(ValidationError) as error:
        match(maya, aisha, started_on=D(2017, 1, 1))
    assert error.value.message_dict["started_on"] == ["Start date must be on or after 1 April 2018, when Aisha Rahman started"]


def test_one_open_mentor_and_one_open_coach_per_person(mentor, person, match):
    maya, _ = mentor(capacity=3, offers_coaching=True)
    omar, _ = mentor("Omar Other", capacity=3)
    aisha = person("Aisha Rahman")
    match(maya, aisha, kind="coaching")
    match(omar, aisha, kind="mentoring")
    with pytest.raises(ValidationError) as error:
        match(maya, aisha, kind="mentoring")
    assert error.value.message_dict["mentee"][0].startswith("Aisha Rahman already has mentoring with Omar Other")


def test_only_people_on_the_list_mentor_and_only_admins_match(admin, leader, person, mentor, match):
    aisha = person("Aisha Rahman")
    with pytest.raises(ValidationError) as error:
        match(person("Not Listed"), aisha)
    assert "not on the list" in error.value.message_dict["mentor"][0]
    maya, _ = mentor()
    with pytest.raises(PermissionDenied):
        actions.match_mentor(actor=leader, mentor=maya, mentee=aisha, kind="mentoring", goals="x", started_on=D(2026, 6, 1))


def test_someone_who_has_left_cannot_be_matched(admin, mentor, person, match):
    maya, _ = mentor()
    gone = person("Gone Person")
    workforce_actions.record_leaving(gone, actor=admin, leaving_date=D(2026, 9, 30), leaving_reason="resignation")
    gone.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        match(maya, gone)
    assert error.value.message_dict["mentee"] == ["Gone Person left on 30 September 2026. Select a mentee still in post."]


def test_the_mentor_is_the_mentor_of_the_person_for_the_shared_policy(mentor, person, match, member_with):
    maya, _ = mentor()
    aisha = person("Aisha Rahman", login=member_with("practice_supervisor"))
    mentorship = match(maya, aisha)
    assert policy.allows(maya.membership, "development.view_record", aisha)
    assert policy.allows(maya.membership, "mentoring.view_sessions", mentorship)
    assert policy.allows(aisha.membership, "mentoring.view_sessions", mentorship)


# --- Goals, ending --------------------------------------------------------------------------------------


def test_goals_change_with_a_stale_edit_refused(mentor, person, match):
    maya, _ = mentor()
    mentorship = match(maya, person("Aisha Rahman"))
    actions.update_mentorship(mentorship, actor=maya.membership, expected_version=1, goals="New goals.")
    with pytest.raises(StaleEdit):
        actions.update_mentorship(mentorship, actor=maya.membership, expected_version=1, goals="Older idea.")
    assert events("updated").filter(target_type="mentoring.mentorship").count() == 1


def test_the_line_manager_sees_the_relationship_exists_but_not_what_is_said(mentor, person, match, member_with):
    boss = person("Bea Boss", stage="Team manager", login=member_with("practice_supervisor"))
    maya, _ = mentor()
    mentorship = match(maya, person("Aisha Rahman", line_manager=boss))
    assert policy.allows(boss.membership, "mentoring.view_relationship", mentorship)
    assert not policy.allows(boss.membership, "mentoring.view_sessions", mentorship)
    assert not policy.allows(boss.membership, "mentoring.log_session", mentorship)
    assert not policy.allows(boss.membership, "mentoring.change_relationship", mentorship)


def test_ending_a_relationship_checks_its_dates(admin, mentor, person, match):
    maya, _ = mentor()
    mentorship = match(maya, person("Aisha Rahman"))
    actions.log_session(mentorship, actor=admin, held_on=D(2026, 9, 1), duration_minutes=60, themes="Time")
    with pytest.raises(ValidationError) as error:
        actions.end_mentorship(mentorship, actor=admin, ended_on=D(2026, 8, 1))
    assert error.value.message_dict["ended_on"] == ["End date must be on or after the last session, on 1 September 2026"]
    with pytest.raises(ValidationError):
        actions.end_mentorship(mentorship, actor=admin, ended_on=D(2026, 12, 1))
    actions.end_mentorship(mentorship, actor=admin, ended_on=D(2026, 9, 1), ending_note="Goals met.")
    assert events("ended relationship").count() == 1
    with pytest.raises(ValidationError):
        actions.update_mentorship(mentorship, actor=admin, expected_version=None, goals="More")


# --- Sessions ------------------------------------------------------------------------------------------


def test_the_mentor_or_the_mentee_records_a_session_with_standards(mentor, person, match, member_with, standards):
    maya, _ = mentor()
    aisha = person("Aisha Rahman", login=member_with("practice_supervisor"))
    mentorship = match(maya, aisha)
    power, emotion = standards["children"]
    session = actions.log_session(
        mentorship,
        actor=maya.membership,
        held_on=D(2026, 11, 3),
        duration_minutes=60,
        themes="Performance conversations",
        agreed_actions="Plan the next one.",
        standards=[power, emotion],
    )
    assert set(session.standards.all()) == {power, emotion}
    assert session.recorded_by == maya.membership
    event = events("recorded session").get()
    assert event.changes["standards"] == [None, sorted([str(power), str(emotion)])]
    actions.log_session(mentorship, actor=aisha.membership, held_on=D(2026, 11, 17), duration_minutes=45, themes="Boundaries")
    assert mentorship.sessions.count() == 2


def test_others_cannot_record_a_session(mentor, person, match, leader, member_with):
    maya, _ = mentor()
    mentorship = match(maya, person("Aisha Rahman"))
    for outsider in (leader, member_with("mentor")):
        with pytest.raises(PermissionDenied):
            actions.log_session(mentorship, actor=outsider, held_on=D(2026, 11, 3), duration_minutes=60, themes="x")


def test_session_dates_and_standards_are_checked(admin, mentor, person, match, standards):
    maya, _ = mentor()
    mentorship = match(maya, person("Aisha Rahman"))  # children's services
    for held_on, message in (
        (D(2026, 5, 31), "Date must be on or after the relationship started, 1 June 2026"),
        (D(2026, 11, 25), "Date must be today or in the past"),
    ):
        with pytest.raises(ValidationError) as error:
            actions.log_session(mentorship, actor=admin, held_on=held_on, duration_minutes=60, themes="x")
        assert error.value.message_dict["held_on"] == [message]
    with pytest.raises(ValidationError) as error:
        actions.log_session(
            mentorship, actor=admin, held_on=D(2026, 11, 3), duration_minutes=60, themes="x", standards=standards["adults"]
        )
    assert error.value.message_dict["standards"] == ["Select standards from the frameworks the mentee works against"]


def test_a_session_changes_with_a_stale_edit_refused_and_deletes_with_a_record(mentor, person, match, standards):
    maya, _ = mentor()
    mentorship = match(maya, person("Aisha Rahman"))
    actor = maya.membership
    session = actions.log_session(mentorship, actor=actor, held_on=D(2026, 11, 3), duration_minutes=60, themes="Time")
    actions.update_session(
        session, actor=actor, expected_version=1, themes="Time and priorities", standards=standards["children"][:1]
    )
    session.refresh_from_db()
    assert session.themes == "Time and priorities" and session.version == 2
    assert events("updated").get(target_type="mentoring.mentoringsession").changes["standards"] == [
        [],
        [str(standards["children"][0])],
    ]
    with pytest.raises(StaleEdit):
        actions.update_session(session, actor=actor, expected_version=1, themes="Lost")
    actions.delete_session(session, actor=actor)
    assert not mentorship.sessions.exists()
    assert events("deleted session").get().changes["themes"] == ["Time and priorities", None]


# --- The offer ----------------------------------------------------------------------------------------


def test_the_offer_names_groups_from_equality_monitoring(admin, leader):
    with pytest.raises(ValidationError) as error:
        actions.save_offer(actor=admin, offer_first=True, groups=[])
    assert "at least one group" in error.value.message_dict["groups"][0]
    with pytest.raises(ValidationError):
        actions.save_offer(actor=admin, offer_first=True, groups=["ethnic_group:martian"])
    with pytest.raises(PermissionDenied):
        actions.save_offer(actor=leader, offer_first=True, groups=["disability:yes"])
    offer = actions.save_offer(actor=admin, offer_first=True, groups=["ethnic_group:black", "disability:yes"])
    assert offer.group_labels == ["Disabled people", "Ethnic group: Black, Black British, Black Welsh, Caribbean or African"]
    with pytest.raises(StaleEdit):
        actions.save_offer(actor=admin, offer_first=False, groups=[], expected_version=0)
    actions.save_offer(actor=admin, offer_first=False, groups=["disability:yes"], expected_version=1)
    assert events("changed the coaching and mentoring offer").count() == 2


# --- Peer groups --------------------------------------------------------------------------------------


@pytest.fixture
def action_learning(admin, person, member_with):
    """An action learning set facilitated by Fay (with a login), with three members."""
    fay = person("Fay Facilitator", stage="Service manager", login=member_with("practice_supervisor"))
    group = actions.create_peer_group(
        actor=admin, kind="action_learning", name="New supervisors", facilitator=fay, started_on=D(2026, 6, 1)
    )
    people = [person(name, login=member_with("practice_supervisor")) for name in ("Aisha A", "Ben B", "Cara C")]
    for someone in people:
        actions.add_group_member(group, actor=admin, staff=someone, joined_on=D(2026, 6, 1))
    return group, fay, people


def test_a_group_has_one_facilitator_inside_or_outside(admin, person):
    with pytest.raises(ValidationError) as error:
        actions.create_peer_group(actor=admin, kind="peer_supervision", name="Peers", started_on=D(2026, 6, 1))
    assert "Select the facilitator" in error.value.message_dict["facilitator"][0]
    group = actions.create_peer_group(
        actor=admin,
        kind="peer_supervision",
        name="Peers",
        external_facilitator="Centre for Action Learning",
        started_on=D(2026, 6, 1),
    )
    assert group.facilitator_name == "Centre for Action Learning"
    with pytest.raises(ValidationError) as error:
        actions.create_peer_group(
            actor=admin, kind="peer_supervision", name="peers", external_facilitator="X", started_on=D(2026, 6, 1)
        )
    assert error.value.message_dict["name"] == ["There is already a group called peers. Choose another name."]


def test_members_join_once_and_leave_after_joining(admin, action_learning, person):
    group, fay, (aisha, _ben, _cara) = action_learning
    with pytest.raises(ValidationError) as error:
        actions.add_group_member(group, actor=fay.membership, staff=aisha, joined_on=D(2026, 7, 1))
    assert error.value.message_dict["staff"] == ["Aisha A is already a member of New supervisors"]
    with pytest.raises(ValidationError) as error:
        actions.add_group_member(group, actor=fay.membership, staff=person("Dev D"), joined_on=D(2026, 5, 1))
    assert "on or after the group started" in error.value.message_dict["joined_on"][0]
    member = group.members.get(staff=aisha)
    with pytest.raises(ValidationError):
        actions.remove_group_member(member, actor=fay.membership, left_on=D(2026, 5, 1))
    actions.remove_group_member(member, actor=fay.membership, left_on=D(2026, 10, 1))
    assert group.members.filter(left_on__isnull=True).count() == 2
    assert events("recorded member leaving").get().changes["member"] == ["Aisha A", None]


def test_the_facilitator_records_attendance_and_commitments(action_learning):
    group, fay, (aisha, ben, cara) = action_learning
    session = actions.schedule_peer_session(group, actor=fay.membership, held_on=D(2026, 11, 10), place="County Hall")
    assert session.status == PeerSession.Status.SCHEDULED
    rows = [
        {"staff": aisha, "status": "attended", "presented": True, "commitment": "Agree a rule for cancelled supervision."},
        {"staff": ben, "status": "attended", "presented": False, "commitment": ""},
        {"staff": cara, "status": "apologies", "presented": False, "commitment": ""},
    ]
    session = actions.record_attendance(session, actor=fay.membership, rows=rows, expected_version=1)
    assert session.status == PeerSession.Status.HELD and session.version == 2
    assert {(a.staff.full_name, a.status, a.commitment) for a in session.attendance.all()} == {
        ("Aisha A", "attended", "Agree a rule for cancelled supervision."),
        ("Ben B", "attended", ""),
        ("Cara C", "apologies", ""),
    }
    event = events("recorded attendance").get()
    assert event.changes["Aisha A"] == [None, "Attended, presented: Agree a rule for cancelled supervision."]

    # Recording again replaces what was there, and the audit shows only what changed.
    rows[1]["status"] = "absent"
    actions.record_attendance(session, actor=fay.membership, rows=rows, expected_version=2)
    assert Attendance.objects.filter(session=session).count() == 3
    assert events("recorded attendance").first().changes == {"Ben B": ["Attended", "Did not attend"]}


def test_attendance_rules(action_learning):
    group, fay, (aisha, ben, cara) = action_learning
    session = actions.schedule_peer_session(group, actor=fay.membership, held_on=D(2026, 11, 10), place="Online")

    def record(**row):
        base = {"staff": aisha, "status": "attended", "presented": False, "commitment": ""}
        actions.record_attendance(session, actor=fay.membership, rows=[{**base, **row}])

    with pytest.raises(ValidationError) as error:
        record(commitment="Something")
    assert error.value.message_dict == {f"commitment_{aisha.pk}": ["Tick that Aisha A presented, or remove their commitment"]}
    with pytest.raises(ValidationError) as error:
        record(status="apologies", presented=True)
    assert error.value.message_dict == {f"presented_{aisha.pk}": ["Aisha A did not attend, so cannot have presented"]}
    future = actions.schedule_peer_session(group, actor=fay.membership, held_on=D(2026, 12, 10), place="Online")
    with pytest.raises(ValidationError) as error:
        actions.record_attendance(future, actor=fay.membership, rows=[])
    assert "once the session has happened, on or after 10 December 2026" in error.value.messages[0]


def test_members_read_the_group_but_only_the_facilitator_and_admins_run_it(action_learning, member_with, leader):
    group, fay, (aisha, *_rest) = action_learning
    session = actions.schedule_peer_session(group, actor=fay.membership, held_on=D(2026, 11, 10), place="Online")
    assert policy.allows(aisha.membership, "mentoring.view_peer_group", session)
    assert not policy.allows(aisha.membership, "mentoring.manage_peer_group", session)
    assert not policy.allows(leader, "mentoring.view_peer_group", group)
    with pytest.raises(PermissionDenied):
        actions.record_attendance(session, actor=aisha.membership, rows=[])
    with pytest.raises(PermissionDenied):
        actions.schedule_peer_session(group, actor=member_with("practice_supervisor"), held_on=D(2026, 12, 1), place="x")


def test_a_held_session_is_not_cancelled_and_a_cancelled_one_records_nobody(action_learning):
    group, fay, (aisha, *_rest) = action_learning
    actor = fay.membership
    session = actions.schedule_peer_session(group, actor=actor, held_on=D(2026, 11, 10), place="Online")
    session = actions.update_peer_session(session, actor=actor, expected_version=1, status="cancelled")
    assert events("cancelled session").count() == 1
    with pytest.raises(ValidationError) as error:
        actions.record_attendance(session, actor=actor, rows=[])
    assert "was cancelled" in error.value.messages[0]
    session = actions.update_peer_session(session, actor=actor, expected_version=2, status="scheduled")
    row = {"staff": aisha, "status": "attended", "presented": False, "commitment": ""}
    session = actions.record_attendance(session, actor=actor, rows=[row])
    with pytest.raises(ValidationError) as error:
        actions.update_peer_session(session, actor=actor, expected_version=session.version, status="cancelled")
    assert "cannot be cancelled" in error.value.message_dict["status"][0]
    with pytest.raises(StaleEdit):
        actions.update_peer_session(session, actor=actor, expected_version=1, place="Room 1")


def test_members_on_a_session_date_are_those_who_had_joined_and_not_left(admin, action_learning, person):
    group, fay, (aisha, ben, cara) = action_learning
    late = person("Late Joiner")
    actions.add_group_member(group, actor=admin, staff=late, joined_on=D(2026, 11, 1))
    actions.remove_group_member(group.members.get(staff=cara), actor=admin, left_on=D(2026, 9, 1))
    september = actions.schedule_peer_session(group, actor=admin, held_on=D(2026, 9, 15), place="x")
    november = actions.schedule_peer_session(group, actor=admin, held_on=D(2026, 11, 15), place="x")
    assert [p.full_name for p in actions.members_on(september)] == ["Aisha A", "Ben B"]
    assert [p.full_name for p in actions.members_on(november)] == ["Aisha A", "Ben B", "Late Joiner"]
    with pytest.raises(ValueError):
        actions.record_attendance(
            september, actor=admin, rows=[{"staff": late, "status": "attended", "presented": False, "commitment": ""}]
        )


def test_a_group_ends_after_its_last_session_and_then_takes_nobody_new(admin, action_learning, person):
    group, fay, _people = action_learning
    actions.schedule_peer_session(group, actor=fay.membership, held_on=D(2026, 11, 10), place="Online")
    with pytest.raises(ValidationError) as error:
        actions.update_peer_group(group, actor=fay.membership, expected_version=1, ended_on=D(2026, 10, 31))
    assert error.value.message_dict["ended_on"] == [
        "There is a session on 10 November 2026. Cancel it, or end the group on or after that date"
    ]
    group = actions.update_peer_group(group, actor=fay.membership, expected_version=1, ended_on=D(2026, 11, 20))
    with pytest.raises(ValidationError):
        actions.add_group_member(group, actor=admin, staff=person("Late Comer"), joined_on=D(2026, 11, 21))
    with pytest.raises(StaleEdit):
        actions.update_peer_group(group, actor=admin, expected_version=1, name="Renamed")
