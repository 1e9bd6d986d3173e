"""Every write to frameworks: what is in force, rating scales, an organisation's own frameworks, imports."""

import datetime
from collections import Counter

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

from trellis.audit.models import AuditEvent
from trellis.audit.versions import StaleEdit
from trellis.frameworks import actions
from trellis.frameworks.models import (
    Framework,
    FrameworkImport,
    FrameworkInUse,
    FrameworkVersion,
    RatingLevel,
    Standard,
    Statement,
)
from trellis.tenancy.tests.factories import OrganisationFactory

IMPORT_CSV = """Framework name,Riverside practice standards
Short name,Riverside standards
Service,children
Version,2026
In force from,01/04/2026

Standard,Statement,Text
1,,Relationship-based supervision
1,1.1,I know each practitioner's strengths.
2,,Keeping children at the centre
2,2.1,I ask what life is like for the child.
2,2.2,I challenge drift and delay.
"""


def labels(in_use):
    return list(RatingLevel.objects.filter(framework_in_use=in_use).order_by("value").values_list("label", flat=True))


def row_counts():
    return {model._meta.label: model._base_manager.count() for model in apps.get_models()}


# --- Frameworks in force on first use -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("services", "expected"),
    [
        ("adults", {("adult-practice-supervisor-pqs", "adults")}),
        ("children", {("practice-supervisor-kss", "children")}),
        ("both", {("adult-practice-supervisor-pqs", "adults"), ("practice-supervisor-kss", "children")}),
    ],
)
def test_an_organisation_starts_with_the_shipped_framework_for_its_services(db, services, expected):
    organisation = OrganisationFactory(services=services)
    assert actions.ensure_frameworks_in_use(organisation) is True  # loads the shipped frameworks if need be
    rows = FrameworkInUse.objects.filter(organisation=organisation).select_related("version__framework")
    assert {(row.version.framework.key, row.service) for row in rows} == expected
    for row in rows:
        assert labels(row) == ["Not yet", "Developing", "Confident", "Can support others"]
    assert AuditEvent.objects.filter(organisation=organisation, verb="put the default frameworks in force").count() == 1


def test_the_defaults_arrive_once_and_never_undo_an_admins_choice(org, admin, shipped):
    assert actions.ensure_frameworks_in_use(org) is True
    in_use = FrameworkInUse.objects.get(organisation=org)
    actions.stop_using(in_use, actor=admin)
    assert actions.ensure_frameworks_in_use(org) is False
    assert FrameworkInUse.objects.filter(organisation=org, is_active=True).count() == 0


# --- Putting a version in force -----------------------------------------------------------------------


def test_putting_a_version_in_force_gives_it_the_default_scale(org, admin, shipped):
    in_use = actions.put_in_force(shipped["children"], actor=admin, service="any")
    assert in_use.is_active and in_use.service == "any" and in_use.organisation == org
    assert labels(in_use) == ["Not yet", "Developing", "Confident", "Can support others"]
    assert AuditEvent.objects.filter(verb="put in force", target_id=str(in_use.pk)).exists()


def test_a_version_already_in_force_is_not_put_in_force_twice(admin, shipped):
    actions.put_in_force(shipped["children"], actor=admin, service="children")
    with pytest.raises(ValidationError, match="already in force for children"):
        actions.put_in_force(shipped["children"], actor=admin, service="adults")


def test_a_version_put_back_in_force_keeps_its_scale(admin, shipped):
    in_use = actions.put_in_force(shipped["adults"], actor=admin, service="adults")
    level = RatingLevel.objects.get(framework_in_use=in_use, value=3)
    actions.update_rating_level(level, actor=admin, expected_version=level.version, label="Secure")
    actions.stop_using(in_use, actor=admin)
    again = actions.put_in_force(shipped["adults"], actor=admin, service="any")
    assert again.pk == in_use.pk and again.is_active and again.service == "any"
    assert labels(again)[2] == "Secure"


