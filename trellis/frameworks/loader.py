"""Loads the shipped frameworks (data/*.yaml) into the database, idempotently.

Each file is one version of one framework, in the same format organisations import (fileformat.py),
plus the framework's stable `key`. Frameworks are matched by key, versions by label, standards by
number within their version, statements by number within their standard. Changed text is updated in
place. A standard or statement taken out of the file is deleted, unless anything in Trellis points at
it (people have rated against it): then it stays, and the loader says so, because the way to revise
a framework people have used is a new version in a new file.

Shipped content must be checked: a file whose standards or statements are not marked checked, or
have no citation, is refused.
"""

from pathlib import Path

from django.db import transaction

from . import fileformat
from .models import Framework, FrameworkVersion, Standard, Statement
from .queries import standards_used_elsewhere, statements_used_elsewhere

DATA_DIR = Path(__file__).parent / "data"


class LoaderError(Exception):
    pass


def read_files(directory=DATA_DIR):
    """[(path, FrameworkFile)] for every shipped file, or LoaderError listing every problem."""
    problems, files = [], []
    for path in sorted(Path(directory).glob("*.yaml")):
        parsed = fileformat.parse(path.read_text(encoding="utf-8"), "yaml", shipped=True)
        for problem in parsed.problems:
            problems.append(f"{path.name}, line {problem.line or '-'}: {problem.message}")
        for standard in parsed.standards:
            rows = [(f"standard {standard.number}", standard), *((f"statement {s.number}", s) for s in standard.statements)]
            for what, row in rows:
                if not (row.is_checked and row.citation):
                    problems.append(
                        f"{path.name}, line {row.line}: {what} must be checked against the published text and cite "
                        "where. Unchecked wording is never shipped: leave it out and list it as not included."
                    )
        files.append((path, parsed))
    if problems:
        raise LoaderError("The shipped framework files have problems:\n" + "\n".join(problems))
    return files


def _sync(obj, values):
    """Set changed values; True when something changed (and was saved, with a new revision)."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if not changed:
        return False
    for name in changed:
        setattr(obj, name, values[name])
    obj.revision += 1
    obj.save()
    return True


FRAMEWORK_FIELDS = ("name", "short_name", "service", "publisher", "description")
VERSION_FIELDS = ("effective_from", "effective_to", "source", "source_url", "checked_note", "missing_standards")


@transaction.atomic
def load_frameworks(directory=DATA_DIR):
    """Bring the shipped frameworks in line with the files. Returns counts of rows created, updated,
    removed, and kept (taken out of a file but still rated against), and a list of warnings."""
    counts = {"created": 0, "updated": 0, "removed": 0, "kept": 0}
    warnings = []
    details_by_key = {}
    for path, parsed in read_files(directory):
        details = parsed.details
        key = details["key"]
        framework_values = {name: details[name] for name in FRAMEWORK_FIELDS}
        if key in details_by_key and details_by_key[key][1] != framework_values:
            raise LoaderError(
                f"{path.name} and {details_by_key[key][0]} are versions of framework {key} but describe it differently. "
                "Make the framework section the same in both."
            )
        details_by_key[key] = (path.name, framework_values)
        framework = Framework.objects.filter(organisation__isnull=True, key=key).first()
        if framework is None:
            framework = Framework.objects.create(key=key, **framework_values)
            counts["created"] += 1
        elif _sync(framework, framework_values):
            counts["updated"] += 1
        version_values = {name: details[name] for name in VERSION_FIELDS}
        version = FrameworkVersion.objects.filter(framework=framework, label=details["label"]).first()
        if version is None:
            version = FrameworkVersion.objects.create(framework=framework, label=details["label"], **version_values)
            counts["created"] += 1
        elif _sync(version, version_values):
            counts["updated"] += 1
        _sync_standards(version, parsed.standards, counts, warnings)
    return counts, warnings


def _sync_standards(version, rows, counts, warnings):
    existing = {standard.number: standard for standard in Standard.objects.filter(version=version)}
    wanted = {row.number for row in rows}
    gone = [standard for number, standard in existing.items() if number not in wanted]
    used = standards_used_elsewhere([standard.pk for standard in gone])
    for standard in gone:
        if standard.pk in used:
            counts["kept"] += 1
            warnings.append(
                f"{version}: standard {standard.number} is no longer in the file but people have rated against it, "
                "so it was kept. To revise a framework people have used, ship a new version."
            )
        else:
            standard.delete()
            counts["removed"] += 1
    # (version, position) is unique: move the rows being renumbered out of the way first. Standards
    # that were kept go after the file's, in their old order.
    kept = sorted((s for s in gone if s.pk in used), key=lambda s: s.position)
    order = [*((row.number, position) for position, row in enumerate(rows, start=1))]
    order += [(s.number, len(rows) + index) for index, s in enumerate(kept, start=1)]
    moving = [existing[number] for number, position in order if number in existing and existing[number].position != position]
    for standard in moving:
        standard.position += 1000
    Standard.objects.bulk_update(moving, ["position"])
    positions = dict(order)
    for standard in kept:
        if standard.position != positions[standard.number]:
            standard.position = positions[standard.number]
            standard.save(update_fields=["position"])
    for row in rows:
        values = {"title": row.title, "is_checked": row.is_checked, "citation": row.citation, "position": positions[row.number]}
        standard = existing.get(row.number)
        if standard is None:
            standard = Standard.objects.create(version=version, number=row.number, **values)
            counts["created"] += 1
        elif _sync(standard, values):
            counts["updated"] += 1
        _sync_statements(standard, row.statements, counts, warnings)


def _sync_statements(standard, rows, counts, warnings):
    existing = {statement.number: statement for statement in Statement.objects.filter(standard=standard)}
    wanted = {row.number for row in rows}
    gone = [statement for number, statement in existing.items() if number not in wanted]
    used = statements_used_elsewhere([statement.pk for statement in gone])
    for statement in gone:
        if statement.pk in used:
            counts["kept"] += 1
            warnings.append(
                f"{standard.version}: statement {statement.number} is no longer in the file but people have rated "
                "against it, so it was kept. To revise a framework people have used, ship a new version."
            )
        else:
            statement.delete()
            counts["removed"] += 1
    for position, row in enumerate(rows, start=1):
        values = {"text": row.text, "is_checked": row.is_checked, "citation": row.citation, "position": position}
        statement = existing.get(row.number)
        if statement is None:
            Statement.objects.create(standard=standard, number=row.number, **values)
            counts["created"] += 1
        elif _sync(statement, values):
            counts["updated"] += 1
