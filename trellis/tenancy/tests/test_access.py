"""The outsider (404) and role (403) tests for every organisation URL, generated from one list.

Add every new /o/<org_slug>/ view to ORG_VIEWS, or, for a newer app, to its own `tests/access.py`
(see matrix.py); test_every_org_url_is_listed fails until you do.
"""

import datetime
import importlib

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from trellis.insights import actions as insights_actions
from trellis.pathway import actions as pathway_actions
from trellis.pathway.models import Outcome, Stage
from trellis.talent import actions as talent_actions
from trellis.talent.models import StageSupport
from trellis.workforce import actions as workforce_actions
from trellis.workforce.models import CareerStage

from .matrix import OrgView


def _app_access_modules():
    """Each Trellis app's tests/access.py, where an app declares its rows of the matrix."""
    for config in apps.get_app_configs():
        if config.name.startswith("trellis."):
            try:
                yield importlib.import_module(f"{config.name}.tests.access")
            except ModuleNotFoundError as missing:
                if missing.name not in (f"{config.name}.tests", f"{config.name}.tests.access"):
                    raise


ORG_VIEWS = [
    OrgView("tenancy:organisation-home", allowed="practitioner", denied=None),
    OrgView("tenancy:member-list", allowed="org_admin", denied="senior_leader"),
    OrgView("tenancy:member-invite", allowed="org_admin", denied="senior_leader"),
    OrgView("tenancy:member-roles", allowed="org_admin", denied="senior_leader", target="membership"),
    OrgView("pathway:overview", allowed="practice_supervisor", denied="practitioner"),
    OrgView("pathway:stage", allowed="practice_supervisor", denied="practitioner", extra={"stage_key": "preparation"}),
    OrgView("pathway:reflection-edit", allowed="practice_supervisor", denied="practitioner", extra={"stage_key": "awareness"}),
    OrgView("pathway:reflection-history", allowed="mentor", denied="practitioner", target="reflection"),
    OrgView(
        "pathway:outcome-edit", allowed="senior_leader", denied="practice_supervisor", extra={"outcome_key": "awareness-what"}
    ),
    OrgView("pathway:action-list", allowed="practice_supervisor", denied="practitioner"),
    OrgView("pathway:action", allowed="reviewer", denied="practitioner", target="action"),
    OrgView("pathway:action-add", allowed="senior_leader", denied="practice_supervisor"),
    OrgView("pathway:action-edit", allowed="senior_leader", denied="practice_supervisor", target="action"),
    OrgView("pathway:action-status", allowed="senior_leader", denied="practice_supervisor", method="post", target="action"),
    OrgView("pathway:action-add-update", allowed="senior_leader", denied="practice_supervisor", method="post", target="action"),
    OrgView("pathway:action-delete", allowed="senior_leader", denied="practice_supervisor", target="action"),
    OrgView("pathway:action-export", allowed="senior_leader", denied="practice_supervisor", extra={"file_format": "xlsx"}),
    OrgView("pathway:stakeholder-list", allowed="moderator", denied="practitioner"),
    OrgView("pathway:stakeholder-add", allowed="senior_leader", denied="mentor"),
    OrgView("pathway:stakeholder-edit", allowed="senior_leader", denied="mentor", target="stakeholder"),
    OrgView("pathway:stakeholder-delete", allowed="senior_leader", denied="mentor", target="stakeholder"),
    OrgView("workforce:staff-list", allowed="senior_leader", denied="practice_supervisor"),
    OrgView("workforce:staff-add", allowed="org_admin", denied="senior_leader"),
    OrgView("workforce:staff", allowed="senior_leader", denied="practice_supervisor", target="staff"),
    OrgView("workforce:staff-edit", allowed="org_admin", denied="senior_leader", target="staff"),
    OrgView("workforce:staff-stage", allowed="org_admin", denied="senior_leader", target="staff"),
    OrgView("workforce:staff-leaving", allowed="org_admin", denied="senior_leader", target="staff"),
    OrgView("workforce:staff-equality", allowed="org_admin", denied="senior_leader", target="staff"),
    OrgView("workforce:staff-equality", allowed="org_admin", denied="senior_leader", target="staff", method="post"),
    OrgView("workforce:career-stage-list", allowed="senior_leader", denied="practice_supervisor"),
    OrgView("workforce:career-stage-add", allowed="org_admin", denied="senior_leader"),
    OrgView("workforce:career-stage-edit", allowed="org_admin", denied="senior_leader", target="career_stage"),
    OrgView("workforce:career-stage-move", allowed="org_admin", denied="senior_leader", target="career_stage", method="post"),
    OrgView("workforce:career-stage-delete", allowed="org_admin", denied="senior_leader", target="career_stage"),
    OrgView("workforce:team-list", allowed="senior_leader", denied="practitioner"),
    OrgView("workforce:team-add", allowed="org_admin", denied="senior_leader"),
    OrgView("workforce:team-edit", allowed="org_admin", denied="senior_leader", target="team"),
    OrgView("workforce:supervisors", allowed="senior_leader", denied="mentor"),
    OrgView("workforce:supervisors-export", allowed="senior_leader", denied="practice_supervisor", extra={"file_format": "csv"}),
    OrgView("workforce:import", allowed="org_admin", denied="senior_leader"),
    OrgView("workforce:import-batch", allowed="org_admin", denied="senior_leader", target="import_batch"),
    OrgView("workforce:import-mapping", allowed="org_admin", denied="senior_leader", target="import_batch"),
    OrgView("workforce:import-apply", allowed="org_admin", denied="senior_leader", target="import_batch", method="post"),
    # talent: the career pathway is everyone's; succession plans are for leads (and, per plan, line managers)
    OrgView("talent:career-pathway", allowed="practitioner", denied=None),
    OrgView("talent:career-stage", allowed="org_admin", denied="senior_leader", target="talent_stage"),
    OrgView("talent:support-add", allowed="org_admin", denied="senior_leader", target="talent_stage"),
    OrgView("talent:support-edit", allowed="org_admin", denied="senior_leader", target="stage_support"),
    OrgView("talent:support-move", allowed="org_admin", denied="senior_leader", method="post", target="stage_support"),
    OrgView("talent:support-delete", allowed="org_admin", denied="senior_leader", target="stage_support"),
    OrgView("talent:pipeline", allowed="senior_leader", denied="practice_supervisor"),
    OrgView("talent:candidate-list", allowed="senior_leader", denied="practitioner"),
    OrgView("talent:candidate-add", allowed="senior_leader", denied="practice_supervisor"),
    OrgView("talent:candidate", allowed="senior_leader", denied="practitioner", target="candidate"),
    OrgView("talent:candidate-edit", allowed="senior_leader", denied="mentor", target="candidate"),
    OrgView("talent:candidate-close", allowed="org_admin", denied="practice_supervisor", target="candidate"),
    OrgView("talent:gap-action-add", allowed="senior_leader", denied="practice_supervisor", target="candidate"),
    OrgView("talent:gap-action-edit", allowed="org_admin", denied="practitioner", target="gap_action"),
    OrgView("talent:gap-action-status", allowed="senior_leader", denied="mentor", method="post", target="gap_action"),
    OrgView("talent:gap-action-delete", allowed="senior_leader", denied="practice_supervisor", target="gap_action"),
    OrgView("talent:acting-up-list", allowed="senior_leader", denied="practice_supervisor"),
    OrgView("talent:acting-up-add", allowed="senior_leader", denied="practice_supervisor"),
    OrgView("talent:acting-up", allowed="org_admin", denied="practitioner", target="opportunity"),
    OrgView("talent:acting-up-edit", allowed="senior_leader", denied="practice_supervisor", target="opportunity"),
    OrgView("talent:acting-up-offer", allowed="senior_leader", denied="practice_supervisor", target="opportunity"),
    OrgView("talent:acting-up-assign", allowed="senior_leader", denied="mentor", target="opportunity"),
    OrgView("talent:acting-up-cancel", allowed="senior_leader", denied="practice_supervisor", target="opportunity"),
    OrgView("talent:acting-up-response", allowed="senior_leader", denied="practitioner", method="post", target="offer"),
    # insights: oversight figures and meetings are for leads; an agreed action also for its owner
    OrgView("insights:oversight", allowed="senior_leader", denied="practice_supervisor"),
    OrgView("insights:oversight-export", allowed="org_admin", denied="mentor"),
    OrgView("insights:meeting-list", allowed="senior_leader", denied="practitioner"),
    OrgView("insights:meeting-add", allowed="senior_leader", denied="practice_supervisor"),
    OrgView("insights:meeting", allowed="org_admin", denied="reviewer", target="meeting"),
    OrgView("insights:meeting-edit", allowed="senior_leader", denied="practice_supervisor", target="meeting"),
    OrgView("insights:meeting-export", allowed="senior_leader", denied="moderator", target="meeting"),
    OrgView("insights:meeting-action-add", allowed="senior_leader", denied="practice_supervisor", target="meeting"),
    OrgView("insights:meeting-action", allowed="senior_leader", denied="practice_supervisor", target="meeting_action"),
    OrgView("insights:meeting-action-edit", allowed="org_admin", denied="mentor", target="meeting_action"),
    OrgView(
        "insights:meeting-action-status", allowed="senior_leader", denied="practitioner", method="post", target="meeting_action"
    ),
    OrgView("audit:trail", allowed="org_admin", denied="senior_leader"),
    OrgView(
        "audit:record", allowed="org_admin", denied="senior_leader", extra={"target_type": "pathway.action", "target_id": "x"}
    ),
    *(view for module in _app_access_modules() for view in getattr(module, "VIEWS", [])),
]