def test_only_admins_choose_what_is_in_force(leader, supervisor, shipped, admin):
    for member in (leader, supervisor):
        with pytest.raises(PermissionDenied):
            actions.put_in_force(shipped["adults"], actor=member, service="adults")
    in_use = actions.put_in_force(shipped["adults"], actor=admin, service="adults")
    with pytest.raises(PermissionDenied):
        actions.change_in_use(in_use, actor=leader, expected_revision=in_use.revision, service="any")
    with pytest.raises(PermissionDenied):
        actions.stop_using(in_use, actor=leader)


def test_changing_who_works_against_it_refuses_a_stale_edit(admin, member_with, shipped):
    other_admin = member_with("org_admin")
    in_use = actions.put_in_force(shipped["adults"], actor=admin, service="adults")
    opened = in_use.revision
    actions.change_in_use(in_use, actor=other_admin, expected_revision=opened, service="any")
    with pytest.raises(StaleEdit) as stale:
        actions.change_in_use(in_use, actor=admin, expected_revision=opened, service="children")
    assert stale.value.changes == [("For", "Adults", "Adults and children")]
    in_use.refresh_from_db()
    assert in_use.service == "any"


def test_another_organisations_own_version_cannot_be_put_in_force(admin, outsider):
    _framework, version = actions.create_framework(
        actor=outsider, name="Southvale standards", short_name="SV", service="any", label="1"
    )
    with pytest.raises(ValueError, match="another organisation"):
        actions.put_in_force(version, actor=admin, service="any")


# --- Rating scales ------------------------------------------------------------------------------------


@pytest.fixture
def scale(admin, shipped):
    return actions.put_in_force(shipped["adults"], actor=admin, service="adults")


def test_rename_and_describe_a_level(admin, scale):
    level = RatingLevel.objects.get(framework_in_use=scale, value=1)
    actions.update_rating_level(level, actor=admin, expected_version=level.version, label="Emerging", description="New to this.")
    level.refresh_from_db()
    assert (level.label, level.description, level.version) == ("Emerging", "New to this.", 2)
    event = AuditEvent.objects.get(verb="updated", target_id=str(level.pk))
    assert event.changes["label"] == ["Not yet", "Emerging"]


def test_a_level_name_is_used_once_per_scale(admin, scale):
    level = RatingLevel.objects.get(framework_in_use=scale, value=1)
    with pytest.raises(ValidationError) as error:
        actions.update_rating_level(level, actor=admin, expected_version=level.version, label="confident")
    assert error.value.message_dict == {"label": ["The scale already has a level called confident. Enter a different name."]}
    with pytest.raises(ValidationError):
        actions.add_rating_level(scale, actor=admin, label="Developing")


def test_renaming_a_level_someone_else_renamed_is_refused(admin, member_with, scale):
    level = RatingLevel.objects.get(framework_in_use=scale, value=2)
    opened = level.version
    actions.update_rating_level(level, actor=member_with("org_admin"), expected_version=opened, label="Growing")
    with pytest.raises(StaleEdit) as stale:
        actions.update_rating_level(level, actor=admin, expected_version=opened, label="Building")
    assert stale.value.changes == [("Label", "Developing", "Growing")]


def test_add_a_level_at_the_top_and_move_it_into_place(admin, scale):
    level = actions.add_rating_level(scale, actor=admin, label="Expert", description="Teaches it.")
    assert level.value == 5
    assert actions.move_rating_level(level, actor=admin, direction="down") is True
    assert labels(scale) == ["Not yet", "Developing", "Confident", "Expert", "Can support others"]
    bottom = RatingLevel.objects.get(framework_in_use=scale, value=1)
    assert actions.move_rating_level(bottom, actor=admin, direction="down") is False
    assert actions.move_rating_level(bottom, actor=admin, direction="up") is True
    assert labels(scale) == ["Developing", "Not yet", "Confident", "Expert", "Can support others"]


def test_a_scale_has_at_most_ten_levels(admin, scale):
    for n in range(6):
        actions.add_rating_level(scale, actor=admin, label=f"Extra {n}")
    with pytest.raises(ValidationError, match="at most 10 levels"):
        actions.add_rating_level(scale, actor=admin, label="One too many")


