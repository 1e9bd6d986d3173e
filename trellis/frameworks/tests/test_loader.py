"""The shipped frameworks: loaded idempotently, confirmed headings only, updates in place."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from trellis.frameworks import loader
from trellis.frameworks.loader import DATA_DIR, LoaderError, load_frameworks
from trellis.frameworks.models import Framework, FrameworkVersion, Standard, Statement

# The headings the project's reference notes confirm word for word (domain.md §1.2 and §2.2, [C]),
# with the page each was confirmed on. Nothing else may ship.
CONFIRMED = {
    "practice-supervisor-kss": {
        "4": (
            "Effective use of power and authority",
            "https://www.ccinform.co.uk/practice-supervisor-kss-4-effective-use-of-power-and-authority/",
        ),
        "7": (
            "Emotionally intelligent practice supervision",
            "https://www.ccinform.co.uk/practice-supervisor-kss-7-emotionally-intelligent-practice-supervision/",
        ),
    },
    "adult-practice-supervisor-pqs": {
        "3": (
            "Developing confident and capable social workers",
            "https://www.ripfa.org.uk/resources/kss-for-social-work-practice-supervisors-in-adult-social-care-resource-mapping/developing-confident-and-capable-social-workers/",
        ),
        "4": (
            "Assuring good social work practice and development",
            "https://www.ripfa.org.uk/resources/kss-for-social-work-practice-supervisors-in-adult-social-care-resource-mapping/assuring-good-social-work-practice-and-development/",
        ),
        "5": (
            "Promoting and supporting critical analysis and decision making",
            "https://www.ripfa.org.uk/resources/kss-for-social-work-practice-supervisors-in-adult-social-care-resource-mapping/promoting-and-supporting-critical-analysis-and-decision-making/",
        ),
        "6": (
            "Relationship-based practice supervision",
            "https://www.ripfa.org.uk/resources/kss-for-social-work-practice-supervisors-in-adult-social-care-resource-mapping/relationship-based-practice-supervision/",
        ),
        "7": (
            "Effective use of power and authority as a practice supervisor",
            "https://www.ripfa.org.uk/resources/kss-for-social-work-practice-supervisors-in-adult-social-care-resource-mapping/effective-use-of-power-and-authority-as-a-practice-supervisor/",
        ),
    },
}


def row_counts():
    """Every table's row count, history included."""
    return {model._meta.label: model._base_manager.count() for model in apps.get_models()}


def test_loading_twice_changes_nothing(db):
    counts, warnings = load_frameworks()
    assert counts == {"created": 11, "updated": 0, "removed": 0, "kept": 0}  # 2 frameworks, 2 versions, 7 standards
    assert warnings == []
    before = row_counts()
    assert load_frameworks() == ({"created": 0, "updated": 0, "removed": 0, "kept": 0}, [])
    assert row_counts() == before


def test_only_the_confirmed_headings_ship_each_checked_and_cited(db):
    load_frameworks()
    for key, confirmed in CONFIRMED.items():
        standards = Standard.objects.filter(version__framework__key=key, version__framework__organisation=None)
        assert {s.number: (s.title, s.citation) for s in standards} == confirmed
        assert all(s.is_checked for s in standards)
    assert not Statement.objects.filter(standard__version__framework__organisation=None).exists()


def test_each_shipped_version_says_what_is_missing_and_where_it_comes_from(db):
    load_frameworks()
    children = FrameworkVersion.objects.get(framework__key="practice-supervisor-kss")
    adults = FrameworkVersion.objects.get(framework__key="adult-practice-supervisor-pqs")
    assert children.missing_standards == ["1", "2", "3", "5", "6", "8"]
    assert children.missing_text == "1, 2, 3, 5, 6 and 8"
    assert adults.missing_standards == ["1", "2", "8"]
    for version in (children, adults):
        assert version.label == "2018"
        assert version.source_url.startswith("https://") and "gov.uk/government/publications/" in version.source_url
        assert "Not included: standards" in version.checked_note
        assert "statements" in version.checked_note
        assert version.effective_from is not None and version.effective_to is None
    assert children.framework.service == "children" and children.framework.publisher == "Department for Education"
    assert adults.framework.service == "adults" and adults.framework.publisher == "Department of Health and Social Care"


