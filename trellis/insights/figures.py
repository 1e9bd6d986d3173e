"""The recruitment and retention oversight figures (seed 000 section 2), for any 12-month window.

Pure reads in a fixed number of queries (six) whatever the size of the register: the rows each figure
needs are read once as plain tuples, and the figures are worked out here. Most of them ask "who was in
post, or at which career stage, on a past date", which the register answers from start and leaving
dates and dated stage history; that is clearer in Python than in SQL, and an organisation's register
is thousands of rows at most.

`oversight_figures()` returns plain JSON-safe data. The dashboard renders it, the Excel export writes
it, and an oversight meeting stores it as its snapshot, so all three always show the same numbers.
Equality figures are suppressed here, before anything is returned, so no small count can reach a
page, a file or a stored snapshot.

Conventions, stated on the page in `DEFINITIONS`:
- the window runs from the day after `start` to `end` inclusive, `start` being a year before `end`;
- someone is "in post" on a day if they started on or before it and had not left by it (a leaving
  date is the first day they are no longer employed, as `workforce.queries.current_q` has it);
- "directly employed" is everyone but agency workers; the workforce figures (headcount, starters,
  leavers, turnover, stability) count them, as the DfE and Skills for Care do. Agency workers appear
  in the agency rate and the headcount table;
- the register records each person's FTE and employment type now, not their history, so a past
  window uses today's values.
"""

import datetime
import statistics
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from trellis.talent.models import ActingUpOpportunity, PotentialSupervisor
from trellis.workforce.models import EqualityRecord, Service, StaffRecord, StageHistory, Team
from trellis.workforce.queries import months_between, year_before

from . import benchmarks

SCHEMA = 1  # bump when the shape changes; templates must still read older meeting snapshots
AGENCY = StaffRecord.EmploymentType.AGENCY
# Temporary moves: a supervisory spell made only of these is cover, not a new supervisor.
TEMPORARY_KINDS = {StageHistory.Kind.ACTING_UP, StageHistory.Kind.SECONDMENT}
PROGRESSION_KINDS = {StageHistory.Kind.PROMOTION, StageHistory.Kind.ACTING_UP}
SMALL = 5  # counts from 1 to SMALL - 1 are suppressed
LOWER_RATIO = 0.8  # "four-fifths": a prompt to look closer, not a test
NOT_RECORDED = "not_recorded"
FEWER_THAN_5 = "fewer than 5"
NOT_SHOWN = "not shown"
TENURE_BANDS = [  # (label, lower bound in whole months)
    ("Under 6 months", 0),
    ("6 months to under 1 year", 6),
    ("1 year to under 2 years", 12),
    ("2 years to under 5 years", 24),
    ("5 years or more", 60),
]
POPULATIONS = [
    ("workforce", "Whole workforce"),
    ("pipeline", "Pipeline"),
    ("progressed", "Promoted or acting up"),
    ("supervisors", "Supervisors"),
]