def test_remove_an_unused_level_and_the_scale_closes_up(admin, scale):
    level = RatingLevel.objects.get(framework_in_use=scale, value=2)
    actions.remove_rating_level(level, actor=admin)
    assert list(RatingLevel.objects.filter(framework_in_use=scale).order_by("value").values_list("value", "label")) == [
        (1, "Not yet"),
        (2, "Confident"),
        (3, "Can support others"),
    ]
    assert AuditEvent.objects.filter(verb="removed rating level", target_id=str(level.pk)).exists()


def test_a_scale_keeps_at_least_two_levels(admin, scale):
    for value in (4, 3):
        actions.remove_rating_level(RatingLevel.objects.get(framework_in_use=scale, value=value), actor=admin)
    with pytest.raises(ValidationError, match="at least two levels"):
        actions.remove_rating_level(RatingLevel.objects.get(framework_in_use=scale, value=1), actor=admin)


def test_a_level_people_have_rated_with_cannot_be_removed(admin, scale, monkeypatch):
    level = RatingLevel.objects.get(framework_in_use=scale, value=3)
    monkeypatch.setattr(
        actions, "rating_level_uses", lambda ids: {level.pk: Counter({("standard rating", "standard ratings"): 12})}
    )
    with pytest.raises(ValidationError) as error:
        actions.remove_rating_level(level, actor=admin)
    assert error.value.messages == ["Confident cannot be removed: 12 standard ratings use it. You can rename it instead."]
    assert RatingLevel.objects.filter(pk=level.pk).exists()


def test_a_protected_level_is_explained_not_an_error_page(admin, scale, monkeypatch):
    """Assessment's ratings point at a level with on_delete=PROTECT: if the count above missed one,
    the database's refusal is still explained."""
    level = RatingLevel.objects.get(framework_in_use=scale, value=3)

    def protected(self, *args, **kwargs):
        raise models.ProtectedError("protected", {object(), object()})

    monkeypatch.setattr(RatingLevel, "delete", protected)
    with pytest.raises(ValidationError) as error:
        actions.remove_rating_level(level, actor=admin)
    assert error.value.messages == ["Confident cannot be removed: 2 records in Trellis use it. You can rename it instead."]
    assert labels(scale) == ["Not yet", "Developing", "Confident", "Can support others"]


def test_only_admins_edit_a_scale(leader, scale):
    level = RatingLevel.objects.get(framework_in_use=scale, value=1)
    for action, kwargs in (
        (actions.update_rating_level, {"expected_version": 1, "label": "X"}),
        (actions.move_rating_level, {"direction": "up"}),
        (actions.remove_rating_level, {}),
    ):
        with pytest.raises(PermissionDenied):
            action(level, actor=leader, **kwargs)
    with pytest.raises(PermissionDenied):
        actions.add_rating_level(scale, actor=leader, label="X")


# --- An organisation's own frameworks -----------------------------------------------------------------


def test_type_a_framework_standard_by_standard(org, admin):
    framework, version = actions.create_framework(
        actor=admin,
        name="Northshire practice supervision standards",
        short_name="Northshire standards",
        service="adults",
        label="2026",
        effective_from=datetime.date(2026, 4, 1),
    )
    assert framework.organisation == org and framework.key == "northshire-standards" and framework.created_by == admin
    one = actions.add_standard(version, actor=admin, number="1", title="Leading reflective supervision")
    two = actions.add_standard(version, actor=admin, number="2", title="Developing the team")
    first = actions.add_statement(one, actor=admin, number="1.1", text="I agree a supervision agreement.")
    second = actions.add_statement(one, actor=admin, number="1.2", text="I protect time for reflection.")
    assert (one.position, two.position, first.position, second.position) == (1, 2, 1, 2)
    actions.move_standard(two, actor=admin, direction="up")
    actions.move_statement(second, actor=admin, direction="up")
    assert list(Standard.objects.filter(version=version).order_by("position").values_list("number", flat=True)) == ["2", "1"]
    assert list(Statement.objects.filter(standard=one).order_by("position").values_list("number", flat=True)) == ["1.2", "1.1"]
    assert {e.verb for e in AuditEvent.objects.filter(organisation=org)} >= {
        "created framework",
        "created version",
        "added standard",
        "added statement",
        "moved standard up",
        "moved statement up",
    }