@pytest.fixture
def objects(org, admin, leader, supervisor, practitioner):
    """One of each object an organisation URL can name, owned by `org`; apps add theirs (matrix.py)."""
    base = _base_objects(org, admin, leader, supervisor)
    base.update(org=org, admin=admin, leader=leader, supervisor=supervisor, practitioner=practitioner)
    for module in _app_access_modules():
        if hasattr(module, "objects"):
            base.update(module.objects(base))
    return base


def _base_objects(org, admin, leader, supervisor):
    stakeholder = pathway_actions.create_stakeholder(
        actor=admin, name="Practice supervisors", role="Supervisors", engagement="aware"
    )
    action = pathway_actions.create_action(
        actor=leader,
        outcome=Outcome.objects.get(key="awareness-what"),
        description="Put the PQS on the intranet",
        owner_member=leader,
    )
    reflection = pathway_actions.save_reflection(
        actor=supervisor, stage=Stage.objects.get(key="awareness"), answer="Short films."
    )
    workforce_actions.ensure_default_career_stages(org)
    team = workforce_actions.create_team(actor=admin, name="Assessment North", service="children")
    staff = workforce_actions.create_staff_record(
        actor=admin,
        career_stage=CareerStage.objects.get(organisation=org, name="Practice supervisor"),
        full_name="Sal Supervisor",
        employee_ref="E1",
        team=team,
        service="children",
        employment_type="permanent",
        start_date=datetime.date(2020, 1, 6),
    )
    import_batch = workforce_actions.upload_import(
        actor=admin, filename="staff.csv", headers=["Employee ID"], records=[(2, {"Employee ID": "E2"})]
    )
    talent_actions.ensure_default_career_pathway(org)
    candidate = talent_actions.record_potential_supervisor(
        actor=admin,
        staff=workforce_actions.create_staff_record(
            actor=admin,
            career_stage=CareerStage.objects.get(organisation=org, name="Senior or advanced practitioner"),
            full_name="Wendy Worker",
            employee_ref="E3",
            team=team,
            line_manager=staff,
            service="children",
            employment_type="permanent",
            start_date=datetime.date(2019, 1, 7),
        ),
        identified_on=datetime.date(2025, 6, 2),
        identified_by=staff,
        source="appraisal",
        strengths="Calm and reflective.",
        readiness="ready_now",
    )
    gap_action = talent_actions.add_gap_action(candidate, actor=admin, kind="shadowing", description="Shadow Sal.", owner=staff)
    opportunity = talent_actions.create_acting_up(
        actor=admin,
        team=team,
        stage=CareerStage.objects.get(organisation=org, name="Practice supervisor"),
        start_date=datetime.date(2027, 1, 4),
        end_date=datetime.date(2027, 4, 30),
        reason="parental_leave",
    )
    (offer,) = talent_actions.offer_acting_up(
        opportunity, actor=admin, candidates=[candidate], offered_on=datetime.date(2025, 12, 1)
    )
    meeting = insights_actions.record_meeting(
        actor=leader, held_on=datetime.date(2026, 10, 14), window_end=datetime.date(2026, 9, 30)
    )
    meeting_action = insights_actions.create_meeting_action(
        meeting, actor=leader, description="Exit interviews", owner_member=leader
    )
    return {
        "meeting": meeting,
        "meeting_action": meeting_action,
        "talent_stage": CareerStage.objects.get(organisation=org, name="Social worker"),
        "stage_support": StageSupport.objects.filter(organisation=org).first(),
        "candidate": candidate,
        "gap_action": gap_action,
        "opportunity": opportunity,
        "offer": offer,
        "career_stage": CareerStage.objects.get(organisation=org, name="Student social worker"),
        "import_batch": import_batch,
        "action": action,
        "stakeholder": stakeholder,
        "reflection": reflection,
        "membership": supervisor,
        "staff": staff,
        "team": team,
    }


