"""Who may do what. Every permission decision in Trellis is made here.

A permission is a `rules` predicate over (membership, object). Views ask through `tenancy.access`,
actions re-assert with `require`, and templates read `can` (see context_processors), so the three
never disagree.
"""

import rules
from django.core.exceptions import PermissionDenied

from .models import Role


def has_role(*roles):
    names = "_or_".join(roles)

    @rules.predicate(name=f"has_role_{names}")
    def predicate(membership, obj=None):
        return membership is not None and membership.is_active and membership.has_role(*roles)

    return predicate


@rules.predicate
def owns_action(membership, action):
    return action is not None and action.owner_member_id == membership.pk


# --- People's own records ------------------------------------------------------------------------
# A personal record (a succession plan, a self-assessment, a development plan...) is about one person
# in the workforce register: the object's `staff`, or the staff record itself. These predicates relate
# the member to that person through the register, so they need no import of the apps that own the
# records. Relationship rows are reached by their reverse names (e.g. mentoring's
# `mentorships_as_mentee`), and count only while they are open.


def _person(obj):
    return getattr(obj, "staff", obj) if obj is not None else None


@rules.predicate
def is_the_person(membership, obj):
    person = _person(obj)
    return person is not None and person.membership_id is not None and person.membership_id == membership.pk


@rules.predicate
def line_manages_the_person(membership, obj):
    """The member is the person's line manager in the workforce register."""
    person = _person(obj)
    manager = person.line_manager if person is not None else None
    return manager is not None and manager.membership_id is not None and manager.membership_id == membership.pk


@rules.predicate
def mentors_the_person(membership, obj):
    """The member is the person's mentor or coach in an open mentoring relationship."""
    mentorships = getattr(_person(obj), "mentorships_as_mentee", None)
    return mentorships is not None and mentorships.filter(mentor__membership_id=membership.pk, ended_on__isnull=True).exists()


@rules.predicate
def shared_with_mentor(membership, obj):
    """The person chose to share this record with their mentor or coach."""
    return bool(getattr(obj, "shared_with_mentor", False))


manages_candidate = line_manages_the_person
is_candidate = is_the_person


is_member = has_role(*Role.values)
is_admin = has_role(Role.ORG_ADMIN)
leads_pathway = has_role(Role.ORG_ADMIN, Role.SENIOR_LEADER)
# Everyone who takes part in running or supporting supervision; practitioners and network
# coordinators have their own pages in later parts of Trellis, not the organisation's plan.
takes_part_in_pathway = has_role(
    Role.ORG_ADMIN, Role.SENIOR_LEADER, Role.PRACTICE_SUPERVISOR, Role.MENTOR, Role.REVIEWER, Role.MODERATOR
)

PERMISSIONS = rules.RuleSet()
PERMISSIONS.add_rule("tenancy.manage_members", is_admin)
PERMISSIONS.add_rule("audit.view_trail", is_admin)
PERMISSIONS.add_rule("pathway.view", takes_part_in_pathway)
PERMISSIONS.add_rule("pathway.answer_reflection", takes_part_in_pathway)
PERMISSIONS.add_rule("pathway.mark_outcome", leads_pathway)
PERMISSIONS.add_rule("pathway.add_action", leads_pathway)
PERMISSIONS.add_rule("pathway.change_action", leads_pathway | (takes_part_in_pathway & owns_action))
PERMISSIONS.add_rule("pathway.delete_action", leads_pathway)
PERMISSIONS.add_rule("pathway.export", leads_pathway)
PERMISSIONS.add_rule("pathway.manage_stakeholders", leads_pathway)
PERMISSIONS.add_rule("workforce.view", leads_pathway)
PERMISSIONS.add_rule("workforce.manage", is_admin)
# Special-category data: one person's equality answers are for the admins who manage them.
PERMISSIONS.add_rule("workforce.manage_equality", is_admin)
PERMISSIONS.add_rule("talent.view_career_pathway", is_member)
PERMISSIONS.add_rule("talent.manage_career_pathway", is_admin)
PERMISSIONS.add_rule("talent.view_pipeline", leads_pathway)
PERMISSIONS.add_rule("talent.manage_pipeline", leads_pathway)
PERMISSIONS.add_rule("talent.view_candidate", leads_pathway | manages_candidate | is_candidate)
PERMISSIONS.add_rule("talent.change_candidate", leads_pathway | manages_candidate)
PERMISSIONS.add_rule("insights.view_oversight", leads_pathway)
PERMISSIONS.add_rule("insights.record_meeting", leads_pathway)
PERMISSIONS.add_rule("insights.change_meeting_action", leads_pathway | owns_action)
# A person's development (issue 5): they see and change their own; their line manager sees it and
# reviews it; their mentor sees what they share; admins see everyone's; senior leaders see totals.
PERMISSIONS.add_rule("development.view_own", is_member)
PERMISSIONS.add_rule("development.view_record", is_admin | is_the_person | line_manages_the_person | mentors_the_person)
PERMISSIONS.add_rule(
    "development.view_part", is_admin | is_the_person | line_manages_the_person | (mentors_the_person & shared_with_mentor)
)
PERMISSIONS.add_rule("development.change_own", is_the_person)
PERMISSIONS.add_rule("development.review", line_manages_the_person | (mentors_the_person & shared_with_mentor))
PERMISSIONS.add_rule("development.view_aggregates", leads_pathway)
PERMISSIONS.add_rule("development.manage_offer", is_admin)
# --- frameworks ---
# --- development ---
# --- induction ---
# --- learning ---
# --- mentoring ---

