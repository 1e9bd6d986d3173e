"""`make bench`: generate national-scale data, time the pages, write bench/reports/latest.md.

    .venv/bin/python -m bench.run [--requests 40] [--orgs 150] [--regenerate] ...

Requests run in-process through django.test.Client, signed in with force_login as the org admin of
the organisation with the most actions. Every page is measured against two yardsticks in the same run
(DESIGN.md, "Performance budget"), because only ratios mean anything on a noisy machine. Nothing here
asserts a time: over budget is reported, loudly, and the exit code stays 0.
"""

import argparse
import gc
import math
import os
import platform
import random
import statistics
import sys
import time
import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_REPORT = BENCH_DIR / "reports" / "latest.md"
STAGE_KEY = "preparation"

STACK_BUDGET = 4.0  # empty page median / bare view median
MEDIAN_BUDGET = 3.0  # real page median / empty page median
P95_BUDGET = 5.0  # real page p95 / empty page p95


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    url_name: str
    kwargs: tuple = ()
    query: str = ""
    by_id: bool = False  # the bare view takes the organisation's id, not its slug
    # For a page about one object: organisation -> (how the report shows it, its pk). It may query, so
    # url() is called before a request is counted or timed, never during.
    find: object = None

    def url(self, organisation):
        from django.urls import reverse

        args = [organisation.pk] if self.by_id else [organisation.slug]
        if self.find is not None:
            args.append(self.find(organisation)[1])
        path = reverse(self.url_name, args=[*args, *(value for _, value in self.kwargs)])
        return f"{path}?{self.query}" if self.query else path

    def shown_url(self, organisation):
        url = self.url(organisation)
        if self.find is not None:
            shown, pk = self.find(organisation)
            url = url.replace(f"/{pk}/", f"/{shown}/")
        return url.replace(f"/{organisation.slug}/", "/<org>/").replace(f"/{organisation.pk}/", "/<org id>/")


def largest_cohort(organisation):
    """The organisation's cohort with the most supervisors: the generator puts a portfolio at every state in it."""
    from django.db.models import Count
    from django_scopes import scopes_disabled

    from trellis.portfolio.models import Cohort

    with scopes_disabled():
        cohorts = Cohort.objects.filter(organisation=organisation).annotate(n=Count("portfolios"))
        pk = cohorts.order_by("-n", "name").values_list("pk", flat=True).first()
    if pk is None:
        raise RuntimeError(f"{organisation.name} has no cohorts")
    return "<largest cohort>", pk


