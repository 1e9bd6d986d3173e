"""The oversight figures as people read them: numbers formatted, charts laid out, benchmarks placed.

Works from the plain data `figures.oversight_figures()` returns, whether computed just now or stored in
a meeting's snapshot, so a meeting page draws exactly what the dashboard drew that day.
"""

import datetime

from trellis.govuk.charts import Bar, Group, bar_chart

from .figures import POPULATIONS

# Population → chart series (colours in app.scss): the whole workforce in grey, as the baseline.
POPULATION_SERIES = {"workforce": 3, "pipeline": 0, "progressed": 2, "supervisors": 1}


def percent(rate):
    """0.1594 → '15.9%'; None (nothing to divide by) → 'No data'."""
    if rate is None or rate == "":
        return "No data"
    return f"{float(rate) * 100:.1f}%"


def ratio(value):
    return "–" if value is None else f"{float(value):.2f}"


def fte(value):
    """FTE to two decimal places, without trailing zeros: 12.5, 3, 0.8."""
    text = f"{float(value or 0):.2f}".rstrip("0").rstrip(".")
    return text or "0"


def months(value):
    if value is None:
        return "No data"
    total = int(round(float(value)))
    years, rest = divmod(total, 12)
    parts = []
    if years:
        parts.append(f"{years} year{'s' if years != 1 else ''}")
    if rest:
        parts.append(f"{rest} month{'s' if rest != 1 else ''}")
    return " ".join(parts) or "Less than a month"


def day(value):
    return datetime.date.fromisoformat(value) if value else None


def benchmarks_for(figures, figure):
    return [b for b in figures.get("benchmarks", []) if b["figure"] == figure]


def _benchmark_bars(figures, figure):
    return [
        Bar(f"National: {b['label'].lower()} ({b['period'][-4:]})", b["rate"], percent(b["rate"]), benchmark=True)
        for b in benchmarks_for(figures, figure)
    ]


def _rate_group(figures, label, key):
    rate = figures[key]["rate"]
    return Group(label, [Bar("Your organisation", rate, percent(rate)), *_benchmark_bars(figures, key)])


def charts(figures):
    """Every chart of the dashboard, by section."""
    window = figures["window"]
    span = f"{day(window['first_day']):%-d %B %Y} to {day(window['end']):%-d %B %Y}"
    start, end = figures["headcount"]["start"], figures["headcount"]["end"]
    reasons = figures["leavers"]["reasons"]
    rates = [
        _rate_group(figures, "Turnover rate (leavers ÷ average headcount)", "turnover"),
        _rate_group(figures, "Turnover rate, Department for Education definition (FTE)", "turnover_dfe"),
        _rate_group(figures, "Stability", "stability"),
    ]
    cover = [_rate_group(figures, "Agency rate", "agency")]
    if figures["vacancy"]["recorded"]:
        cover.append(_rate_group(figures, "Vacancy rate (today)", "vacancy"))
    new = figures["new_supervisors"]
    tenure = figures["time_in_role"]
    found = {
        "headcount": bar_chart(
            "chart-headcount",
            "Headcount at the start and end of the window",
            f"People in post on {day(window['start']):%-d %B %Y} and on {day(window['end']):%-d %B %Y}: "
            f"directly employed {start['direct']} then {end['direct']}; agency {start['agency']} then {end['agency']}.",
            [
                Group(
                    "Directly employed",
                    [
                        Bar(f"{day(window['start']):%-d %b %Y}", start["direct"], str(start["direct"]), series=3),
                        Bar(f"{day(window['end']):%-d %b %Y}", end["direct"], str(end["direct"])),
                    ],
                ),
                Group(
                    "Agency",
                    [
                        Bar(f"{day(window['start']):%-d %b %Y}", start["agency"], str(start["agency"]), series=3),
                        Bar(f"{day(window['end']):%-d %b %Y}", end["agency"], str(end["agency"])),
                    ],
                ),
            ],
        ),
        "movement": bar_chart(
            "chart-movement",
            "Starters and leavers, with the reasons people left",
            f"{figures['starters']['count']} starters and {figures['leavers']['count']} leavers from {span}. "
            + ("Reasons: " + "; ".join(f"{r['label']} {r['count']}" for r in reasons) + "." if reasons else "Nobody left."),
            [
                Group(
                    None,
                    [
                        Bar("Starters", figures["starters"]["count"], str(figures["starters"]["count"]), series=2),
                        Bar("Leavers", figures["leavers"]["count"], str(figures["leavers"]["count"]), series=1),
                    ],
                ),
                *(
                    [Group("Why people left", [Bar(r["label"], r["count"], str(r["count"]), series=1) for r in reasons])]
                    if reasons
                    else []
                ),
            ],
        ),
        "rates": bar_chart(
            "chart-rates",
            "Turnover and stability, with national figures",
            "; ".join(_describe(group) for group in rates) + ".",
            rates,
        ),
        "cover": bar_chart(
            "chart-cover",
            "Agency and vacancy rates, with national figures",
            "; ".join(_describe(group) for group in cover) + ".",
            cover,
        ),
        "new_supervisors": bar_chart(
            "chart-new-supervisors",
            "New supervisors still supervising 12 months after they started",
            f"Of {new['cohort']} people who became supervisors, {new['retained']} were still at a supervisory stage "
            f"12 months later ({percent(new['rate'])}).",
            [
                Group(
                    None,
                    [
                        Bar("Still supervising", new["retained"], str(new["retained"]), series=2),
                        Bar(
                            "Left or stepped back",
                            new["cohort"] - new["retained"],
                            str(new["cohort"] - new["retained"]),
                            series=3,
                        ),
                    ],
                )
            ],
        ),
        "time_in_role": bar_chart(
            "chart-time-in-role",
            "Supervisors by time in role",
            f"{tenure['supervisors']} supervisors; median time in role {months(tenure['median_months'])}. "
            + "; ".join(f"{b['label']}: {b['count']}" for b in tenure["bands"])
            + ".",
            [Group(None, [Bar(b["label"], b["count"], str(b["count"]), series=1) for b in tenure["bands"]])],
        ),
    }
    found["equality"] = [_equality_chart(figures, c) for c in figures["equality"]["characteristics"]]
    return found


def _describe(group):
    return f"{group.label}: " + ", ".join(f"{bar.label} {bar.text}" for bar in group.bars)


def _equality_chart(figures, characteristic):
    labels = dict(POPULATIONS)
    groups = []
    for row in characteristic["rows"]:
        bars = [
            Bar(
                labels[cell["population"]],
                cell["share"],
                percent(cell["share"]) if cell["share"] is not None else cell["shown"],
                series=POPULATION_SERIES[cell["population"]],
            )
            for cell in row["cells"]
        ]
        groups.append(Group(row["label"], bars))
    lower = [
        f"{row['label']} among {labels[cell['population']].lower()} (ratio {ratio(cell['ratio'])})"
        for row in characteristic["rows"]
        for cell in row["cells"]
        if cell["lower"]
    ]
    summary = (
        "Lower than in the workforce: " + "; ".join(lower) + "."
        if lower
        else "No group's share is below four-fifths of its share of the workforce, where numbers are large enough to show."
    )
    return {
        "label": characteristic["label"],
        "field": characteristic["field"],
        "rows": characteristic["rows"],
        "chart": bar_chart(
            f"chart-equality-{characteristic['field']}",
            f"{characteristic['label']}: share of each group in each population",
            f"Each group's share of the whole workforce, the pipeline, people promoted or acting up, and supervisors. {summary}",
            groups,
            maximum=1,
        ),
    }
