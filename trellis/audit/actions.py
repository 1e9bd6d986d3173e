"""record_event: the one way anything is written to the audit trail."""

import datetime
import decimal
import uuid

from django.db import models

from .models import AuditEvent, target_type_of


def _plain(value):
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, (uuid.UUID, decimal.Decimal)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def snapshot(obj, fields):
    """The values of `fields` on `obj`, for diffing before and after a change. Choices are kept as
    their labels so the trail reads as people saw it ("In progress", not "in_progress")."""
    values = {}
    for name in fields:
        field = obj._meta.get_field(name)
        values[name] = getattr(obj, f"get_{name}_display")() if field.choices else getattr(obj, name)
    return values


def diff(before, after):
    """{field: [before, after]} for the fields whose values differ, in JSON-safe form."""
    return {
        name: [_plain(before.get(name)), _plain(after.get(name))]
        for name in {**before, **after}
        if before.get(name) != after.get(name)
    }


def record_event(*, actor, verb, target, changes=None, organisation=None):
    """Record that `actor` (a Membership, a User or None for the system) did `verb` to `target`."""
    user = getattr(actor, "user", actor)
    if organisation is None:
        organisation = getattr(actor, "organisation", None) or getattr(target, "organisation", None)
    return AuditEvent.objects.with_scopes_disabled().create(
        organisation=organisation,
        actor=user,
        actor_name=str(user) if user else "Trellis",
        verb=verb,
        target_type=target_type_of(target),
        target_id=str(target.pk),
        target_repr=str(target)[:300],
        changes={k: _plain(v) for k, v in (changes or {}).items()},
    )
