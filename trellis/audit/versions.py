"""Optimistic locking: a save based on an out-of-date copy is refused, with what changed meanwhile.

Versioned models carry a `version` integer and django-simple-history records, so the copy an editor
started from can be compared with what is saved now.
"""

from django.db import models


class VersionedModel(models.Model):
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class StaleEdit(Exception):
    """Someone else saved the record after this editor opened it."""

    def __init__(self, current, changes):
        self.current = current
        self.changes = changes  # [(field label, value the editor saw, value now)]
        super().__init__(f"{current} was changed by someone else")

    @property
    def changed_by(self):
        return getattr(self.current, "updated_by", None)


def _display(obj, field):
    if field.choices:
        return dict(field.flatchoices).get(getattr(obj, field.attname), getattr(obj, field.attname))
    if field.is_relation:
        return str(getattr(obj, field.name) or "")
    value = getattr(obj, field.attname)
    return "" if value is None else value


def ensure_current(locked, expected_version, fields):
    """Raise StaleEdit unless `locked` (selected for update) is still at `expected_version`."""
    if expected_version is None or int(expected_version) == locked.version:
        return
    seen = locked.history.filter(version=expected_version).order_by("-history_date").first()
    changes = []
    for name in fields:
        field = locked._meta.get_field(name)
        now = _display(locked, field)
        then = _display(seen, field) if seen is not None else "(unknown)"
        if then != now:
            changes.append((field.verbose_name.capitalize(), then, now))
    raise StaleEdit(locked, changes)


def rebase_form(form, stale):
    """After a StaleEdit: keep what the person typed, but move the form onto the latest version, so
    that saving again is a deliberate choice made after seeing the other change. Returns `stale`."""
    form.data = form.data.copy()
    form.data["version"] = stale.current.version
    return stale
