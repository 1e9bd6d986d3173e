"""Loads the shipped pathway template (data/pathway.yaml) into the database, idempotently.

Only template rows are written. An outcome that disappears from the file is marked retired, never
deleted, because organisations' progress and actions refer to it.
"""

from pathlib import Path

import yaml
from django.db import transaction

from .models import Idea, Outcome, Resource, Stage

DATA_FILE = Path(__file__).parent / "data" / "pathway.yaml"


def _sync(model, lookup, values, counts):
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        counts["created"] += 1
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
        counts["updated"] += 1
    return obj


@transaction.atomic
def load_template(path=DATA_FILE):
    """Bring the template in line with the file. Returns {'created': n, 'updated': n, 'removed': n}."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    counts = {"created": 0, "updated": 0, "removed": 0}
    keys = [stage["key"] for stage in data["stages"]]
    # Free the positions first so reordering stages cannot collide on the unique position.
    moved = Stage.objects.filter(key__in=keys).exclude(position__in=[i for i, _ in enumerate(keys, start=1)])
    for stage in moved:
        stage.position += 1000
        stage.save(update_fields=["position"])
    outcome_keys = []
    for position, item in enumerate(data["stages"], start=1):
        stage = _sync(
            Stage,
            {"key": item["key"]},
            {"position": position, "name": item["name"], "reflective_question": item["reflective_question"]},
            counts,
        )
        for index, outcome in enumerate(item["outcomes"], start=1):
            outcome_keys.append(outcome["key"])
            _sync(
                Outcome,
                {"key": outcome["key"]},
                {"stage": stage, "position": index, "text": outcome["text"], "retired": False},
                counts,
            )
        for index, text in enumerate(item.get("ideas", []), start=1):
            _sync(Idea, {"stage": stage, "position": index}, {"text": text}, counts)
        counts["removed"] += Idea.objects.filter(stage=stage, position__gt=len(item.get("ideas", []))).delete()[0]
        for group, entries in (
            (Resource.Group.PATHWAY, item.get("resources", [])),
            (Resource.Group.CHILDRENS_TOOLS, item.get("childrens_tools", [])),
        ):
            for index, entry in enumerate(entries, start=1):
                values = {name: entry.get(name, "") for name in ("title", "description", "url", "source")}
                _sync(Resource, {"stage": stage, "group": group, "position": index}, values, counts)
            counts["removed"] += Resource.objects.filter(stage=stage, group=group, position__gt=len(entries)).delete()[0]
    counts["removed"] += Outcome.objects.exclude(key__in=outcome_keys).filter(retired=False).update(retired=True)
    return counts