def test_a_framework_name_is_not_one_already_available(admin, shipped, own):
    own(name="Our standards")
    with pytest.raises(ValidationError, match="One of your frameworks is already called"):
        actions.create_framework(actor=admin, name="our standards", short_name="x", service="any", label="1")
    with pytest.raises(ValidationError, match="A framework that ships with Trellis is already called"):
        actions.create_framework(actor=admin, name=shipped["adults"].framework.name, short_name="x", service="any", label="1")


def test_numbers_are_unique_within_a_version_and_a_standard(admin, own):
    version = own()
    with pytest.raises(ValidationError) as error:
        actions.add_standard(version, actor=admin, number="1", title="Again")
    assert error.value.message_dict == {"number": ["There is already a standard 1. Enter a different number."]}
    standard = Standard.objects.get(version=version, number="1")
    with pytest.raises(ValidationError, match="already a statement under standard 1 numbered 1.1"):
        actions.add_statement(standard, actor=admin, number="1.1", text="Again")


def test_changing_a_standard_someone_else_changed_is_refused(admin, member_with, own):
    standard = Standard.objects.get(version=own(), number="1")
    opened = standard.revision
    actions.update_standard(standard, actor=member_with("org_admin"), expected_revision=opened, title="Leading supervision")
    with pytest.raises(StaleEdit) as stale:
        actions.update_standard(standard, actor=admin, expected_revision=opened, title="Leading reflective supervision")
    assert stale.value.changes == [("Title", "Standard 1", "Leading supervision")]


def test_changing_a_statement_keeps_its_history(admin, own):
    statement = Statement.objects.get(standard__version=own(), number="1.1")
    actions.update_statement(statement, actor=admin, expected_revision=statement.revision, text="Reworded.", is_checked=True)
    statement.refresh_from_db()
    assert statement.text == "Reworded." and statement.revision == 2
    assert statement.history.count() == 2


def test_removing_a_standard_removes_its_statements_and_closes_up(admin, own):
    version = own(standards={"1": ["a", "b"], "2": [], "3": []})
    actions.remove_standard(Standard.objects.get(version=version, number="1"), actor=admin)
    assert list(Standard.objects.filter(version=version).order_by("position").values_list("number", "position")) == [
        ("2", 1),
        ("3", 2),
    ]
    assert not Statement.objects.filter(standard__version=version).exists()
    actions.remove_statement  # noqa: B018 - statements are removed one by one too (see test_views)


def test_adding_a_missing_standard_takes_it_off_the_missing_list(admin, own):
    version = own()
    actions.update_version(version, actor=admin, expected_revision=version.revision, missing_standards=["3", "4"])
    actions.add_standard(version, actor=admin, number="3", title="Third")
    version.refresh_from_db()
    assert version.missing_standards == ["4"]


def test_a_version_cannot_list_as_missing_a_standard_it_has(admin, own):
    version = own()
    with pytest.raises(ValidationError) as error:
        actions.update_version(version, actor=admin, expected_revision=version.revision, missing_standards=["1"])
    assert "missing_standards" in error.value.message_dict


def test_version_details_refuse_dates_out_of_order_and_a_label_used_twice(admin, own):
    version = own(label="2026")
    actions.start_new_version(version, actor=admin, label="2027")
    with pytest.raises(ValidationError) as error:
        actions.update_version(version, actor=admin, expected_revision=version.revision, label="2027")
    assert "label" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        actions.update_version(
            version,
            actor=admin,
            expected_revision=version.revision,
            effective_from=datetime.date(2026, 4, 1),
            effective_to=datetime.date(2026, 3, 1),
        )
    assert "effective_to" in error.value.message_dict