BARE = Page("bare", "Bare Django view (no middleware)", "bench-bare", by_id=True)
EMPTY = Page("empty", "Empty page (app stack, base layout)", "bench-empty")
PAGES = [
    BARE,
    EMPTY,
    Page("overview", "Pathway overview", "pathway:overview"),
    Page("stage", f"Stage page ({STAGE_KEY})", "pathway:stage", kwargs=(("stage_key", STAGE_KEY),)),
    Page("actions", "Action list", "pathway:action-list"),
    Page("actions-overdue", "Action list: in progress, overdue", "pathway:action-list", query="status=in_progress&overdue=on"),
    Page("actions-stage", f"Action list: stage {STAGE_KEY}", "pathway:action-list", query=f"stage={STAGE_KEY}"),
    Page("export-xlsx", "Export: Excel (whole plan)", "pathway:action-export", kwargs=(("file_format", "xlsx"),)),
    Page("export-docx", "Export: Word (whole plan)", "pathway:action-export", kwargs=(("file_format", "docx"),)),
    Page("export-csv", "Export: CSV (whole plan)", "pathway:action-export", kwargs=(("file_format", "csv"),)),
    Page("staff", "Workforce: staff list", "workforce:staff-list"),
    Page("staff-left", "Workforce: staff who have left", "workforce:staff-list", query="status=left"),
    Page("supervisors", "Supervisors register", "workforce:supervisors"),
    Page("supervisors-first-year", "Supervisors register: first 12 months", "workforce:supervisors", query="first_year=on"),
    Page("supervisors-xlsx", "Supervisors register: Excel", "workforce:supervisors-export", kwargs=(("file_format", "xlsx"),)),
    Page("career-stages", "Career stages", "workforce:career-stage-list"),
    Page("teams", "Teams", "workforce:team-list"),
    Page("succession", "Succession", "talent:pipeline"),
    Page("candidates", "Potential practice supervisors", "talent:candidate-list"),
    Page("acting-up", "Acting-up opportunities", "talent:acting-up-list"),
    Page("career-pathway", "Career pathway", "talent:career-pathway"),
    Page("oversight", "Retention dashboard", "insights:oversight"),
    Page("oversight-children", "Retention dashboard: children's services", "insights:oversight", query="service=children"),
    Page("oversight-xlsx", "Retention dashboard: Excel (board report)", "insights:oversight-export"),
    Page("meetings", "Oversight meetings", "insights:meeting-list"),
    # Issue 5: the organisation-wide pages of the supervisors' development apps, as an org admin sees them.
    Page("frameworks", "Frameworks in force", "frameworks:list"),
    Page("assessment-org", "Self-assessments: organisation view", "assessment:organisation"),
    Page(
        "assessment-cohort", "Self-assessments: organisation view by cohort", "assessment:organisation", query="grouping=cohort"
    ),
    Page("development-overview", "Development overview", "development:overview"),
    Page("coverage", "Development coverage", "development:coverage"),
    Page("coverage-names", "Development coverage: supervisors by name", "development:coverage-names"),
    Page("induction", "First 12 months", "induction:list"),
    Page("induction-overdue", "First 12 months: something overdue", "induction:list", query="overdue=on"),
    Page("induction-template", "Induction checklist template", "induction:template"),
    Page("catalogue", "Training catalogue", "learning:catalogue"),
    Page("training-sessions", "Training sessions", "learning:session-list"),
    Page("completion", "Core training completion", "learning:completion"),
    Page("mentoring", "Mentoring and coaching overview", "mentoring:overview"),
    Page("mentoring-waiting", "Mentoring: people without a mentor", "mentoring:waiting-list"),
    Page("peer-groups", "Peer groups", "mentoring:group-list"),
    Page("supervision", "Supervision overview", "supervision:overview"),
    Page("supervision-all", "Supervision overview: everyone", "supervision:overview", query="show=all"),
    # Issue 6: the organisation-wide pages of cohorts and portfolios, as an org admin sees them.
    Page("cohorts", "Cohorts", "portfolio:cohort-list"),
    Page("cohort", "Cohort page (largest cohort)", "portfolio:cohort", find=largest_cohort),
    Page("cohort-xlsx", "Cohort summary: Excel (largest cohort)", "portfolio:cohort-export", find=largest_cohort),
    Page("moderation", "Moderation (largest cohort)", "portfolio:moderation", find=largest_cohort),
    Page("agreement", "Reviewer agreement report", "portfolio:agreement"),
    Page("waiting", "Waiting on me", "portfolio:waiting"),
    Page("notifications", "Notifications", "notifications:list"),
]


@dataclass
class PageResult:
    page: Page
    url: str = ""
    times_ms: list = field(default_factory=list)
    queries_small: int | None = None
    queries_large: int | None = None
    size_bytes: int = 0
    error: str = ""

    @property
    def median(self):
        return statistics.median(self.times_ms) if self.times_ms else None

    @property
    def p95(self):
        """Nearest-rank 95th percentile."""
        if not self.times_ms:
            return None
        ordered = sorted(self.times_ms)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]

    @property
    def queries_equal(self):
        return self.queries_small is not None and self.queries_small == self.queries_large


@dataclass
class Result:
    pages: list
    large: object
    small: object
    large_size: dict
    small_size: dict
    data: dict
    requests: int
    warmup: int
    timing_seconds: float
    pair_bare_ms: list = field(default_factory=list)
    pair_empty_ms: list = field(default_factory=list)
    generation_seconds: float | None = None
    params: object = None

    @property
    def pair_overhead(self):
        if not (self.pair_bare_ms and self.pair_empty_ms):
            return None
        return statistics.median(self.pair_empty_ms) / statistics.median(self.pair_bare_ms)

    def page(self, key):
        return next(r for r in self.pages if r.page.key == key)


# --- Measuring ----------------------------------------------------------------------------------