@pytest.fixture
def data_dir(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_changed_file_updates_the_text_in_place(db, data_dir):
    load_frameworks(data_dir)
    standard = Standard.objects.get(version__framework__key="adult-practice-supervisor-pqs", number="6")
    _edit(
        data_dir / "adult-practice-supervisor-pqs-2018.yaml",
        "title: Relationship-based practice supervision",
        "title: Relationship based practice supervision",
    )
    counts, _warnings = load_frameworks(data_dir)
    assert counts == {"created": 0, "updated": 1, "removed": 0, "kept": 0}
    standard.refresh_from_db()
    assert standard.title == "Relationship based practice supervision"
    assert standard.revision == 2


def test_reordering_standards_in_the_file_reorders_them(db, data_dir):
    load_frameworks(data_dir)
    path = data_dir / "practice-supervisor-kss-2018.yaml"
    text = path.read_text(encoding="utf-8")
    head, standards = text.split("standards:\n  - ")
    four, seven = standards.split("\n  - ")
    path.write_text(f"{head}standards:\n  - {seven.rstrip()}\n  - {four}\n", encoding="utf-8")
    load_frameworks(data_dir)
    assert list(
        Standard.objects.filter(version__framework__key="practice-supervisor-kss")
        .order_by("position")
        .values_list("number", flat=True)
    ) == ["7", "4"]


def test_a_standard_taken_out_of_the_file_is_deleted_unless_people_rated_against_it(db, data_dir, monkeypatch):
    load_frameworks(data_dir)
    path = data_dir / "practice-supervisor-kss-2018.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index('  - number: "7"')], encoding="utf-8")
    seven = Standard.objects.get(version__framework__key="practice-supervisor-kss", number="7")

    monkeypatch.setattr(loader, "standards_used_elsewhere", lambda ids: {seven.pk} & set(ids))
    counts, warnings = load_frameworks(data_dir)
    assert counts["kept"] == 1 and counts["removed"] == 0
    assert "people have rated against it, so it was kept" in warnings[0]
    assert Standard.objects.filter(pk=seven.pk).exists()

    monkeypatch.setattr(loader, "standards_used_elsewhere", lambda ids: set())
    counts, warnings = load_frameworks(data_dir)
    assert counts["removed"] == 1 and warnings == []
    assert not Standard.objects.filter(pk=seven.pk).exists()


def test_unchecked_or_uncited_wording_is_never_shipped(db, data_dir):
    _edit(
        data_dir / "practice-supervisor-kss-2018.yaml",
        "    checked: yes\n    citation: https://www.ccinform.co.uk/practice-supervisor-kss-7",
        "    checked: no\n    citation: https://www.ccinform.co.uk/practice-supervisor-kss-7",
    )
    with pytest.raises(LoaderError, match="standard 7 must be checked against the published text"):
        load_frameworks(data_dir)
    assert not Framework.objects.exists()


def test_a_broken_file_is_refused_with_its_line(db, data_dir):
    _edit(data_dir / "adult-practice-supervisor-pqs-2018.yaml", 'label: "2018"', "label:")
    with pytest.raises(LoaderError, match=r"adult-practice-supervisor-pqs-2018.yaml, line \d+: Enter the version"):
        load_frameworks(data_dir)


def test_the_command_reports_what_it_did(db):
    out = StringIO()
    call_command("load_frameworks", stdout=out)
    assert "Frameworks: 11 created, 0 updated, 0 removed" in out.getvalue()
    out = StringIO()
    call_command("load_frameworks", stdout=out)
    assert "Frameworks: 0 created, 0 updated, 0 removed" in out.getvalue()


def test_the_shipped_files_are_the_import_format(db):
    """An organisation can import a shipped file as its own (less the shipped-only key)."""
    from trellis.frameworks import fileformat

    for path in Path(DATA_DIR).glob("*.yaml"):
        parsed = fileformat.parse(path.read_text(encoding="utf-8"), "yaml")
        assert [p.message for p in parsed.problems] == [
            "'key' is not a field of framework. Use name, short_name, service, publisher, description."
        ]