DEFINITIONS = [
    (
        "Window",
        "The 12 months ending on the date you choose: from the day after the same date a year earlier, to that date.",
    ),
    (
        "In post",
        "Someone is in post on a day if they had started by then and had not left. Headcount counts people; FTE adds up each person's full-time equivalent as recorded now.",
    ),
    (
        "Directly employed",
        "Everyone on the register except agency workers: permanent, fixed-term and seconded staff. Headcount, starters, leavers, turnover and stability count directly employed staff only.",
    ),
    ("Starters", "Directly employed people whose start date falls in the window."),
    ("Leavers", "Directly employed people whose leaving date falls in the window, with the reason recorded."),
    (
        "Turnover rate",
        "Leavers in the window divided by the average headcount: the number in post at the start of the window plus the number at the end, halved.",
    ),
    (
        "Turnover rate, Department for Education definition",
        "The full-time equivalent of leavers in the window divided by the full-time equivalent in post at the end of the window. This is how the DfE's children's social work workforce statistics measure turnover.",
    ),
    (
        "Stability",
        "Of the directly employed people in post at the start of the window, the share still in post at the end.",
    ),
    (
        "Agency rate",
        "Agency FTE in post at the end of the window divided by agency FTE plus directly employed FTE in post then (the DfE definition).",
    ),
    (
        "Vacancy rate",
        "For teams that record their funded posts: vacant FTE divided by vacant FTE plus directly employed FTE in post (the DfE definition). A team's vacant FTE is its funded FTE less the directly employed FTE in post, or nothing if it is fully staffed; agency workers cover vacancies rather than fill them. Funded posts are recorded without dates, so this is always today's rate.",
    ),
    (
        "Retention of new supervisors at 12 months",
        "Of the people whose supervisory spell began in the 12 months before the window started, the share still employed at a supervisory stage 12 months after it began. A spell counts from the first day at practice supervisor stage or above, including acting up that led straight into the post; acting up or a secondment that ended with a return to their own role is cover, not a new supervisor, and is left out.",
    ),
    (
        "Time in role",
        "For each person on the supervisors register at the end of the window, how long their continuous supervisory spell had lasted by then. The register lists current staff at practice supervisor stage or above who line-manage at least one current member of staff.",
    ),
    (
        "Equal opportunities",
        "For each group, its share of each population, and that share divided by its share of the whole workforce (the ratio). A ratio of 1 means the group is represented as in the workforce; below 0.8 it is marked as lower, as a prompt to look closer. Shares include people whose answer is not recorded.",
    ),
    (
        "Small numbers",
        "Any count from 1 to 4 is shown as 'fewer than 5', with its share and ratio left out. When that alone would let someone work it out from the total, the next smallest count is also left out ('not shown').",
    ),
]


@dataclass
class Person:
    pk: object
    service: str
    fte: Decimal
    agency: bool
    start: datetime.date
    leaving: datetime.date | None
    reason: str
    line_manager: object
    stages: list = field(default_factory=list)  # (start, end, supervisory, kind), oldest first

    def in_post(self, day):
        return self.start <= day and (self.leaving is None or self.leaving > day)

    def supervisory_on(self, day):
        return any(s and start <= day and (end is None or end > day) for start, end, s, _kind in self.stages)


@dataclass
class Spell:
    start: datetime.date
    substantive: bool = False  # held a supervisory post, not only acting up or seconded into one
    rows: int = 0