def _admin_of(organisation):
    from trellis.tenancy.models import Membership

    from .generate import admin_email

    members = Membership.objects.filter(organisation=organisation, is_active=True).select_related("user", "organisation")
    return members.filter(user__email=admin_email(organisation.slug)).first() or next(
        m for m in members if "org_admin" in m.roles
    )


def _organisation_sizes():
    """(largest, smallest) organisation by number of actions, with their sizes."""
    from django.db.models import Count

    from trellis.pathway.models import Action
    from trellis.tenancy.models import Membership, Organisation

    by_actions = list(
        Action.objects.order_by().values("organisation_id").annotate(n=Count("pk")).order_by("-n", "organisation_id")
    )
    if not by_actions:
        raise SystemExit("No actions in the database: generate the bench data first.")
    large = Organisation.objects.get(pk=by_actions[0]["organisation_id"])
    small = Organisation.objects.get(pk=by_actions[-1]["organisation_id"])

    def size(org, actions):
        return {"actions": actions, "members": Membership.objects.filter(organisation=org).count()}

    return large, small, size(large, by_actions[0]["n"]), size(small, by_actions[-1]["n"])


def data_sizes():
    from trellis.accounts.models import User
    from trellis.assessment.models import FeedbackRequest, SelfAssessment, StandardRating
    from trellis.audit.models import AuditEvent
    from trellis.development.models import DevelopmentAction, DevelopmentPlan, Goal
    from trellis.frameworks.models import FrameworkInUse
    from trellis.induction.models import CheckIn, ChecklistItem, FirstYear
    from trellis.learning.models import Booking, Course, TrainingSession
    from trellis.mentoring.models import Attendance, MentoringSession, Mentorship, PeerGroup, PeerSession
    from trellis.notifications.models import Notification
    from trellis.pathway.models import Action, OutcomeProgress, ProgressUpdate, Reflection, Stakeholder
    from trellis.portfolio.models import (
        Cohort,
        EvidenceItem,
        EvidenceMapping,
        Moderation,
        Portfolio,
        QuestionnaireResponse,
        Review,
        SignOff,
        StandardDecision,
        Submission,
    )
    from trellis.supervision.models import SupervisionAgreement, SupervisionSession
    from trellis.talent.models import PotentialSupervisor
    from trellis.tenancy.models import Membership, Organisation
    from trellis.workforce.models import EqualityRecord, StaffRecord, StageHistory

    models = [
        ("organisations", Organisation),
        ("staff records", StaffRecord),
        ("career stage history", StageHistory),
        ("equality monitoring records", EqualityRecord),
        ("potential supervisors", PotentialSupervisor),
        ("users", User),
        ("memberships", Membership),
        ("stakeholders", Stakeholder),
        ("actions", Action),
        ("progress updates", ProgressUpdate),
        ("outcome progress", OutcomeProgress),
        ("reflections", Reflection),
        ("frameworks in use", FrameworkInUse),
        ("self-assessments", SelfAssessment),
        ("self-assessment ratings", StandardRating),
        ("requests for feedback", FeedbackRequest),
        ("development plans", DevelopmentPlan),
        ("development goals", Goal),
        ("development plan actions", DevelopmentAction),
        ("first 12 months", FirstYear),
        ("induction checklist items", ChecklistItem),
        ("check-ins", CheckIn),
        ("courses", Course),
        ("training sessions", TrainingSession),
        ("bookings", Booking),
        ("mentoring and coaching relationships", Mentorship),
        ("mentoring and coaching sessions", MentoringSession),
        ("peer groups", PeerGroup),
        ("peer group sessions", PeerSession),
        ("peer group attendance", Attendance),
        ("supervision agreements", SupervisionAgreement),
        ("supervision sessions", SupervisionSession),
        ("cohorts", Cohort),
        ("portfolios", Portfolio),
        ("evidence items", EvidenceItem),
        ("evidence mappings", EvidenceMapping),
        ("submissions", Submission),
        ("reviews", Review),
        ("decisions on standards (reviews and moderations)", StandardDecision),
        ("moderations", Moderation),
        ("sign-offs and referrals", SignOff),
        ("responses to feedback on the pathway", QuestionnaireResponse),
        ("notifications", Notification),
        ("audit events", AuditEvent),
    ]
    return {name: model.objects.count() for name, model in models}