def test_shipped_frameworks_are_never_changed_here(admin, shipped):
    version = shipped["adults"]
    standard = Standard.objects.filter(version=version).first()
    with pytest.raises(PermissionDenied, match="Frameworks that ship with Trellis cannot be changed"):
        actions.update_standard(standard, actor=admin, expected_revision=1, title="Changed")
    with pytest.raises(PermissionDenied):
        actions.add_standard(version, actor=admin, number="1", title="Guessed")
    with pytest.raises(PermissionDenied):
        actions.update_framework(version.framework, actor=admin, expected_revision=1, name="Changed")
    with pytest.raises(PermissionDenied):
        actions.delete_version(version, actor=admin)


def test_only_admins_of_its_organisation_change_an_own_framework(leader, outsider, own):
    version = own()
    standard = Standard.objects.get(version=version, number="1")
    for member in (leader, outsider):
        with pytest.raises(PermissionDenied):
            actions.update_standard(standard, actor=member, expected_revision=1, title="Changed")


def test_a_version_people_have_rated_against_is_fixed(admin, own, monkeypatch):
    version = own()
    standard = Standard.objects.get(version=version, number="1")
    statement = Statement.objects.get(standard=standard)
    monkeypatch.setattr(
        actions, "uses_elsewhere", lambda ids: {version.pk: Counter({("standard rating", "standard ratings"): 3})}
    )
    attempts = [
        lambda: actions.add_standard(version, actor=admin, number="9", title="New"),
        lambda: actions.update_standard(standard, actor=admin, expected_revision=1, title="Changed"),
        lambda: actions.move_standard(standard, actor=admin, direction="down"),
        lambda: actions.remove_standard(standard, actor=admin),
        lambda: actions.add_statement(standard, actor=admin, number="1.9", text="New"),
        lambda: actions.update_statement(statement, actor=admin, expected_revision=1, text="Changed"),
        lambda: actions.remove_statement(statement, actor=admin),
        lambda: actions.delete_version(version, actor=admin),
    ]
    for attempt in attempts:
        with pytest.raises(
            ValidationError,
            match=r"cannot be changed because it is in use: 3 standard ratings\. To revise it, start a new version",
        ):
            attempt()
    # What people read about it can still change.
    actions.update_version(version, actor=admin, expected_revision=version.revision, source="Handbook, 2026 edition")


def test_a_new_version_starts_as_a_copy(admin, own):
    version = own(standards={"1": ["a", "b"], "2": ["c"]})
    new = actions.start_new_version(version, actor=admin, label="2027", effective_from=datetime.date(2027, 4, 1))
    assert new.framework == version.framework and new.based_on == version and new.label == "2027"
    assert [(s.number, [t.text for t in s.statements.order_by("position")]) for s in new.standards.order_by("position")] == [
        ("1", ["a", "b"]),
        ("2", ["c"]),
    ]
    with pytest.raises(ValidationError, match="already has a version 2027"):
        actions.start_new_version(version, actor=admin, label="2027")


def test_copy_a_shipped_framework_to_complete_it(org, admin, shipped):
    source = shipped["children"]
    framework, version = actions.copy_to_own_framework(
        source, actor=admin, name="Practice supervisor KSS (Northshire)", short_name="PS KSS", service="children", label="2018"
    )
    assert framework.organisation == org and version.based_on == source
    copied = list(version.standards.order_by("position"))
    assert [(s.number, s.title, s.is_checked, bool(s.citation)) for s in copied] == [
        ("4", "Effective use of power and authority", True, True),
        ("7", "Emotionally intelligent practice supervision", True, True),
    ]
    assert version.missing_standards == ["1", "2", "3", "5", "6", "8"]
    assert version.checked_note.startswith("Copied from Post-qualifying standard")
    # The copy is the organisation's to complete.
    actions.add_standard(version, actor=admin, number="1", title="Typed from the published document", is_checked=True)
    version.refresh_from_db()
    assert version.missing_standards == ["2", "3", "5", "6", "8"]
    assert Standard.objects.filter(version=source).count() == 2  # the shipped one is untouched


