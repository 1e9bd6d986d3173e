"""Every oversight figure against the small register in conftest.py, worked out by hand.

Window: the DfE census year, 1 October 2025 to 30 September 2026 (start 30 September 2025, end 30
September 2026). Today is 24 November 2026. Cohort of new supervisors: spells that began from 1
October 2024 to 30 September 2025.
"""

import datetime
import itertools
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trellis.insights import figures as f
from trellis.talent.models import ActingUpOpportunity, PotentialSupervisor
from trellis.workforce import actions
from trellis.workforce.models import StaffRecord

D = datetime.date
END = D(2026, 9, 30)


@pytest.fixture
def children(org, register):
    return f.oversight_figures(org, window_end=END, service="children")


def test_the_window_is_the_twelve_months_to_the_chosen_day(children):
    assert children["window"] == {
        "start": "2025-09-30",
        "first_day": "2025-10-01",
        "end": "2026-09-30",
        "service": "children",
        "service_label": "Children",
    }


def test_headcount_and_fte_at_the_start_and_end(children):
    # Directly employed children's staff in post on 30 September 2025: A, B (leaves in March), F, G,
    # H (leaves in November), I, J = 7, FTE 1+0.8+1+1+1+1+1 = 6.8. C had not started; D left that day.
    # On 30 September 2026: A, C, F, G, I, J = 6, FTE 6. E, the agency worker, is counted apart.
    assert children["headcount"] == {
        "start": {"direct": 7, "direct_fte": 6.8, "agency": 1, "agency_fte": 1.0},
        "end": {"direct": 6, "direct_fte": 6.0, "agency": 1, "agency_fte": 1.0},
    }


def test_starters_leavers_and_reasons(children):
    # Starters: C (5 January 2026). Leavers: H (30 November 2025, redeployment, FTE 1) and B (31 March
    # 2026, resignation, FTE 0.8). D left on the window's start day, so is not a leaver within it.
    assert children["starters"] == {"count": 1, "fte": 1.0}
    assert children["leavers"]["count"] == 2
    assert children["leavers"]["fte"] == 1.8
    assert [(r["label"], r["count"]) for r in children["leavers"]["reasons"]] == [("Resignation", 1), ("Redeployment", 1)]


def test_turnover_both_ways(children):
    # Leavers ÷ average headcount: 2 ÷ ((7 + 6) ÷ 2) = 2 ÷ 6.5 = 30.8%.
    assert children["turnover"]["average_headcount"] == 6.5
    assert children["turnover"]["rate"] == pytest.approx(2 / 6.5)
    # DfE: FTE leavers ÷ FTE in post at the end = 1.8 ÷ 6 = 30.0%.
    assert children["turnover_dfe"] == {"leavers_fte": 1.8, "fte_at_end": 6.0, "rate": pytest.approx(0.3)}


def test_stability(children):
    # Of the 7 in post at the start, A, F, G, I, J are still in post at the end: 5 ÷ 7 = 71.4%.
    assert children["stability"] == {"in_post_at_start": 7, "still_in_post": 5, "rate": pytest.approx(5 / 7)}


def test_agency_rate(children):
    # Agency FTE ÷ (agency FTE + directly employed FTE) at the end: 1 ÷ (1 + 6) = 14.3%.
    assert children["agency"] == {"agency_fte": 1.0, "direct_fte": 6.0, "rate": pytest.approx(1 / 7)}


def test_vacancy_rate_from_funded_posts_today(children):
    # Assessment is funded for 6 FTE. In post today: A, C, F, G (4 FTE directly employed) and E (agency,
    # who covers a vacancy rather than filling it). Vacant: 6 - 4 = 2. Rate: 2 ÷ (2 + 4) = 33.3%.
    vacancy = children["vacancy"]
    assert vacancy["as_of"] == "2026-11-24"
    assert vacancy["teams"] == [
        {"team": "Assessment", "funded_fte": 6.0, "direct_fte": 4.0, "agency_fte": 1.0, "vacant_fte": 2.0}
    ]
    assert vacancy["rate"] == pytest.approx(1 / 3)
    assert vacancy["teams_without_funded_posts"] == 0


def test_no_funded_posts_means_no_vacancy_rate(org, register):
    adults = f.oversight_figures(org, window_end=END, service="adults")
    assert adults["vacancy"]["recorded"] is False and adults["vacancy"]["rate"] is None
    assert adults["vacancy"]["teams_without_funded_posts"] == 1


def test_retention_of_new_supervisors(children):
    # Cohort: G (1 March 2025, still a supervisor on 1 March 2026) and H (1 December 2024, left on 30
    # November 2025, the day before his 12 months). I acted up and went back: cover, left out. F began
    # in 2018. So 1 of 2 = 50%.
    assert children["new_supervisors"] == {
        "cohort_from": "2024-10-01",
        "cohort_to": "2025-09-30",
        "cohort": 2,
        "retained": 1,
        "rate": 0.5,
    }