DENIED_MESSAGES = {
    "tenancy.manage_members": "Only organisation admins can invite people and change roles.",
    "audit.view_trail": "Only organisation admins can read the audit trail.",
    "pathway.view": "The implementation pathway is for the people who run and support supervision.",
    "pathway.change_action": "Only organisation admins, senior leaders and the action's owner can change it.",
    "workforce.view": "The workforce register holds personal data: only organisation admins and senior leaders can see it.",
    "workforce.manage": "Only organisation admins can change the workforce register.",
    "workforce.manage_equality": "Equality monitoring answers are special-category data: only organisation admins can see or change one person's answers.",
    "talent.manage_career_pathway": "Only organisation admins can change the career pathway.",
    "talent.view_pipeline": "Succession planning holds personal data: only organisation admins and senior leaders can see it.",
    "talent.manage_pipeline": "Only organisation admins and senior leaders can change succession plans.",
    "talent.view_candidate": "Only organisation admins, senior leaders, the person's line manager and the person can see this plan.",
    "talent.change_candidate": "Only organisation admins, senior leaders and the person's line manager can change this plan.",
    "insights.view_oversight": "Recruitment and retention figures are for organisation admins and senior leaders.",
    "insights.record_meeting": "Only organisation admins and senior leaders can record oversight meetings.",
    "insights.change_meeting_action": "Only organisation admins, senior leaders and the action's owner can change it.",
    "development.view_record": "A development record is for the person, their line manager, their mentor and organisation admins.",
    "development.view_part": "This is only for the person, their line manager, organisation admins, and their mentor if they share it.",
    "development.change_own": "Only the person can change their own development record.",
    "development.review": "Only the person's line manager, or a mentor they share it with, can review this.",
    "development.view_aggregates": "Totals across the organisation are for organisation admins and senior leaders.",
    "development.manage_offer": "Only organisation admins can change what the organisation offers.",
}


def allows(membership, permission, obj=None):
    if permission not in PERMISSIONS:
        raise KeyError(f"Unknown permission {permission!r}: add it to tenancy/policy.py")
    return membership is not None and PERMISSIONS.test_rule(permission, membership, obj)


def require(membership, permission, obj=None):
    if not allows(membership, permission, obj):
        raise PermissionDenied(DENIED_MESSAGES.get(permission, "Your role does not allow this."))


def narrow(queryset, membership):
    """Row-level narrowing by role, for models whose rows not every member may see.

    Special-category models (`SPECIAL_CATEGORY = True`, such as equality monitoring answers) show
    their rows only to members allowed to manage them; nothing else is private within an organisation
    yet. This is the one place later apps (personal records) add their rules.
    """
    if getattr(queryset.model, "SPECIAL_CATEGORY", False) and not allows(membership, "workforce.manage_equality"):
        return queryset.none()
    return queryset


class Capabilities:
    """`can.pathway.add_action` in templates: the same answers as `allows`."""

    def __init__(self, membership, prefix=""):
        self._membership = membership
        self._prefix = prefix

    def __getattr__(self, name):
        key = f"{self._prefix}.{name}" if self._prefix else name
        if self._prefix:
            return allows(self._membership, key)
        return Capabilities(self._membership, key)