def _request(client, url):
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"HTTP {response.status_code} for {url}")
    return response


def benchmark(*, requests=40, warmup=3, seed=0, log=print):
    """Time every page. Returns a Result; raises nothing for a failing page (its row shows the error)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django_scopes import scopes_disabled

    with scopes_disabled():
        large, small, large_size, small_size = _organisation_sizes()
        large_admin, small_admin = _admin_of(large), _admin_of(small)
        data = data_sizes()
    log(
        f"Large organisation: {large.name} ({large_size['actions']} actions, {large_size['members']} members); "
        f"small: {small.name} ({small_size['actions']} actions, {small_size['members']} members)."
    )

    started = time.perf_counter()
    results = []
    # One URLconf for every timed request, so the yardsticks and the app's pages resolve alike.
    with override_settings(ROOT_URLCONF="bench.urls"):
        clients = {}
        for org, admin in ((large, large_admin), (small, small_admin)):
            clients[org.pk] = Client()
            clients[org.pk].force_login(admin.user)
        # The handler loads its middleware at its first request, so a client whose first request runs
        # with MIDDLEWARE=[] keeps no middleware for the rest of the run.
        with override_settings(MIDDLEWARE=[]):
            bare_client = Client()
            bare_client.get(BARE.url(large))

        def client_for(page, org):
            return bare_client if page is BARE else clients[org.pk]

        for page in PAGES:
            result = PageResult(page, url=page.shown_url(large))
            results.append(result)
            try:
                for org, attr in ((small, "queries_small"), (large, "queries_large")):
                    client, url = client_for(page, org), page.url(org)
                    _request(client, url)  # the first request may fill caches; count the next
                    with CaptureQueriesContext(connection) as queries:
                        response = _request(client, url)
                    setattr(result, attr, len(queries.captured_queries))
                result.size_bytes = len(response.content)
                for _ in range(warmup):
                    _request(client_for(page, large), url)  # the loop ended on the large organisation's
            except Exception as error:  # a broken page is reported, not fatal: the rest still get measured
                result.error = f"{type(error).__name__}: {error}"[:300]
                log(f"  {page.label}: {result.error}")

        # Rounds visit every page once, in a shuffled order, so drift and noise fall on all pages alike.
        live = [r for r in results if not r.error]
        urls = {r.page.key: r.page.url(large) for r in live}
        order = random.Random(seed)
        gc.collect()
        for round_number in range(requests):
            order.shuffle(live)
            for result in live:
                if result.error:
                    continue
                client = client_for(result.page, large)
                try:
                    begin = time.perf_counter()
                    _request(client, urls[result.page.key])
                    result.times_ms.append((time.perf_counter() - begin) * 1000)
                except Exception as error:
                    result.error = f"{type(error).__name__}: {error}"[:300]
            if requests >= 10 and (round_number + 1) % max(1, requests // 4) == 0:
                log(f"  {round_number + 1}/{requests} rounds ({time.perf_counter() - started:.0f} s)")

        # The yardsticks once more, alternating with nothing in between. Heavy pages leave the CPU
        # caches cold for whatever follows them, which slows a sub-millisecond view proportionally
        # more, so the stack overhead is reported both ways.
        pair = {"bare": [], "empty": []}
        yardsticks = [
            (key, client_for(r.page, large), urls[key]) for key in pair for r in live if r.page.key == key and not r.error
        ]
        if len(yardsticks) == 2:
            for index in range(warmup + requests):
                for key, client, url in yardsticks:
                    begin = time.perf_counter()
                    client.get(url)
                    if index >= warmup:
                        pair[key].append((time.perf_counter() - begin) * 1000)

    return Result(
        pages=results,
        large=large,
        small=small,
        large_size=large_size,
        small_size=small_size,
        data=data,
        requests=requests,
        warmup=warmup,
        timing_seconds=time.perf_counter() - started,
        pair_bare_ms=pair["bare"],
        pair_empty_ms=pair["empty"],
    )


# --- Reporting ----------------------------------------------------------------------------------


def _database():
    import sqlite3

    from django.db import connection

    if connection.vendor == "sqlite":
        return f"SQLite {sqlite3.sqlite_version} ({Path(str(connection.settings_dict['NAME'])).name})"
    if connection.vendor == "postgresql":
        major, minor = divmod(connection.pg_version, 10000)
        return f"PostgreSQL {major}.{minor} (database {connection.settings_dict['NAME']})"
    return connection.vendor


def _median(values):
    return statistics.median(values) if values else None


def _ms(value):
    return "–" if value is None else f"{value:.1f}"


def _ratio(value, base):
    return "–" if value is None or not base else f"{value / base:.2f}×"


def verdicts(result):
    """[(result, ok, reasons)] for each real page, and the stack overhead (ratio, ok)."""
    bare, empty = result.page("bare"), result.page("empty")
    stack = empty.median / bare.median if empty.median and bare.median else None
    pages = []
    for r in result.pages:
        if r.page.key in ("bare", "empty"):
            continue
        reasons = []
        if r.error or r.median is None:
            reasons.append("not measured")
        else:
            if empty.median and r.median / empty.median > MEDIAN_BUDGET:
                reasons.append(f"median {r.median / empty.median:.1f}× the empty page (budget {MEDIAN_BUDGET:g}×)")
            if empty.p95 and r.p95 / empty.p95 > P95_BUDGET:
                reasons.append(f"p95 {r.p95 / empty.p95:.1f}× the empty page (budget {P95_BUDGET:g}×)")
        if not r.queries_equal:
            reasons.append(f"query count differs: {r.queries_small} (small org) vs {r.queries_large} (large org)")
        pages.append((r, not reasons, reasons))
    return (stack, stack is not None and stack <= STACK_BUDGET), pages


def render_report(result):
    import django

    (stack, stack_ok), pages = verdicts(result)
    bare, empty = result.page("bare"), result.page("empty")
    over = [r for r, ok, _ in pages if not ok]
    yardsticks_bad = [r for r in (bare, empty) if r.error or not r.queries_equal]
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"# Trellis benchmark – {now}", ""]
    if over or not stack_ok or yardsticks_bad:
        what = [f"{len(over)} of {len(pages)} pages"] if over else []
        if not stack_ok:
            what.append("the stack overhead")
        what += [f"{r.page.label} ({r.error or 'query count differs'})" for r in yardsticks_bad]
        lines.append(f'**⚠ OVER BUDGET: {", ".join(what)}.** See "Over budget" below.')
    else:
        lines.append("**All pages within budget.**")
    generated = (
        "not run (benchmark called directly)"
        if result.generation_seconds is None
        else "reused from an earlier run"
        if result.generation_seconds == 0
        else f"{result.generation_seconds:.1f} s"
    )
    lines += [
        "",
        f"- Database: {_database()}",
        f"- Python {platform.python_version()}, Django {django.get_version()}, {platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
        "- Data: " + ", ".join(f"{n:,} {name}" for name, n in result.data.items()),
        f"- Generation: {generated}" + (f"; parameters {result.params}" if result.params else ""),
        f"- Large organisation: {result.large.name} ({result.large_size['actions']:,} actions, {result.large_size['members']} members); "
        f"small: {result.small.name} ({result.small_size['actions']:,} actions, {result.small_size['members']} members)",
        f"- Timing: {result.requests} requests per page after {result.warmup} warm-up requests, in rounds visiting every page in a "
        "shuffled order; in-process django.test.Client signed in (force_login) as the large organisation's org admin; "
        f"{result.timing_seconds:.1f} s in all. Query counts are from one request as each organisation's admin.",
        "",
        '## Budget (DESIGN.md, "Performance budget")',
        "",
        "| Check | Measured | Budget | Result |",
        "|---|---:|---:|---|",
        f"| Stack overhead: empty page median ÷ bare view median (measured among all pages) | {'–' if stack is None else f'{stack:.2f}×'} | "
        f"≤ {STACK_BUDGET:g}× | {'PASS' if stack_ok else '**OVER**'} |",
        f"| Stack overhead, the two yardsticks alone, alternating (bare {_ms(_median(result.pair_bare_ms))} ms, "
        f"empty {_ms(_median(result.pair_empty_ms))} ms) | {_ratio(result.pair_overhead, 1)} | ≤ {STACK_BUDGET:g}× | "
        f"{'–' if result.pair_overhead is None else 'PASS' if result.pair_overhead <= STACK_BUDGET else '**OVER**'} (for information) |",
        f"| Real pages within {MEDIAN_BUDGET:g}× median and {P95_BUDGET:g}× p95 of the empty page, query count independent of data | "
        f"{len(pages) - len(over)} of {len(pages)} | all | {'PASS' if not over else '**OVER**'} |",
        "",
        "## Pages",
        "",
        "| Page | Request | Median ms | p95 ms | Queries (small / large org) | Median ÷ empty | p95 ÷ empty | Budget |",
        "|---|---|---:|---:|---|---:|---:|---|",
    ]
    marks = {r.page.key: ("PASS" if ok else "**OVER**") for r, ok, _ in pages}
    for r in result.pages:
        queries = "–" if r.queries_small is None else f"{r.queries_small} / {r.queries_large}"
        if r.queries_small is not None and not r.queries_equal:
            queries += " **DIFFERS**"
        mark = marks.get(r.page.key, "yardstick")
        if r.error:
            mark = f"**ERROR** {r.error}"
        lines.append(
            f"| {r.page.label} | `{r.url}` | {_ms(r.median)} | {_ms(r.p95)} | {queries} | "
            f"{_ratio(r.median, empty.median)} | {_ratio(r.p95, empty.p95)} | {mark} |"
        )
    lines += [
        "",
        "Response sizes (large organisation): "
        + ", ".join(f"{r.page.label} {r.size_bytes / 1024:.0f} KB" for r in result.pages if r.size_bytes),
        "",
    ]
    if over or not stack_ok:
        lines += ["## Over budget", ""]
        if not stack_ok:
            lines.append(f"- **Stack overhead** {'unmeasured' if stack is None else f'{stack:.2f}×'} (budget {STACK_BUDGET:g}×)")
        lines += [f"- **{r.page.label}**: {'; '.join(reasons)}" for r, ok, reasons in pages if not ok]
        lines.append("")
    return "\n".join(lines)


# --- Command line -------------------------------------------------------------------------------


def parse_args(argv):
    from .generate import Params

    defaults = Params()
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--requests", "-n", type=int, default=40, help="timed requests per page (default 40)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per page first (default 3)")
    parser.add_argument("--regenerate", action="store_true", help="generate the data again even if it matches")
    parser.add_argument(
        "--report", type=Path, default=DEFAULT_REPORT, help=f"where to write the report (default {DEFAULT_REPORT})"
    )
    for name in (
        "orgs",
        "seed",
        "min_members",
        "max_members",
        "min_stakeholders",
        "max_stakeholders",
        "min_actions",
        "max_actions",
    ):
        parser.add_argument(f"--{name.replace('_', '-')}", type=int, default=getattr(defaults, name))
    return parser.parse_args(argv)


def main(argv=None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # WhiteNoise warns that STATIC_ROOT is missing; the bench serves no static files, so it is noise.
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    from . import generate

    args = parse_args(sys.argv[1:] if argv is None else argv)
    started = time.perf_counter()
    params = generate.Params(
        **{
            name: getattr(args, name)
            for name in (
                "orgs",
                "seed",
                "min_members",
                "max_members",
                "min_stakeholders",
                "max_stakeholders",
                "min_actions",
                "max_actions",
            )
        }
    )
    print(f"==> Bench data ({_database()})", flush=True)
    generation = generate.ensure(params, regenerate=args.regenerate, log=lambda line: print(line, flush=True))
    print(f"==> Timing {len(PAGES)} pages, {args.requests} requests each", flush=True)
    result = benchmark(requests=args.requests, warmup=args.warmup, seed=params.seed, log=lambda line: print(line, flush=True))
    result.generation_seconds, result.params = generation, params
    text = render_report(result)
    from . import importer as import_bench

    print("==> Timing a 10,000-row import", flush=True)
    text += import_bench.report(import_bench.measure_in_own_process())
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(text, encoding="utf-8")
    print()
    print(text)
    print(
        f"Report written to {args.report}. Whole run {time.perf_counter() - started:.0f} s "
        f"(generation {generation:.0f} s, timing {result.timing_seconds:.0f} s)."
    )
    return 0  # a measurement, not a test: over budget is in the report, not the exit code


if __name__ == "__main__":
    sys.exit(main())