def test_time_in_role_of_supervisors_at_the_end(children):
    # The register on 30 September 2026: F (manages A and C; supervisor since 1 January 2018: 104
    # months) and G (manages E; since 1 March 2025: 18 months). Median (18 + 104) ÷ 2 = 61 months.
    tenure = children["time_in_role"]
    assert tenure["supervisors"] == 2 and tenure["first_year"] == 0
    assert [b["count"] for b in tenure["bands"]] == [0, 0, 1, 0, 1]
    assert tenure["median_months"] == 61


def test_both_services_together(org, register):
    # Adds K (in post throughout) and L (FTE 0.6, left 30 June 2026, end of contract).
    both = f.oversight_figures(org, window_end=END)
    assert both["window"]["service_label"] == "Adults and children"
    assert (both["headcount"]["start"]["direct"], both["headcount"]["end"]["direct"]) == (9, 7)
    assert both["headcount"]["start"]["direct_fte"] == 8.4
    # 3 leavers ÷ ((9 + 7) ÷ 2) = 37.5%; DfE 2.4 ÷ 7 = 34.3%; stability 6 ÷ 9.
    assert both["turnover"]["rate"] == pytest.approx(3 / 8)
    assert both["turnover_dfe"]["rate"] == pytest.approx(2.4 / 7)
    assert both["stability"]["rate"] == pytest.approx(6 / 9)
    assert both["vacancy"]["teams_without_funded_posts"] == 1


def test_the_supervisors_counted_today_are_the_supervisors_register(org, register):
    today = f.oversight_figures(org)
    assert today["time_in_role"]["supervisors"] == StaffRecord.objects.supervisors().count() == 2


def test_benchmarks_are_the_right_services_with_source_and_year(org, register, children):
    assert {(b["figure"], b["service"]) for b in children["benchmarks"]} == {
        ("turnover_dfe", "children"),
        ("agency", "children"),
        ("vacancy", "children"),
    }
    adults = f.oversight_figures(org, window_end=END, service="adults")
    assert {b["service"] for b in adults["benchmarks"]} == {"adults"}
    for benchmark in children["benchmarks"] + adults["benchmarks"]:
        assert benchmark["source"] and benchmark["period"][-4:].isdigit() and benchmark["url"].startswith("https://")
    dfe = next(b for b in children["benchmarks"] if b["figure"] == "turnover_dfe")
    assert (dfe["rate"], dfe["period"]) == (0.138, "year to 30 September 2024")


def test_an_empty_register_divides_by_nothing(org, stages):
    empty = f.oversight_figures(org, window_end=END)
    assert empty["turnover"]["rate"] is None and empty["stability"]["rate"] is None
    assert empty["time_in_role"]["median_months"] is None and empty["new_supervisors"]["rate"] is None


def test_the_figures_are_plain_json(children):
    import json

    assert json.loads(json.dumps(children)) == children


# --- Equal opportunities -------------------------------------------------------------------------


@pytest.fixture
def diverse(admin, stages, person):
    """14 children's staff in post: 9 women, 4 men, 1 not recorded. Two supervisors (both women),
    five in the pipeline (3 women, 2 men), six promoted or acting up in the window (all women)."""
    ps = stages["Practice supervisor"]
    women = [person(f"Woman {n}", start_date=D(2019, 1, 7)) for n in range(9)]
    men = [person(f"Man {n}", start_date=D(2019, 1, 7)) for n in range(4)]
    unknown = person("Not Asked", start_date=D(2019, 1, 7))
    for staff in women:
        actions.save_equality_answers(staff, actor=admin, sex="female", ethnic_group="white")
    for staff in men:
        actions.save_equality_answers(staff, actor=admin, sex="male", ethnic_group="asian")
    for boss in women[:2]:
        actions.change_career_stage(boss, actor=admin, stage=ps, start_date=D(2020, 1, 6), kind=PROMOTION)
    for staff in women[2:] + [unknown]:
        actions.update_staff_record(staff, actor=admin, expected_version=staff.version, line_manager=women[0])
    for staff in men:
        actions.update_staff_record(staff, actor=admin, expected_version=staff.version, line_manager=women[1])
    for staff in women[2:5] + men[:2]:
        PotentialSupervisor.objects.create(
            organisation=admin.organisation, staff=staff, identified_on=D(2026, 1, 5), strengths="Calm", readiness="ready_now"
        )
    for staff in women[5:9]:
        actions.change_career_stage(
            staff, actor=admin, stage=stages["Senior or advanced practitioner"], start_date=D(2026, 2, 2), kind=PROMOTION
        )
    team = actions.create_team(actor=admin, name="Cover", service="children")
    for staff in women[2:4]:
        ActingUpOpportunity.objects.create(
            organisation=admin.organisation,
            team=team,
            stage=ps,
            start_date=D(2026, 5, 4),
            end_date=D(2026, 8, 28),
            reason="sickness",
            status="filled",
            assigned_to=staff,
        )
    return {"women": women, "men": men, "unknown": unknown}