def url_for(view, org_slug, objects):
    kwargs = {"org_slug": org_slug, **view.extra}
    if view.target:
        kwargs["pk"] = objects[view.target].pk
    return reverse(view.name, kwargs=kwargs)


def request(client, view, url):
    return client.post(url, {}) if view.method == "post" else client.get(url)


@pytest.mark.parametrize("view", ORG_VIEWS, ids=lambda v: v.name)
def test_outsiders_get_404(view, client_for, objects, outsider):
    """A member of another organisation cannot even learn that the URL exists."""
    response = request(client_for(outsider), view, url_for(view, "northshire", objects))
    assert response.status_code == 404


@pytest.mark.parametrize("view", [v for v in ORG_VIEWS if v.target], ids=lambda v: v.name)
def test_another_organisations_object_is_404_in_your_own(view, client_for, objects, member_with, other_org):
    """Your own organisation's slug with another organisation's object id: still 404."""
    role = "org_admin" if view.allowed.startswith("@") else view.allowed
    member = member_with(role, "org_admin", "senior_leader", organisation=other_org)
    response = request(client_for(member), view, url_for(view, "southvale", objects))
    assert response.status_code == 404


@pytest.mark.parametrize("view", [v for v in ORG_VIEWS if v.denied], ids=lambda v: v.name)
def test_roles_without_the_right_get_403(view, client_for, objects, member_with):
    response = request(client_for(member_with(view.denied)), view, url_for(view, "northshire", objects))
    assert response.status_code == 403


@pytest.mark.parametrize("view", ORG_VIEWS, ids=lambda v: v.name)
def test_the_allowed_role_gets_through(view, client_for, objects, member_with):
    member = objects[view.allowed[1:]] if view.allowed.startswith("@") else member_with(view.allowed)
    response = request(client_for(member), view, url_for(view, "northshire", objects))
    assert response.status_code in (200, 302, 422), response.content[:500]


@pytest.mark.parametrize("view", ORG_VIEWS, ids=lambda v: v.name)
def test_anonymous_people_are_sent_to_sign_in(view, client, objects):
    response = request(client, view, url_for(view, "northshire", objects))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def _org_url_names(resolver=None, prefix="", namespace=None):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or namespace
            yield from _org_url_names(pattern, route, ns)
        elif isinstance(pattern, URLPattern) and route.startswith("o/<slug:org_slug>/"):
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_org_url_is_listed():
    assert set(_org_url_names()) == {v.name for v in ORG_VIEWS}
