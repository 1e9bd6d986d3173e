"""Importing a framework file into an organisation: the checks that need the database, and a version
turned back into a file's rows (for downloads and copies). Writing is actions.apply_framework_import.

A file whose framework name matches one of the organisation's own frameworks becomes a new version
of it; any other name makes a new framework. The preview says which, before anything is saved.
"""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.text import slugify

from . import fileformat
from .fileformat import StandardRow, StatementRow
from .models import Framework, FrameworkVersion, Standard, Statement


@dataclass
class Plan:
    """What importing a file would do: the checked file, and the own framework it adds a version to."""

    parsed: fileformat.FrameworkFile
    framework: Framework | None

    @property
    def is_valid(self):
        return not self.parsed.problems


def check(parsed, organisation):
    """Add the problems only the database can show to `parsed`; return the Plan."""
    name = parsed.details.get("name") or ""
    frameworks = list(Framework.objects.available_to(organisation).filter(name__iexact=name)) if name else []
    target = next((f for f in frameworks if f.organisation_id == organisation.pk), None)
    if any(f.is_shipped for f in frameworks):
        parsed.problem(
            "name",
            f"A framework that ships with Trellis is called {name}. Give yours a different name, for example by adding "
            f"'({organisation.name})'.",
        )
    label = parsed.details.get("label") or ""
    if target is not None and label and FrameworkVersion.objects.filter(framework=target, label__iexact=label).exists():
        parsed.problem(
            "label",
            f"Your framework {target.name} already has a version {label}. Give this one a different version, "
            "for example the year it comes into force.",
        )
    return Plan(parsed=parsed, framework=target)


def plan_for(batch):
    """The Plan for a stored upload, checked afresh (someone may have added a version meanwhile)."""
    return check(fileformat.parse(batch.content, batch.file_format), batch.organisation)


def details_of(version):
    framework = version.framework
    return {
        "name": framework.name,
        "short_name": framework.short_name,
        "service": framework.service,
        "publisher": framework.publisher,
        "description": framework.description,
        "label": version.label,
        "effective_from": version.effective_from,
        "effective_to": version.effective_to,
        "source": version.source,
        "source_url": version.source_url,
        "checked_note": version.checked_note,
        "missing_standards": list(version.missing_standards or []),
    }


def rows_of(version):
    """The version's standards and statements as a file's rows, in two queries."""
    statements = Statement.objects.order_by("position", "number")
    standards = (
        Standard.objects.filter(version=version)
        .order_by("position")
        .prefetch_related(Prefetch("statements", queryset=statements))
    )
    return [
        StandardRow(
            number=standard.number,
            title=standard.title,
            is_checked=standard.is_checked,
            citation=standard.citation,
            line=None,
            statements=[StatementRow(s.number, s.text, s.is_checked, s.citation, None) for s in standard.statements.all()],
        )
        for standard in standards
    ]


def copy_details(version, organisation):
    """A version's details as the starting point of an organisation's own copy: a shipped framework's
    name would clash, so the copy is named for the organisation."""
    details = details_of(version)
    if version.framework.is_shipped:
        details["name"] = f"{details['name']} ({organisation.name})"[:250]
    return details


def file_for_download(version, organisation, file_format):
    """(filename, content type, text) of a version in the import format; a shipped version is named
    for the organisation (copy_details), so importing it back makes their own copy."""
    details = copy_details(version, organisation)
    rows = rows_of(version)
    name = slugify(f"{version.framework.short_name} {version.label}") or "framework"
    if file_format == "csv":
        return f"{name}.csv", "text/csv; charset=utf-8", fileformat.write_csv(details, rows)
    return f"{name}.yaml", "application/yaml; charset=utf-8", fileformat.write_yaml(details, rows)


def example():
    """The downloadable templates' content: a small fictional framework that shows every column."""
    details = {
        "name": "Example practice supervision standards",
        "short_name": "Example standards",
        "service": "any",
        "publisher": "Your organisation",
        "description": "Replace this example with your framework. Delete any optional detail you do not need.",
        "label": "2026",
        "effective_from": None,
        "effective_to": None,
        "source": "Our practice supervision handbook, April 2026",
        "source_url": "https://intranet.example.org.uk/supervision-handbook",
        "checked_note": "",
        "missing_standards": [],
    }
    rows = [
        StandardRow(
            "1",
            "Leading reflective supervision",
            False,
            "",
            None,
            [
                StatementRow(
                    "1.1",
                    "I agree a supervision agreement with each person I supervise and review it every year.",
                    False,
                    "",
                    None,
                ),
                StatementRow(
                    "1.2",
                    "I make time in each session for the person to reflect on their practice and feelings.",
                    False,
                    "",
                    None,
                ),
            ],
        ),
        StandardRow(
            "2",
            "Developing the team",
            False,
            "",
            None,
            [
                StatementRow(
                    "2.1", "I use observations of practice and feedback to agree each person's learning goals.", False, "", None
                )
            ],
        ),
    ]
    return details, rows