PROMOTION = "promotion"


def cells_by(equality, field, value):
    characteristic = next(c for c in equality["characteristics"] if c["field"] == field)
    row = next(r for r in characteristic["rows"] if r["value"] == value)
    return {cell["population"]: cell for cell in row["cells"]}


def test_equality_shares_ratios_and_suppression(org, diverse):
    equality = f.oversight_figures(org, window_end=END)["equality"]
    assert {p["key"]: p["total"] for p in equality["populations"]} == {
        "workforce": 14,
        "pipeline": 5,
        "progressed": 6,  # four promotions and two acting-up assignments, all women
        "supervisors": 2,
    }
    women = cells_by(equality, "sex", "female")
    men = cells_by(equality, "sex", "male")
    unknown = cells_by(equality, "sex", "not_recorded")
    # Workforce: women 9 of 14 (64.3%) shown; men 4 and not recorded 1 are small. Their sum (5) is
    # known from the total, but each could be 1 to 4, so neither can be worked out.
    assert (women["workforce"]["count"], women["workforce"]["share"]) == (9, pytest.approx(9 / 14))
    assert men["workforce"]["count"] is None and men["workforce"]["shown"] == "fewer than 5"
    assert unknown["workforce"]["shown"] == "fewer than 5" and unknown["workforce"]["share"] is None
    # Pipeline: 3 women and 2 men, both small, so the pair are "fewer than 5": each 1 to 4, sum 5.
    assert women["pipeline"]["shown"] == men["pipeline"]["shown"] == "fewer than 5"
    # Promoted or acting up: 6 women of 6 (100%), ratio (6/6) ÷ (9/14) = 1.56.
    assert women["progressed"]["count"] == 6 and women["progressed"]["ratio"] == pytest.approx(14 / 9)
    # Supervisors: 2 women, all else 0. "Fewer than 5" alone would give it away (the total is 2), and
    # nothing else can be hidden with it, so the whole column is not shown.
    assert {cell["shown"] for cell in (women["supervisors"], men["supervisors"], unknown["supervisors"])} == {"not shown"}


def test_a_ratio_below_four_fifths_is_marked_lower(org, admin, stages, person):
    # 20 women and 20 men in post; 15 women and 5 men promoted in the window. Men's share of promotions
    # is 5/20 = 25% against 50% of the workforce: a ratio of 0.5. Women's: 75% ÷ 50% = 1.5.
    women = [person(f"Woman {n}", start_date=D(2019, 1, 7)) for n in range(20)]
    men = [person(f"Man {n}", start_date=D(2019, 1, 7)) for n in range(20)]
    for staff in women:
        actions.save_equality_answers(staff, actor=admin, sex="female")
    for staff in men:
        actions.save_equality_answers(staff, actor=admin, sex="male")
    senior = stages["Senior or advanced practitioner"]
    for staff in women[:15] + men[:5]:
        actions.change_career_stage(staff, actor=admin, stage=senior, start_date=D(2026, 2, 2), kind=PROMOTION)
    equality = f.oversight_figures(org, window_end=END)["equality"]
    men_cells = cells_by(equality, "sex", "male")
    women_cells = cells_by(equality, "sex", "female")
    assert men_cells["progressed"]["ratio"] == pytest.approx(0.5) and men_cells["progressed"]["lower"] is True
    assert women_cells["progressed"]["ratio"] == pytest.approx(1.5) and women_cells["progressed"]["lower"] is False


@pytest.mark.parametrize(
    ("counts", "marks"),
    [
        ([9, 4, 1], [None, "fewer than 5", "fewer than 5"]),  # 4 + 1 = 5: each could be 1 to 4
        ([10, 3, 0], ["not shown", "fewer than 5", None]),  # 3 = 13 - 10 - 0: hide the 10 too
        ([12, 7, 2, 0], [None, "not shown", "fewer than 5", None]),  # hide the next smallest
        ([4, 4, 10], ["fewer than 5", "fewer than 5", "not shown"]),  # 4 + 4 = 8 pins both at 4
        ([1, 1, 20], ["fewer than 5", "fewer than 5", "not shown"]),  # 1 + 1 = 2 pins both at 1
        ([1, 5], ["not shown", "not shown"]),  # hiding the 5 still pins both: hide the column
        ([3, 0, 0], ["not shown", "not shown", "not shown"]),
        ([0, 0], [None, None]),
        ([7, 8, 0], [None, None, None]),
    ],
)
def test_suppression_primary_and_secondary(counts, marks):
    assert f.suppress(counts) == marks


