"""The coverage map: for each standard (and statement) of a cohort's frameworks, which evidence items
in a portfolio evidence it, and which have none yet.

The same map is drawn from a portfolio as it is now (`coverage`) and from a submission's frozen copy
(`coverage_from_snapshot`), so the supervisor, their mentor and the reviewer read one layout. Both
take a fixed number of queries, whatever the number of items or standards.

A submission's snapshot has this shape (written when a portfolio is submitted; `snapshot_of` makes it):

    {"items": [{"id", "title", "kind", "occurred_on", "reflection",
                "files": [{"id", "name"}],
                "mappings": [{"standard_id", "statement_id", "how"}]}]}

Ids are strings; `statement_id` is None for a mapping to a whole standard.
"""

from dataclasses import dataclass, field

from django.db.models import F, Prefetch

from trellis.frameworks.models import FrameworkInUse, Standard, Statement

from .models import EvidenceFile, EvidenceItem, EvidenceMapping
from .queries import evidence_versions


@dataclass
class Row:
    """One line of the map: a standard (`statement` is None) or one of its statements."""

    standard: Standard
    statement: Statement | None = None
    titles: list[str] = field(default_factory=list)

    @property
    def count(self):
        return len(self.titles)

    @property
    def is_statement(self):
        return self.statement is not None


@dataclass
class FrameworkCoverage:
    name: str
    rows: list[Row]

    @property
    def standards(self):
        return [row for row in self.rows if not row.is_statement]


@dataclass
class Coverage:
    frameworks: list[FrameworkCoverage]
    item_count: int

    @property
    def rows(self):
        return [row for framework in self.frameworks for row in framework.rows]

    @property
    def gaps(self):
        """Standards and statements no item evidences yet."""
        return [row for row in self.rows if row.count == 0]

    @property
    def standards_total(self):
        return sum(len(framework.standards) for framework in self.frameworks)

    @property
    def standards_covered(self):
        return sum(1 for framework in self.frameworks for row in framework.standards if row.count)


def _build(version_ids, items):
    """`items`: [(id, title, [(standard_id, statement_id or None)])], ids as strings."""
    standards = (
        Standard.objects.filter(version_id__in=list(version_ids))
        .select_related("version__framework")
        .prefetch_related(Prefetch("statements", queryset=Statement.objects.order_by("position")))
        .order_by("version__framework__name", "version_id", "position")
    )
    by_standard, by_statement = {}, {}
    for item_id, title, mappings in items:
        for standard_id, statement_id in mappings:
            # An item counts once for a standard, however many of its statements it evidences.
            by_standard.setdefault(standard_id, {})[item_id] = title
            if statement_id:
                by_statement.setdefault(statement_id, {})[item_id] = title

    def titles(found):
        return sorted(found.values(), key=str.casefold)

    frameworks = {}
    for standard in standards:
        framework = frameworks.setdefault(standard.version_id, FrameworkCoverage(name=str(standard.version), rows=[]))
        framework.rows.append(Row(standard=standard, titles=titles(by_standard.get(str(standard.pk), {}))))
        for statement in standard.statements.all():
            framework.rows.append(
                Row(standard=standard, statement=statement, titles=titles(by_statement.get(str(statement.pk), {})))
            )
    return Coverage(frameworks=list(frameworks.values()), item_count=len(items))


def _version_ids(frameworks):
    """Framework versions from FrameworkInUse rows (a cohort's `frameworks`) or FrameworkVersions."""
    return [getattr(framework, "version_id", None) or framework.pk for framework in frameworks]


def coverage(portfolio):
    """The map for a portfolio as it is now: the items chosen for it, against its cohort's frameworks."""
    version_ids = FrameworkInUse.objects.filter(cohorts=portfolio.cohort_id).values_list("version_id", flat=True)
    items = (
        EvidenceItem.objects.filter(entries__portfolio=portfolio)
        .order_by("title")
        .prefetch_related(Prefetch("mappings", queryset=EvidenceMapping.objects.order_by()))
    )
    return _build(
        version_ids,
        [
            (
                str(item.pk),
                item.title,
                [(str(m.standard_id), str(m.statement_id) if m.statement_id else None) for m in item.mappings.all()],
            )
            for item in items
        ],
    )


def coverage_from_snapshot(snapshot, frameworks):
    """The map for a submission as it was sent: `snapshot` is `Submission.snapshot`, `frameworks` the
    cohort's FrameworkInUse rows (e.g. `cohort.frameworks.all()`)."""
    items = [
        (
            str(entry.get("id")),
            entry.get("title", ""),
            [
                (str(m["standard_id"]), str(m["statement_id"]) if m.get("statement_id") else None)
                for m in entry.get("mappings", [])
            ],
        )
        for entry in (snapshot or {}).get("items", [])
    ]
    return _build(_version_ids(frameworks), items)


def library_coverage(staff):
    """The map for all of a person's evidence, whichever portfolios it is in, against the frameworks
    they map evidence to (their cohorts', or those in force for them)."""
    items = {}
    rows = EvidenceMapping.objects.filter(item__staff=staff).values_list("item_id", "item__title", "standard_id", "statement_id")
    for item_id, title, standard_id, statement_id in rows:
        items.setdefault(str(item_id), (title, []))[1].append((str(standard_id), str(statement_id) if statement_id else None))
    return _build(evidence_versions(staff), [(pk, title, mappings) for pk, (title, mappings) in items.items()])


def snapshot_of(portfolio):
    """The portfolio's evidence as a submission keeps it (the shape above), in three queries."""
    items = (
        EvidenceItem.objects.filter(entries__portfolio=portfolio)
        .order_by("-occurred_on", "title")
        .prefetch_related(
            Prefetch("files", queryset=EvidenceFile.objects.order_by("uploaded_at")),
            Prefetch(
                "mappings",
                queryset=EvidenceMapping.objects.order_by("standard__position", F("statement__position").asc(nulls_first=True)),
            ),
        )
    )
    return {
        "items": [
            {
                "id": str(item.pk),
                "title": item.title,
                "kind": item.kind,
                "occurred_on": item.occurred_on.isoformat(),
                "reflection": item.reflection,
                "files": [{"id": str(f.pk), "name": f.name} for f in item.files.all()],
                "mappings": [
                    {
                        "standard_id": str(m.standard_id),
                        "statement_id": str(m.statement_id) if m.statement_id else None,
                        "how": m.how,
                    }
                    for m in item.mappings.all()
                ],
            }
            for item in items
        ]
    }
