"""National figures the oversight dashboard compares an organisation with.

Only figures `../shared/reference/domain.md` section 5 marks confirmed ([C]) are here, each with its
source and the year it describes. Figures the research computed itself ([U]), such as the 2024
children's vacancy and agency rates, are deliberately left out. When a new year is published, add a
row and keep the old one: a recorded meeting stores the benchmarks it was shown, so nothing here is
ever read back for an old meeting.

National figures are for social workers only; an organisation's register may hold other staff too,
which the page says wherever the two are side by side.
"""

from dataclasses import asdict, dataclass

DFE_CSWW = "Department for Education, Children's social work workforce statistics"
DFE_CSWW_URL = "https://explore-education-statistics.service.gov.uk/methodology/children-s-social-work-workforce"
SKILLS_FOR_CARE = "Skills for Care, adult social care workforce data (reported by Community Care)"
SKILLS_FOR_CARE_URL = (
    "https://www.communitycare.co.uk/2024/02/16/adult-social-worker-numbers-hit-record-high-on-back-of-funding-rise/"
)


@dataclass(frozen=True)
class Benchmark:
    figure: str  # the dashboard figure it sits beside: turnover, turnover_dfe, agency, vacancy
    service: str  # adults or children
    label: str  # short, for tables and charts
    rate: float
    population: str
    period: str
    source: str
    url: str
    definition: str
    compare_with: str  # that figure's name, and how close the definitions are

    def as_dict(self):
        return asdict(self)


BENCHMARKS = [
    Benchmark(
        figure="turnover_dfe",
        service="children",
        label="Children's social workers",
        rate=0.138,
        population="Children and family social workers employed by English local authorities",
        period="year to 30 September 2024",
        source=f"{DFE_CSWW} (as reported by Children and Young People Now)",
        url="https://www.cypnow.co.uk/content/news/fall-in-number-of-agency-childrens-social-workers",
        definition="FTE leavers in the year ÷ FTE in post on 30 September",
        compare_with="Turnover rate, Department for Education definition (defined the same way)",
    ),
    Benchmark(
        figure="agency",
        service="children",
        label="Children's social workers",
        rate=0.178,
        population="Children and family social workers in English local authorities",
        period="30 September 2023",
        source=DFE_CSWW,
        url="https://explore-education-statistics.service.gov.uk/data-catalogue/data-set/bd4d8c04-716a-4447-af3d-677aa3223917",
        definition="agency FTE ÷ (agency FTE + FTE in post)",
        compare_with="Agency rate (defined the same way)",
    ),
    Benchmark(
        figure="vacancy",
        service="children",
        label="Children's social workers",
        rate=0.189,
        population="Children and family social worker posts in English local authorities",
        period="30 September 2023",
        source=DFE_CSWW,
        url="https://explore-education-statistics.service.gov.uk/data-catalogue/data-set/bd4d8c04-716a-4447-af3d-677aa3223917",
        definition="vacant FTE ÷ (vacant FTE + FTE in post)",
        compare_with="Vacancy rate (defined the same way)",
    ),
    Benchmark(
        figure="turnover",
        service="adults",
        label="Adult social workers",
        rate=0.145,
        population="Social workers employed by councils in adult social care, England",
        period="September 2023",
        source=SKILLS_FOR_CARE,
        url=SKILLS_FOR_CARE_URL,
        definition="leavers in the past 12 months ÷ directly employed workers",
        compare_with="Turnover rate (the closer of the two: Skills for Care divides by the number employed, not the average)",
    ),
    Benchmark(
        figure="vacancy",
        service="adults",
        label="Adult social workers",
        rate=0.105,
        population="Social worker posts in councils' adult social care, England",
        period="September 2023",
        source=SKILLS_FOR_CARE,
        url=SKILLS_FOR_CARE_URL,
        definition="vacant posts as a share of all posts, filled and vacant (the usual description; not confirmed by our research)",
        compare_with="Vacancy rate (close: it counts posts, not FTE)",
    ),
]


def for_service(service=""):
    """The benchmarks that apply: one service's, or both services' when the dashboard shows both."""
    return [b.as_dict() for b in BENCHMARKS if not service or b.service == service]
