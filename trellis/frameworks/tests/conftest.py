import pytest

from trellis.frameworks import actions
from trellis.frameworks.loader import load_frameworks
from trellis.frameworks.models import Framework, FrameworkVersion


@pytest.fixture
def shipped(db):
    """The shipped frameworks, loaded: {"children": version, "adults": version}."""
    load_frameworks()
    return {
        "children": FrameworkVersion.objects.get(framework__key="practice-supervisor-kss", framework__organisation=None),
        "adults": FrameworkVersion.objects.get(framework__key="adult-practice-supervisor-pqs", framework__organisation=None),
    }


@pytest.fixture
def own(admin):
    """own(name="...", standards={"1": ["1.1 text", ...]}) -> an organisation's own version, through the actions."""

    def make(name="Northshire practice supervision standards", standards=None, label="2026", service="adults"):
        _framework, version = actions.create_framework(actor=admin, name=name, short_name=name[:60], service=service, label=label)
        for number, texts in (standards or {"1": ["First statement."], "2": []}).items():
            standard = actions.add_standard(version, actor=admin, number=number, title=f"Standard {number}")
            for index, text in enumerate(texts, start=1):
                actions.add_statement(standard, actor=admin, number=f"{number}.{index}", text=text)
        return version

    return make


def shipped_framework(key):
    return Framework.objects.get(organisation=None, key=key)