def test_delete_a_version_nobody_uses_and_the_framework_with_its_last(admin, own, shipped):
    version = own()
    later = actions.start_new_version(version, actor=admin, label="2027")
    in_use = actions.put_in_force(later, actor=admin, service="adults")
    with pytest.raises(ValidationError, match="Stop using it before you delete it"):
        actions.delete_version(later, actor=admin)
    actions.stop_using(in_use, actor=admin)
    assert actions.delete_version(later, actor=admin) == version.framework
    assert not FrameworkInUse.objects.filter(pk=in_use.pk).exists()
    assert actions.delete_version(version, actor=admin) is None
    assert not Framework.objects.filter(pk=version.framework_id).exists()


# --- Importing a file ---------------------------------------------------------------------------------


def test_import_creates_the_organisations_own_framework(org, admin):
    batch = actions.upload_framework_file(actor=admin, filename="riverside.csv", file_format="csv", content=IMPORT_CSV)
    version = actions.apply_framework_import(batch, actor=admin)
    framework = version.framework
    assert framework.organisation == org and framework.name == "Riverside practice standards" and framework.service == "children"
    assert version.label == "2026" and version.effective_from == datetime.date(2026, 4, 1)
    assert [(s.number, s.statements.count()) for s in version.standards.order_by("position")] == [("1", 1), ("2", 2)]
    batch.refresh_from_db()
    assert batch.applied_at is not None and batch.created_version == version
    assert AuditEvent.objects.filter(verb="imported version", target_id=str(version.pk)).exists()
    with pytest.raises(ValidationError, match="already been imported"):
        actions.apply_framework_import(batch, actor=admin)


def test_importing_an_own_frameworks_name_adds_a_version(admin):
    first = actions.apply_framework_import(
        actions.upload_framework_file(actor=admin, filename="a.csv", file_format="csv", content=IMPORT_CSV), actor=admin
    )
    content = IMPORT_CSV.replace("Version,2026", "Version,2027").replace("Short name,Riverside standards", "Short name,Ignored")
    second = actions.apply_framework_import(
        actions.upload_framework_file(actor=admin, filename="b.csv", file_format="csv", content=content), actor=admin
    )
    assert second.framework == first.framework
    assert second.framework.short_name == "Riverside standards"
    assert FrameworkVersion.objects.filter(framework=first.framework).count() == 2


def test_an_invalid_file_writes_nothing(admin):
    content = IMPORT_CSV.replace("2,2.2,I challenge drift and delay.", "3,3.1,Under a standard that is not there")
    batch = actions.upload_framework_file(actor=admin, filename="bad.csv", file_format="csv", content=content)
    before = row_counts()
    with pytest.raises(ValidationError, match="The file has 1 problem"):
        actions.apply_framework_import(batch, actor=admin)
    assert row_counts() == before


def test_a_file_is_checked_again_when_it_is_imported(admin):
    """Between the preview and the import, someone may have imported the same version."""
    one = actions.upload_framework_file(actor=admin, filename="a.csv", file_format="csv", content=IMPORT_CSV)
    two = actions.upload_framework_file(actor=admin, filename="b.csv", file_format="csv", content=IMPORT_CSV)
    actions.apply_framework_import(one, actor=admin)
    with pytest.raises(ValidationError):
        actions.apply_framework_import(two, actor=admin)
    assert FrameworkVersion.objects.filter(framework__organisation__isnull=False).count() == 1


def test_uploads_never_imported_are_cleared_after_a_week(admin, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 1, 9, 0))
    old = actions.upload_framework_file(actor=admin, filename="old.csv", file_format="csv", content=IMPORT_CSV)
    time_machine.move_to(datetime.datetime(2026, 11, 9, 9, 0))
    actions.upload_framework_file(actor=admin, filename="new.csv", file_format="csv", content=IMPORT_CSV)
    assert not FrameworkImport.objects.filter(pk=old.pk).exists()


def test_only_admins_import(leader):
    with pytest.raises(PermissionDenied):
        actions.upload_framework_file(actor=leader, filename="a.csv", file_format="csv", content=IMPORT_CSV)
