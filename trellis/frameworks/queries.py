"""Reads over many rows of frameworks."""

import uuid
from collections import Counter, defaultdict

from django.db.models import Count, Q, QuerySet

from trellis.tenancy.models import TenantQuerySet


def _available(prefix, organisation_id):
    return Q(**{f"{prefix}organisation__isnull": True}) | Q(**{f"{prefix}organisation_id": organisation_id})


class FrameworkQuerySet(QuerySet):
    def available_to(self, organisation):
        """Shipped frameworks and the organisation's own: the only way pages should list frameworks."""
        return self.filter(_available("", organisation.pk))

    def visible_to(self, membership):
        return self.filter(_available("", membership.organisation_id))

    def shipped(self):
        return self.filter(organisation__isnull=True)


class FrameworkVersionQuerySet(QuerySet):
    def visible_to(self, membership):
        return self.filter(_available("framework__", membership.organisation_id)).select_related("framework")


class StandardQuerySet(QuerySet):
    def visible_to(self, membership):
        return self.filter(_available("version__framework__", membership.organisation_id)).select_related("version__framework")


class StatementQuerySet(QuerySet):
    def visible_to(self, membership):
        return self.filter(_available("standard__version__framework__", membership.organisation_id)).select_related(
            "standard__version__framework"
        )


class FrameworkInUseQuerySet(TenantQuerySet):
    def active(self):
        return self.filter(is_active=True)

    def for_person(self, staff):
        """The frameworks a person works against: in use, for their service or for both."""
        return self.active().filter(service__in=[staff.service, "any"]).select_related("version__framework")

    def for_rows(self):
        return self.select_related("version__framework")


class FrameworkImportQuerySet(TenantQuerySet):
    pass


# --- What else in Trellis points at frameworks --------------------------------------------------------

# How each frameworks model reaches a version, a standard and a statement, for counting what other
# apps' rows point at them.
_TO_VERSION = {
    "FrameworkVersion": "",
    "Standard": "version",
    "Statement": "standard__version",
    "FrameworkInUse": "version",
    "RatingLevel": "framework_in_use__version",
}
_TO_STANDARD = {"Standard": "", "Statement": "standard"}
_TO_STATEMENT = {"Statement": ""}
_TO_LEVEL = {"RatingLevel": ""}


def _uses(paths, ids):
    """{id: Counter({("self-assessment rating", "self-assessment ratings"): 12, ...})}: rows outside
    this app pointing at the given rows (or at rows under them), by the other model's names.

    Found from the models' reverse relations rather than named, so frameworks need not import the
    apps built on it (assessment, learning, mentoring...): whatever they add is counted, however its
    foreign key deletes. One query per relation, whatever the number of ids.
    """
    from django.apps import apps

    ids = list(ids)
    found = defaultdict(Counter)
    if not ids:
        return found
    for name, path in paths.items():
        for relation in _pointing_in(apps.get_model("frameworks", name)):
            other = relation.related_model
            lookup = "__".join(part for part in (relation.field.name, path) if part)
            what = (str(other._meta.verbose_name), str(other._meta.verbose_name_plural))
            # The base manager: these are any organisation's rows (a shipped version is shared), and
            # other apps' tenant managers refuse to run outside a scope.
            rows = other._base_manager.filter(**{f"{lookup}__in": ids}).values_list(lookup).annotate(n=Count("pk")).order_by()
            for pk, n in rows:
                found[uuid.UUID(str(pk))][what] += n
    return found


def _pointing_in(model):
    """Other apps' foreign keys and many-to-many fields that point at `model`, including those with
    no reverse name (related_name="+"), but not record history (django-simple-history keeps a
    deleted rating's history, which is not a use) nor the tables behind many-to-many fields."""
    for relation in model._meta.get_fields(include_hidden=True):
        if not (relation.is_relation and relation.auto_created and not relation.concrete):
            continue
        other = relation.related_model
        if other._meta.app_label == "frameworks" or other._meta.auto_created or hasattr(other, "instance_type"):
            continue
        yield relation


def uses_elsewhere(version_ids):
    """What points at each version, its standards and statements, or the rating scales used with it.
    A version with any use has been rated against: its standards are fixed, and a revision is a new
    version."""
    return _uses(_TO_VERSION, version_ids)


def standards_used_elsewhere(standard_ids):
    return set(_uses(_TO_STANDARD, standard_ids))


def statements_used_elsewhere(statement_ids):
    return set(_uses(_TO_STATEMENT, statement_ids))


def rating_level_uses(level_ids):
    return _uses(_TO_LEVEL, level_ids)


def describe_uses(counter):
    """ "12 standard ratings, 1 course" from the counts above."""
    return ", ".join(f"{n} {one if n == 1 else many}" for (one, many), n in sorted(counter.items()))
