import datetime

import pytest

from trellis.workforce import actions
from trellis.workforce.models import CareerStage

TODAY = datetime.date(2026, 11, 24)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 24, 10, 0))


@pytest.fixture
def stages(org):
    actions.ensure_default_career_stages(org)
    return {s.name: s for s in CareerStage.objects.filter(organisation=org)}


@pytest.fixture
def person(admin, stages):
    """person("Name", stage="Social worker", **fields) -> a staff record made through the workforce action."""
    counter = iter(range(1, 10_000))

    def make(full_name, stage="Social worker", stage_start_date=None, **fields):
        fields.setdefault("employee_ref", f"R{next(counter):04d}")
        fields.setdefault("service", "children")
        fields.setdefault("employment_type", "permanent")
        fields.setdefault("start_date", datetime.date(2018, 4, 1))
        return actions.create_staff_record(
            actor=admin, full_name=full_name, career_stage=stages[stage], stage_start_date=stage_start_date, **fields
        )

    return make


D = datetime.date
PROMOTION = "promotion"


@pytest.fixture
def register(admin, stages, person):
    """A small register whose figures are worked out by hand in test_figures.py.

    The window used there is the DfE census year: 1 October 2025 to 30 September 2026 (start 30
    September 2025). Children's services unless stated; FTE 1 unless stated.
    """
    assessment = actions.create_team(actor=admin, name="Assessment", service="children")
    assessment = actions.update_team(assessment, actor=admin, establishment_fte=6)
    adults_north = actions.create_team(actor=admin, name="Adults North", service="adults")
    sw, ps, senior = stages["Social worker"], stages["Practice supervisor"], stages["Senior or advanced practitioner"]

    # F: a practice supervisor since 2018, who line-manages A and C.
    f = person("Fay Longserve", start_date=D(2015, 1, 1), team=assessment)
    actions.change_career_stage(f, actor=admin, stage=ps, start_date=D(2018, 1, 1), kind=PROMOTION)
    # G: became a supervisor on 1 March 2025 (in the cohort) and is still one; line-manages E.
    g = person("Gita Newlead", start_date=D(2017, 5, 1), team=assessment)
    actions.change_career_stage(g, actor=admin, stage=ps, start_date=D(2025, 3, 1), kind=PROMOTION)
    # H: became a supervisor on 1 December 2024 (in the cohort) and left on 30 November 2025.
    h = person("Hal Shortstay", start_date=D(2016, 2, 1))
    actions.change_career_stage(h, actor=admin, stage=ps, start_date=D(2024, 12, 1), kind=PROMOTION)
    actions.record_leaving(h, actor=admin, leaving_date=D(2025, 11, 30), leaving_reason="redeployment")

    a = person("Ann Stayer", start_date=D(2020, 1, 6), team=assessment, line_manager=f)
    b = person("Ben Leaver", start_date=D(2019, 4, 1), fte="0.8")
    actions.record_leaving(b, actor=admin, leaving_date=D(2026, 3, 31), leaving_reason="resignation")
    c = person("Cat Starter", start_date=D(2026, 1, 5), employment_type="fixed_term", team=assessment, line_manager=f)
    # D left on the day the window starts: neither in post at its start nor a leaver within it.
    d = person("Dev Edgecase", start_date=D(2021, 6, 1), fte="0.5")
    actions.record_leaving(d, actor=admin, leaving_date=D(2025, 9, 30), leaving_reason="resignation")
    e = person("Eve Agency", start_date=D(2025, 6, 1), employment_type="agency", team=assessment, line_manager=g)
    # I acted up as a supervisor for six months and went back: cover, not a new supervisor.
    i = person("Ivy Cover", start_date=D(2018, 9, 1))
    actions.change_career_stage(i, actor=admin, stage=ps, start_date=D(2025, 1, 6), kind="acting_up")
    actions.change_career_stage(i, actor=admin, stage=sw, start_date=D(2025, 7, 1), kind="return")
    # J was promoted within the window.
    j = person("Jo Riser", start_date=D(2019, 9, 2))
    actions.change_career_stage(j, actor=admin, stage=senior, start_date=D(2026, 4, 1), kind=PROMOTION)

    # Adults.
    k = person("Kit Adult", service="adults", start_date=D(2022, 1, 10), team=adults_north)
    m = person("Lou Adult", service="adults", start_date=D(2024, 1, 1), fte="0.6", employment_type="fixed_term")
    actions.record_leaving(m, actor=admin, leaving_date=D(2026, 6, 30), leaving_reason="end_of_contract")
    return {
        "a": a,
        "b": b,
        "c": c,
        "d": d,
        "e": e,
        "f": f,
        "g": g,
        "h": h,
        "i": i,
        "j": j,
        "k": k,
        "l": m,
        "teams": [assessment, adults_north],
    }