def possible_values(counts, marks):
    """Every value each hidden count could take, to a reader who sees the shown counts, the total,
    and that "fewer than 5" is 1 to 4 and "not shown" is 5 or more (or anything, for a hidden column)."""
    total = sum(counts)
    whole_column = all(m == f.NOT_SHOWN for m in marks)
    hidden = [i for i, m in enumerate(marks) if m is not None]
    ranges = []
    for i in hidden:
        if whole_column:
            ranges.append(range(0, total + 1))
        elif marks[i] == f.FEWER_THAN_5:
            ranges.append(range(1, 5))
        else:
            ranges.append(range(5, total + 1))
    remaining = total - sum(c for c, m in zip(counts, marks, strict=True) if m is None)
    seen = {i: set() for i in hidden}
    for values in itertools.product(*ranges):
        if sum(values) == remaining:
            for i, v in zip(hidden, values, strict=True):
                seen[i].add(v)
    return seen


def test_no_suppressed_count_can_be_worked_out(org):
    """Brute force over many columns: no count from 1 to 4 is ever shown, and every hidden count has
    at least two possible values given everything a reader can see."""
    generator = random.Random(4)
    for _ in range(400):
        counts = [
            generator.choice([0, 0, 1, 2, 3, 4, 5, 6, 9, 14]) for _ in range(generator.randint(2, 6))
        ]  # every characteristic has 3 or more groups, with "Not recorded"
        marks = f.suppress(counts)
        for count, mark in zip(counts, marks, strict=True):
            assert mark is not None or not (1 <= count <= 4), (counts, marks)
        for i, values in possible_values(counts, marks).items():
            if counts[i] or not all(m == f.NOT_SHOWN for m in marks):
                assert len(values) >= 2, (counts, marks, i, values)


def test_no_group_under_five_reaches_the_figures(org, diverse):
    equality = f.oversight_figures(org, window_end=END)["equality"]
    for characteristic in equality["characteristics"]:
        for row in characteristic["rows"]:
            for cell in row["cells"]:
                assert cell["count"] is None or cell["count"] == 0 or cell["count"] >= 5
                if cell["count"] is None:
                    assert cell["share"] is None and cell["ratio"] is None and cell["shown"] in ("fewer than 5", "not shown")


# --- Queries -------------------------------------------------------------------------------------


def test_the_number_of_queries_does_not_grow_with_the_register(org, admin, stages, person, register):
    with CaptureQueriesContext(connection) as small:
        f.oversight_figures(org, window_end=END)
    for n in range(30):
        staff = person(f"Extra {n}", start_date=D(2020, 1, 6), team=register["teams"][0], line_manager=register["f"])
        actions.save_equality_answers(staff, actor=admin, sex="female")
        if n % 3 == 0:
            actions.change_career_stage(
                staff, actor=admin, stage=stages["Practice supervisor"], start_date=D(2026, 1, 5), kind=PROMOTION
            )
    with CaptureQueriesContext(connection) as large:
        f.oversight_figures(org, window_end=END)
    assert len(small.captured_queries) == len(large.captured_queries) == 6


# --- The cache ------------------------------------------------------------------------------------


def test_cached_figures_are_reused_until_the_register_changes(org, admin, stages, person, register, monkeypatch):
    worked_out = []
    original = f.oversight_figures

    def counting(*args, **kwargs):
        worked_out.append(kwargs.get("service"))
        return original(*args, **kwargs)

    monkeypatch.setattr(f, "oversight_figures", counting)
    first = f.cached_oversight_figures(org, window_end=END, service="children")
    assert f.cached_oversight_figures(org, window_end=END, service="children") == first
    assert len(worked_out) == 1
    assert f.cached_oversight_figures(org, window_end=END, service="adults") != first  # another key
    assert len(worked_out) == 2

    # Each kind of change the figures read makes them be worked out again, with the new numbers.
    leaver = StaffRecord.objects.filter(organisation=org, service="children").current(END).first()
    actions.record_leaving(leaver, actor=admin, leaving_date=D(2026, 9, 1), leaving_reason="resignation")
    changed = f.cached_oversight_figures(org, window_end=END, service="children")
    assert len(worked_out) == 3 and changed["turnover"]["leavers"] == first["turnover"]["leavers"] + 1
    actions.save_equality_answers(leaver, actor=admin, sex="male")
    f.cached_oversight_figures(org, window_end=END, service="children")
    team = register["teams"][0]
    actions.update_team(team, actor=admin, expected_version=team.version, establishment_fte=40)
    f.cached_oversight_figures(org, window_end=END, service="children")
    assert len(worked_out) == 5


def test_the_cache_key_costs_a_fixed_number_of_queries(org, register):
    with CaptureQueriesContext(connection) as queries:
        f.fingerprint(org)
    assert len(queries.captured_queries) == 7
