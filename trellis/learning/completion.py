"""Who has completed the core training: the practice supervisors in post, each core course, and
counts per team. Worked out in Python over rows loaded in a fixed number of queries (people, core
courses, completions, upcoming places), whatever the size of the workforce."""

from dataclasses import dataclass, field

from django.db.models import Min
from django.utils import timezone

from trellis.govuk.charts import Bar, Group, bar_chart
from trellis.workforce.models import StaffRecord

from .models import Booking, Course

NO_TEAM = "No team"


@dataclass
class TeamRow:
    name: str
    people: int = 0
    completed: list = field(default_factory=list)  # per core course, in order
    all_core: int = 0  # people who completed every core course


@dataclass
class PersonRow:
    staff: StaffRecord
    cells: list  # per core course: {"completed_on": date | None, "booked": date | None}
    done: int = 0


def percent(part, whole):
    return round(100 * part / whole) if whole else None


def supervisors(membership, today=None):
    """Practice supervisors (anyone at a supervisory career stage) still in post."""
    return (
        StaffRecord.objects.visible_to(membership)
        .current(today)
        .with_current_stage()
        .filter(current_stage_supervisory=True)
        .select_related("team")
        .order_by("full_name")
    )


def core_completion(membership, team=None, today=None):
    today = today or timezone.localdate()
    courses = list(Course.objects.visible_to(membership).offered().core().order_by("title"))
    people = list(supervisors(membership, today))
    ids = [person.pk for person in people]
    course_ids = [course.pk for course in courses]
    completions = {
        (row["staff_id"], row["session__course_id"]): row["first"]
        for row in Booking.objects.visible_to(membership)
        .completed()
        .filter(staff_id__in=ids, session__course_id__in=course_ids)
        .values("staff_id", "session__course_id")
        .annotate(first=Min("completed_on"))
    }
    booked = {
        (row["staff_id"], row["session__course_id"]): row["next"]
        for row in Booking.objects.visible_to(membership)
        .upcoming(today)
        .filter(staff_id__in=ids, session__course_id__in=course_ids)
        .values("staff_id", "session__course_id")
        .annotate(next=Min("session__date"))
    }

    teams, rows = {}, []
    total = TeamRow("All teams", completed=[0] * len(courses))
    for person in people:
        name = person.team.name if person.team_id else NO_TEAM
        row = teams.setdefault(name, TeamRow(name, completed=[0] * len(courses)))
        cells = []
        for index, course in enumerate(courses):
            done = completions.get((person.pk, course.pk))
            cells.append({"completed_on": done, "booked": None if done else booked.get((person.pk, course.pk))})
            if done:
                row.completed[index] += 1
                total.completed[index] += 1
        finished = sum(1 for cell in cells if cell["completed_on"])
        every = bool(courses) and finished == len(courses)
        row.people += 1
        total.people += 1
        row.all_core += every
        total.all_core += every
        if team is None or (person.team_id and str(person.team_id) == str(team)):
            rows.append(PersonRow(person, cells, finished))
    ordered = sorted(teams.values(), key=lambda t: (t.name == NO_TEAM, t.name))
    chart = bar_chart(
        "core-completion",
        "Practice supervisors who have completed each core course",
        "Percentage of practice supervisors in post who have completed each core course. The table below has the same figures.",
        [
            Group(
                None,
                [
                    Bar(course.title, percent(total.completed[i], total.people), _share(total.completed[i], total.people))
                    for i, course in enumerate(courses)
                ],
            )
        ],
        maximum=100,
    )
    return {"courses": courses, "teams": ordered, "total": total, "people": rows, "chart": chart if courses else None}


def _share(part, whole):
    share = percent(part, whole)
    return "no supervisors" if share is None else f"{share}% ({part} of {whole})"
