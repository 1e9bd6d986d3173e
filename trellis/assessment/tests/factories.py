"""Frameworks in use for the assessment tests, made directly: the frameworks app's own actions are
tested there, and these tests need a known, small framework (some with statements)."""

import itertools

from trellis.frameworks.models import (
    DEFAULT_RATING_SCALE,
    Framework,
    FrameworkInUse,
    FrameworkVersion,
    RatingLevel,
    Standard,
    Statement,
)

_keys = itertools.count(1)


def framework_in_use(organisation, *, standards=3, statements=0, service="any", name=None, scale=DEFAULT_RATING_SCALE):
    """A framework of the organisation's own with `standards` numbered 1, 2, ... (each with
    `statements` numbered 1.1, 1.2, ...), in use for `service`, with the default rating scale."""
    n = next(_keys)
    framework = Framework.objects.create(
        organisation=organisation,
        key=f"test-framework-{n}",
        name=name or f"Test standards {n}",
        short_name=f"TS{n}",
        service=service,
    )
    version = FrameworkVersion.objects.create(framework=framework, label="2026")
    for i in range(1, standards + 1):
        standard = Standard.objects.create(version=version, number=str(i), title=f"Standard number {i}", position=i)
        for j in range(1, statements + 1):
            Statement.objects.create(standard=standard, number=f"{i}.{j}", text=f"Statement {i}.{j} text", position=j)
    in_use = FrameworkInUse.objects.create(organisation=organisation, version=version, service=service)
    for value, label, description in scale:
        RatingLevel.objects.create(
            organisation=organisation, framework_in_use=in_use, value=value, label=label, description=description
        )
    return in_use


def levels(in_use):
    """{label: RatingLevel} of a framework in use's scale."""
    return {level.label: level for level in RatingLevel.objects.filter(framework_in_use=in_use)}