def add_year(day):
    """The same day a year later; 29 February moves to 28 February."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def window_for(end=None):
    """(start, end) of the 12 months ending on `end` (default today): start is the day before the first day."""
    end = end or timezone.localdate()
    return year_before(end), end


def _fte(value):
    return float(round(Decimal(value or 0), 2))


def _rate(numerator, denominator):
    return float(numerator) / float(denominator) if denominator else None


def spells(stages, until):
    """Supervisory spells from stage history rows up to `until`: a run of supervisory stages with no
    practitioner stage between them, as the supervisors register counts time in role."""
    found, current = [], None
    for start, _end, supervisory, kind in stages:
        if start > until:
            break
        if supervisory:
            if current is None:
                current = Spell(start=start)
            current.substantive |= kind not in TEMPORARY_KINDS
            current.rows += 1
        elif current is not None:
            found.append(current)
            current = None
    if current is not None:
        found.append(current)
    return found


def _spell_on(person, day):
    """The supervisory spell someone is in on `day`, or None."""
    if not person.supervisory_on(day):
        return None
    candidates = [s for s in spells(person.stages, day) if s.start <= day]
    return candidates[-1] if candidates else None


# --- Reading the register ----------------------------------------------------------------------


def _load(organisation, start, end):
    """Everyone the window can involve: started by its end, and not gone before the new-supervisor
    cohort (a year before the window) began. Two queries."""
    cohort_from = year_before(start)
    relevant = Q(start_date__lte=end) & (Q(leaving_date__isnull=True) | Q(leaving_date__gt=cohort_from))
    people = {}
    rows = StaffRecord.objects.filter(relevant, organisation=organisation).values_list(
        "pk", "service", "fte", "employment_type", "start_date", "leaving_date", "leaving_reason", "line_manager_id"
    )
    for pk, service, fte, employment_type, started, leaving, reason, manager in rows:
        people[pk] = Person(pk, service, fte, employment_type == AGENCY, started, leaving, reason, manager)
    staff_relevant = Q(staff__start_date__lte=end) & (
        Q(staff__leaving_date__isnull=True) | Q(staff__leaving_date__gt=cohort_from)
    )
    stage_rows = (
        StageHistory.objects.filter(staff_relevant, organisation=organisation)
        .order_by("staff_id", "start_date", "created_at")
        .values_list("staff_id", "start_date", "end_date", "stage__is_supervisory", "kind")
    )
    for staff_id, started, ended, supervisory, kind in stage_rows:
        if staff_id in people:
            people[staff_id].stages.append((started, ended, supervisory, kind))
    return people, staff_relevant


# --- The figures -------------------------------------------------------------------------------


def _headcount(people, day):
    direct = [p for p in people if p.in_post(day) and not p.agency]
    agency = [p for p in people if p.in_post(day) and p.agency]
    return {
        "direct": len(direct),
        "direct_fte": _fte(sum((p.fte for p in direct), Decimal(0))),
        "agency": len(agency),
        "agency_fte": _fte(sum((p.fte for p in agency), Decimal(0))),
    }


def _movement(people, start, end):
    direct = [p for p in people if not p.agency]
    starters = [p for p in direct if start < p.start <= end]
    leavers = [p for p in direct if p.leaving is not None and start < p.leaving <= end]
    reasons = Counter(p.reason or NOT_RECORDED for p in leavers)
    labels = dict(StaffRecord.LeavingReason.choices) | {NOT_RECORDED: "Not recorded"}
    ordered = [code for code in [*StaffRecord.LeavingReason.values, NOT_RECORDED] if reasons[code]]
    return {
        "starters": {"count": len(starters), "fte": _fte(sum((p.fte for p in starters), Decimal(0)))},
        "leavers": {
            "count": len(leavers),
            "fte": _fte(sum((p.fte for p in leavers), Decimal(0))),
            "reasons": [{"code": code, "label": labels[code], "count": reasons[code]} for code in ordered],
        },
    }


def _stability(people, start, end):
    at_start = [p for p in people if not p.agency and p.in_post(start)]
    stayed = [p for p in at_start if p.in_post(end)]
    return {"in_post_at_start": len(at_start), "still_in_post": len(stayed), "rate": _rate(len(stayed), len(at_start))}


def _supervisors(people, everyone, day):
    """The supervisors register as it stood on `day`: in post, at a supervisory stage, line-managing at
    least one person in post (line management as recorded now: the register keeps no history of it)."""
    managers = {p.line_manager for p in everyone if p.line_manager is not None and p.in_post(day)}
    return [p for p in people if p.in_post(day) and p.pk in managers and p.supervisory_on(day)]


def _time_in_role(supervisors, day):
    months = []
    for person in supervisors:
        spell = _spell_on(person, day)
        months.append(months_between(spell.start, day) if spell else 0)
    bands = []
    for index, (label, lower) in enumerate(TENURE_BANDS):
        upper = TENURE_BANDS[index + 1][1] if index + 1 < len(TENURE_BANDS) else None
        count = sum(1 for m in months if m >= lower and (upper is None or m < upper))
        bands.append({"label": label, "count": count})
    return {
        "supervisors": len(supervisors),
        "first_year": sum(1 for m in months if m < 12),
        "bands": bands,
        "median_months": statistics.median(months) if months else None,
    }


def _new_supervisor_retention(people, start, end):
    cohort_from = year_before(start)
    cohort = retained = 0
    for person in people:
        spell = next(
            (s for s in spells(person.stages, end) if cohort_from < s.start <= start and s.substantive),
            None,
        )
        if spell is None:
            continue
        cohort += 1
        checked_on = add_year(spell.start)
        if person.in_post(checked_on) and person.supervisory_on(checked_on):
            retained += 1
    return {
        "cohort_from": (cohort_from + datetime.timedelta(days=1)).isoformat(),
        "cohort_to": start.isoformat(),
        "cohort": cohort,
        "retained": retained,
        "rate": _rate(retained, cohort),
    }


def _vacancy(organisation, service, today):
    """Today's vacancy rate from teams' funded posts (one query)."""
    in_post = Q(staff__start_date__lte=today) & (Q(staff__leaving_date__isnull=True) | Q(staff__leaving_date__gt=today))
    teams = Team.objects.filter(organisation=organisation)
    if service:
        teams = teams.filter(service=service)
    rows = (
        teams.annotate(
            direct_fte=Sum("staff__fte", filter=in_post & ~Q(staff__employment_type=AGENCY)),
            agency_fte=Sum("staff__fte", filter=in_post & Q(staff__employment_type=AGENCY)),
        )
        .order_by("name")
        .values_list("name", "establishment_fte", "direct_fte", "agency_fte")
    )
    recorded, without = [], 0
    for name, funded, direct, agency in rows:
        if funded is None:
            without += 1
            continue
        direct = Decimal(direct or 0)
        vacant = max(Decimal(funded) - direct, Decimal(0))
        recorded.append(
            {
                "team": name,
                "funded_fte": _fte(funded),
                "direct_fte": _fte(direct),
                "agency_fte": _fte(agency),
                "vacant_fte": _fte(vacant),
            }
        )
    vacant = sum(Decimal(str(t["vacant_fte"])) for t in recorded)
    direct = sum(Decimal(str(t["direct_fte"])) for t in recorded)
    return {
        "as_of": today.isoformat(),
        "recorded": bool(recorded),
        "teams": recorded,
        "teams_without_funded_posts": without,
        "vacant_fte": _fte(vacant),
        "direct_fte": _fte(direct),
        "rate": _rate(vacant, vacant + direct),
    }


# --- Equal opportunities -----------------------------------------------------------------------


def suppress(counts):
    """Which counts of one column to hide, so that no count from 1 to 4 can be read or worked out.

    Returns a list, one per count: None (shown), FEWER_THAN_5 (a small count) or NOT_SHOWN (hidden so
    that a small one cannot be worked out from the column total). A reader knows the total, that each
    "fewer than 5" is 1 to 4, and that each "not shown" is 5 or more; while that pins any hidden count
    to one value, the next smallest shown count is hidden too, and if none is left, the whole column.
    """
    marks = [FEWER_THAN_5 if 0 < c < SMALL else None for c in counts]
    total = sum(counts)
    while _pinned(counts, marks, total):
        visible = [i for i, m in enumerate(marks) if m is None and counts[i] > 0]
        if not visible:
            return [NOT_SHOWN] * len(counts)
        smallest = min(visible, key=lambda i: (counts[i], i))
        marks[smallest] = NOT_SHOWN
    return marks


def _pinned(counts, marks, total):
    """Whether any hidden count has only one possible value, given the total and what is shown."""
    hidden = [i for i, m in enumerate(marks) if m is not None]
    if not hidden:
        return False
    remaining = total - sum(c for c, m in zip(counts, marks, strict=True) if m is None)
    bounds = {i: (1, SMALL - 1) if marks[i] == FEWER_THAN_5 else (SMALL, remaining) for i in hidden}
    for i in hidden:
        others_low = sum(bounds[j][0] for j in hidden if j != i)
        others_high = sum(bounds[j][1] for j in hidden if j != i)
        low = max(bounds[i][0], remaining - others_high)
        high = min(bounds[i][1], remaining - others_low)
        if low >= high:
            return True
    return False


def _equality(organisation, staff_relevant, populations):
    """Shares of each equality group in each population, suppressed. One query, for aggregates only.

    It reads EqualityRecord by organisation, not through `visible_to`: `policy.narrow` hides every
    row from members who may not see one person's answers, which is right for the pages that show
    individuals and wrong here, where only suppressed totals leave this function. The answers are
    read as bare values keyed by staff id, counted, and dropped.
    """
    fields = [name for name, _label in EqualityRecord.CHARACTERISTICS]
    answers = {
        row[0]: row[1:]
        for row in EqualityRecord.objects.filter(staff_relevant, organisation=organisation).values_list("staff_id", *fields)
    }
    totals = {key: len(members) for key, members in populations.items()}
    characteristics = []
    for index, (name, label) in enumerate(EqualityRecord.CHARACTERISTICS):
        groups = [*EqualityRecord._meta.get_field(name).choices, (NOT_RECORDED, "Not recorded")]
        counts = {}
        for key, members in populations.items():
            tally = Counter((answers.get(pk) or ("",) * len(fields))[index] or NOT_RECORDED for pk in members)
            counts[key] = [tally[value] for value, _ in groups]
        marks = {key: suppress(column) for key, column in counts.items()}
        rows = []
        for g, (value, group_label) in enumerate(groups):
            cells = []
            workforce_share = None
            for key, _population_label in POPULATIONS:
                count, mark, total = counts[key][g], marks[key][g], totals[key]
                share = _rate(count, total) if mark is None else None
                if key == "workforce":
                    workforce_share = share
                    ratio = None
                else:
                    ratio = share / workforce_share if share is not None and workforce_share else None
                cells.append(
                    {
                        "population": key,
                        "count": count if mark is None else None,
                        "shown": mark or str(count),
                        "share": share,
                        "ratio": ratio,
                        "lower": ratio is not None
                        and ratio < LOWER_RATIO
                        and value not in (NOT_RECORDED, EqualityRecord.PREFER_NOT_TO_SAY),
                    }
                )
            rows.append({"value": value, "label": group_label, "cells": cells})
        characteristics.append({"field": name, "label": label, "rows": rows})
    return {
        "populations": [{"key": key, "label": label, "total": totals[key]} for key, label in POPULATIONS],
        "characteristics": characteristics,
    }


def _populations(organisation, people, supervisors, start, end):
    """Who is in each equality population (two queries: the pipeline and acting-up assignments)."""
    ids = {p.pk for p in people}
    workforce = {p.pk for p in people if p.in_post(end)}
    pipeline = set(
        PotentialSupervisor.objects.filter(organisation=organisation, identified_on__lte=end)
        .filter(Q(status=PotentialSupervisor.Status.ACTIVE) | Q(closed_on__gt=end))
        .values_list("staff_id", flat=True)
    )
    acting_up = set(
        ActingUpOpportunity.objects.filter(
            organisation=organisation, assigned_to__isnull=False, start_date__gt=start, start_date__lte=end
        )
        .exclude(status=ActingUpOpportunity.Status.CANCELLED)
        .values_list("assigned_to_id", flat=True)
    )
    progressed = {p.pk for p in people if any(kind in PROGRESSION_KINDS and start < s <= end for s, _e, _sup, kind in p.stages)}
    return {
        "workforce": workforce,
        # Someone who has left is no longer in anyone's pipeline, whatever their nomination says.
        "pipeline": pipeline & workforce,
        "progressed": (progressed | acting_up) & ids,
        "supervisors": {p.pk for p in supervisors},
    }


# --- All together ------------------------------------------------------------------------------


def oversight_figures(organisation, *, window_end=None, service="", today=None):
    """Every figure on the oversight dashboard for the 12 months ending `window_end`, for one service
    or (blank) both. JSON-safe: rates are fractions or None when there is nothing to divide by."""
    today = today or timezone.localdate()
    start, end = window_for(window_end or today)
    loaded, staff_relevant = _load(organisation, start, end)
    everyone = list(loaded.values())
    people = [p for p in everyone if not service or p.service == service]
    headcount = {"start": _headcount(people, start), "end": _headcount(people, end)}
    movement = _movement(people, start, end)
    leavers = movement["leavers"]
    average = (headcount["start"]["direct"] + headcount["end"]["direct"]) / 2
    supervisors = _supervisors(people, everyone, end)
    direct_fte_end = headcount["end"]["direct_fte"]
    agency_fte_end = headcount["end"]["agency_fte"]
    return {
        "schema": SCHEMA,
        "organisation": organisation.name,
        "computed_on": today.isoformat(),
        "window": {
            "start": start.isoformat(),
            "first_day": (start + datetime.timedelta(days=1)).isoformat(),
            "end": end.isoformat(),
            "service": service,
            "service_label": dict(Service.choices).get(service, "Adults and children"),
        },
        "headcount": headcount,
        **movement,
        "turnover": {"leavers": leavers["count"], "average_headcount": average, "rate": _rate(leavers["count"], average)},
        "turnover_dfe": {
            "leavers_fte": leavers["fte"],
            "fte_at_end": direct_fte_end,
            "rate": _rate(leavers["fte"], direct_fte_end),
        },
        "stability": _stability(people, start, end),
        "agency": {
            "agency_fte": agency_fte_end,
            "direct_fte": direct_fte_end,
            "rate": _rate(agency_fte_end, agency_fte_end + direct_fte_end),
        },
        "vacancy": _vacancy(organisation, service, today),
        "new_supervisors": _new_supervisor_retention(people, start, end),
        "time_in_role": _time_in_role(supervisors, end),
        # An organisation that runs one service is compared with that service's national figures.
        "benchmarks": benchmarks.for_service(
            service or (organisation.services if organisation.services in Service.values else "")
        ),
        "equality": _equality(organisation, staff_relevant, _populations(organisation, people, supervisors, start, end)),
        "definitions": [{"term": term, "meaning": meaning} for term, meaning in DEFINITIONS],
    }


# --- Cached figures ------------------------------------------------------------------------------

CACHE_SECONDS = 60 * 60


def fingerprint(organisation):
    """A short summary that changes whenever anything the figures read changes: per table, how many
    rows there are and the sum of their versions (every change through an action bumps one), or for
    stage history, which is appended to and closed, how many rows and how many are closed. Seven small
    aggregate queries, each on the organisation index, and the latest change to a staff record."""
    from trellis.talent.models import ActingUpOpportunity, PotentialSupervisor

    latest = StaffRecord.objects.filter(organisation=organisation).aggregate(at=Max("updated_at"))["at"]
    parts = [str(latest.timestamp() if latest else 0)]
    for model in (StaffRecord, Team, EqualityRecord, PotentialSupervisor, ActingUpOpportunity):
        # EqualityRecord rows are read in aggregate only, as in _equality(): not through visible_to().
        row = model.objects.filter(organisation=organisation).aggregate(n=Count("pk"), v=Sum("version"))
        parts.append(f"{row['n']}.{row['v'] or 0}")
    row = StageHistory.objects.filter(organisation=organisation).aggregate(
        n=Count("pk"), closed=Count("end_date"), latest=Max("created_at")
    )
    parts.append(f"{row['n']}.{row['closed']}.{row['latest'].timestamp() if row['latest'] else 0}")
    return "-".join(parts)


def cached_oversight_figures(organisation, *, window_end=None, service="", today=None):
    """oversight_figures(), kept in the cache until the register changes (or an hour passes, or the
    day does, since "today" is in the figures). Working them out for a large organisation takes a
    tenth of a second; an oversight meeting looks at the same figures many times."""
    today = today or timezone.localdate()
    end = window_end or today
    key = (
        f"insights:figures:{SCHEMA}:{organisation.pk}:{end.isoformat()}:{service}:{today.isoformat()}:{fingerprint(organisation)}"
    )
    figures = cache.get(key)
    if figures is None:
        figures = oversight_figures(organisation, window_end=end, service=service, today=today)
        cache.set(key, figures, CACHE_SECONDS)
    return figures
