"""The frameworks pages: what people see, each form's errors, downloads, query counts, strictness."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from trellis.frameworks import actions, fileformat
from trellis.frameworks.models import FrameworkImport, FrameworkInUse, FrameworkVersion, RatingLevel, Standard, Statement
from trellis.workforce import actions as workforce_actions
from trellis.workforce.models import CareerStage

from .test_actions import IMPORT_CSV


def url(name, *args):
    return reverse(f"frameworks:{name}", args=["northshire", *args])


def text_of(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


# --- Reading -------------------------------------------------------------------------------------------


def test_the_list_puts_the_organisations_frameworks_in_force_on_first_use(client_for, practitioner, org):
    response = client_for(practitioner).get(url("list"))
    assert response.status_code == 200
    page = text_of(response)
    assert "In force in Northshire County Council" in page
    # The test organisation runs adults' services: the shipped adult PQS is in force.
    (in_use,) = FrameworkInUse.objects.filter(organisation=org, is_active=True)
    assert in_use.version.framework.key == "adult-practice-supervisor-pqs" and in_use.service == "adults"
    assert "Adult social work post-qualifying standards: knowledge and skills statement" in page
    assert "Not yet, Developing, Confident, Can support others" in page
    assert "Import a framework" not in page  # practitioners read; admins manage


def test_a_shipped_version_says_plainly_what_is_missing_and_how_to_complete_it(client_for, admin, shipped):
    response = client_for(admin).get(url("version", shipped["children"].pk))
    page = text_of(response)
    assert "This version is incomplete: standards 1, 2, 3, 5, 6 and 8 are not included, and it has no statements." in page
    assert "How to complete it" in page
    assert "make your own copy" in page and "import it" in page
    assert "4. Effective use of power and authority" in page
    assert (
        "https://www.ccinform.co.uk/practice-supervisor-kss-4-effective-use-of-power-and-authority/" in response.content.decode()
    )
    assert "No statements: none was checked word for word against the published text." in page
    assert "Change version details" not in page  # shipped: nobody edits it


def test_someone_who_cannot_manage_is_told_who_can_complete_it(client_for, practitioner, shipped):
    page = text_of(client_for(practitioner).get(url("version", shipped["adults"].pk)))
    assert "standards 1, 2 and 8 are not included" in page
    assert "An organisation admin can complete it" in page


def test_an_own_version_offers_its_editing_controls_until_it_is_in_use(client_for, admin, own, monkeypatch):
    version = own()
    client = client_for(admin)
    page = text_of(client.get(url("version", version.pk)))
    assert "Add a standard" in page and "Add a statement to standard 1" in page
    from collections import Counter

    from trellis.frameworks import views

    monkeypatch.setattr(views, "uses_elsewhere", lambda ids: {version.pk: Counter({("standard rating", "standard ratings"): 4})})
    page = text_of(client.get(url("version", version.pk)))
    assert "Add a standard" not in page
    assert "This version is in use (4 standard ratings), so its standards and statements cannot be changed." in page


def test_download_a_shipped_version_to_complete_it(client_for, admin, shipped):
    response = client_for(admin).get(url("version-download", shipped["children"].pk, "csv"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="practice-supervisor-kss-2018.csv"'
    parsed = fileformat.parse(response.content.decode("utf-8-sig"), "csv")
    assert parsed.problems == []
    assert parsed.details["name"].endswith("(Northshire County Council)")
    assert parsed.details["missing_standards"] == ["1", "2", "3", "5", "6", "8"]
    assert [s.number for s in parsed.standards] == ["4", "7"]


@pytest.mark.parametrize("file_format", ["csv", "yaml"])
def test_download_the_templates(client_for, practitioner, file_format):
    response = client_for(practitioner).get(url("import-template", file_format))
    assert response.status_code == 200
    parsed = fileformat.parse(response.content.decode("utf-8-sig"), file_format)
    assert parsed.problems == []


def test_an_unknown_file_format_is_not_found(client_for, practitioner, shipped):
    client = client_for(practitioner)
    assert client.get(url("import-template", "docx")).status_code == 404
    assert client.get(url("version-download", shipped["adults"].pk, "pdf")).status_code == 404


def test_the_format_page_and_the_docs_describe_the_same_columns(client_for, practitioner, settings):
    from pathlib import Path

    page = client_for(practitioner).get(url("import-format")).content.decode()
    docs = (Path(settings.BASE_DIR) / "docs" / "framework-import.md").read_text(encoding="utf-8")
    for _name, label, _section, key, _required, _length in fileformat.DETAILS:
        if _name in fileformat.SHIPPED_ONLY:
            continue
        assert label in page and label in docs
        assert key in page and key in docs
    for _name, heading, _others in fileformat.COLUMNS:
        assert heading in page and heading in docs


# --- Importing -----------------------------------------------------------------------------------------


def upload(client, name, content):
    return client.post(url("import"), {"file": SimpleUploadedFile(name, content.encode("utf-8"))})


def test_import_a_file_with_a_mistake_then_the_corrected_file(client_for, admin, org):
    client = client_for(admin)
    broken = IMPORT_CSV.replace("2,2.1,I ask what life is like for the child.", "3,3.1,I ask what life is like for the child.")
    response = upload(client, "riverside.csv", broken)
    batch = FrameworkImport.objects.get(filename="riverside.csv")
    assert response.status_code == 302 and response["Location"] == url("import-preview", batch.pk)
    preview = client.get(response["Location"])
    page = text_of(preview)
    assert "<title>Error: Correct the file" in preview.content.decode()
    assert "There is a problem with riverside.csv" in page
    assert "11 A (Standard) Statement 3.1 is under standard 3, which is not in the file." in page
    assert "Import the framework" not in page
    assert client.post(url("import-apply", batch.pk)).status_code == 302
    assert not FrameworkVersion.objects.filter(framework__organisation=org).exists()

    response = upload(client, "riverside-fixed.csv", IMPORT_CSV)
    fixed = FrameworkImport.objects.get(filename="riverside-fixed.csv")
    page = text_of(client.get(response["Location"]))
    assert "This creates a new framework of your organisation's own: Riverside practice standards." in page
    assert "It has 2 standards and 3 statements." in page
    response = client.post(url("import-apply", fixed.pk))
    version = FrameworkVersion.objects.get(framework__organisation=org)
    assert response["Location"] == url("version", version.pk)
    assert Statement.objects.filter(standard__version=version).count() == 3
    # The preview of an imported file goes to what it made.
    assert client.get(url("import-preview", fixed.pk))["Location"] == url("version", version.pk)


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({}, "Select a framework file"),
        ({"file": SimpleUploadedFile("a.csv", b"")}, "The selected file is empty"),
        ({"file": SimpleUploadedFile("a.pdf", b"%PDF-1.7 \x00\x01")}, "must be a CSV, Excel (.xlsx) or YAML file"),
        ({"file": SimpleUploadedFile("a.csv", b"x" * (fileformat.MAX_BYTES + 1))}, "smaller than 1 MB"),
    ],
)
def test_an_upload_that_cannot_be_read_is_explained(client_for, admin, files, message):
    response = client_for(admin).post(url("import"), files)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "<title>Error: Import a framework" in response.content.decode()
    assert not FrameworkImport.objects.exists()


# --- In force and rating scales ------------------------------------------------------------------------


def test_put_a_version_in_force_for_children_then_rename_a_level(client_for, admin, own):
    version = own()
    client = client_for(admin)
    response = client.post(url("version-use", version.pk), {})
    assert "Select adults, children or both" in response.content.decode()
    response = client.post(url("version-use", version.pk), {"service": "children"})
    in_use = FrameworkInUse.objects.get(version=version)
    assert response["Location"] == url("in-use", in_use.pk) and in_use.service == "children"
    level = RatingLevel.objects.get(framework_in_use=in_use, value=2)
    response = client.post(url("level-edit", level.pk), {"version": level.version, "label": "", "description": ""})
    assert "Enter a name for the level" in response.content.decode()
    response = client.post(
        url("level-edit", level.pk), {"version": level.version, "label": "Growing", "description": "With help."}
    )
    assert response.status_code == 302
    level.refresh_from_db()
    assert level.label == "Growing"
    # Visiting "put in force" again goes to what is in force.
    assert client.get(url("version-use", version.pk))["Location"] == url("in-use", in_use.pk)


def test_a_stale_rename_keeps_what_was_typed_and_says_what_changed(client_for, admin, member_with, own):
    in_use = actions.put_in_force(own(), actor=admin, service="adults")
    level = RatingLevel.objects.get(framework_in_use=in_use, value=1)
    opened = level.version
    actions.update_rating_level(level, actor=member_with("org_admin"), expected_version=opened, label="Emerging")
    response = client_for(admin).post(url("level-edit", level.pk), {"version": opened, "label": "Beginning", "description": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "changed this after you opened it" in html and "Emerging" in html and 'value="Beginning"' in html
    assert html.count("<title>Error: ") == 1


def test_removing_a_level_in_use_is_explained_on_the_scale(client_for, admin, own, monkeypatch):
    from collections import Counter

    in_use = actions.put_in_force(own(), actor=admin, service="adults")
    level = RatingLevel.objects.get(framework_in_use=in_use, value=1)
    monkeypatch.setattr(
        actions, "rating_level_uses", lambda ids: {level.pk: Counter({("standard rating", "standard ratings"): 2})}
    )
    client = client_for(admin)
    response = client.post(url("level-delete", level.pk), follow=True)
    assert "Not yet cannot be removed: 2 standard ratings use it. You can rename it instead." in response.content.decode()
    assert RatingLevel.objects.filter(pk=level.pk).exists()


def test_stop_using_a_framework(client_for, admin, shipped):
    in_use = actions.put_in_force(shipped["adults"], actor=admin, service="adults")
    response = client_for(admin).post(url("in-use-stop", in_use.pk))
    assert response["Location"] == url("list")
    in_use.refresh_from_db()
    assert not in_use.is_active


# --- Typing a framework --------------------------------------------------------------------------------


def test_type_a_framework_its_standards_and_statements(client_for, admin, org):
    client = client_for(admin)
    response = client.post(url("framework-add"), {"name": "", "short_name": "", "label": ""})
    html = response.content.decode()
    for message in (
        "Enter the framework&#x27;s name",
        "Enter a short name",
        "Select adults, children or both",
        "Enter the version",
    ):
        assert message in html
    response = client.post(
        url("framework-add"),
        {"name": "Northshire standards", "short_name": "NS", "service": "adults", "label": "2026", "source_url": "intranet"},
    )
    assert "Source address must be a web address" in response.content.decode()
    response = client.post(
        url("framework-add"), {"name": "Northshire standards", "short_name": "NS", "service": "adults", "label": "2026"}
    )
    version = FrameworkVersion.objects.get(framework__organisation=org)
    assert response["Location"] == url("version", version.pk)

    response = client.post(url("standard-add", version.pk), {"number": "1", "title": "Leading supervision"})
    standard = Standard.objects.get(version=version)
    assert response["Location"].endswith(f"#standard-{standard.pk}")
    response = client.post(url("standard-add", version.pk), {"number": "1.", "title": "Again"})
    assert "There is already a standard 1. Enter a different number." in response.content.decode()
    assert client.get(url("statement-add", standard.pk)).context["form"].initial["number"] == "1.1"
    client.post(url("statement-add", standard.pk), {"number": "1.1", "text": "I protect supervision time."})
    statement = Statement.objects.get(standard=standard)
    client.post(
        url("statement-edit", statement.pk),
        {"revision": statement.revision, "number": "1.1", "text": "I protect time for supervision.", "is_checked": "on"},
    )
    statement.refresh_from_db()
    assert statement.text == "I protect time for supervision." and statement.is_checked
    client.post(url("statement-delete", statement.pk))
    assert not Statement.objects.filter(standard=standard).exists()
    client.post(url("standard-delete", standard.pk))
    assert not Standard.objects.filter(version=version).exists()


def test_a_shipped_standard_cannot_be_changed_even_by_an_admin(client_for, admin, shipped):
    standard = Standard.objects.filter(version=shipped["adults"]).first()
    assert client_for(admin).get(url("standard-edit", standard.pk)).status_code == 403


def test_make_your_own_copy_of_a_shipped_version(client_for, admin, org, shipped):
    client = client_for(admin)
    form = client.get(url("version-copy", shipped["children"].pk)).context["form"]
    assert form.initial["name"].endswith("(Northshire County Council)")
    data = {**form.initial, "service": "children"}
    response = client.post(url("version-copy", shipped["children"].pk), data)
    copy = FrameworkVersion.objects.get(framework__organisation=org)
    assert response["Location"] == url("version", copy.pk)
    assert copy.standards.count() == 2


# --- The panel for one person --------------------------------------------------------------------------


def _person(org, admin, service):
    workforce_actions.ensure_default_career_stages(org)
    return workforce_actions.create_staff_record(
        actor=admin,
        career_stage=CareerStage.objects.get(organisation=org, name="Practice supervisor"),
        full_name="Sal Supervisor",
        employee_ref=f"P-{service}",
        service=service,
        employment_type="permanent",
        start_date="2020-01-06",
    )


def render_panel(membership, person):
    template = Template("{% load frameworks %}{% frameworks_panel person %}")
    return template.render(Context({"membership": membership, "organisation": membership.organisation, "person": person}))


def test_the_panel_lists_the_frameworks_for_the_persons_service(org, admin, own, shipped):
    person = _person(org, admin, "children")
    actions.ensure_frameworks_in_use(org)  # the adult PQS, for adults
    actions.put_in_force(shipped["children"], actor=admin, service="children")
    actions.put_in_force(own(name="Children's own", service="children"), actor=admin, service="any")
    html = render_panel(admin, person)
    assert "Sal Supervisor works against these frameworks" in html
    assert "Post-qualifying standard: knowledge and skills statement for practice supervisors" in html
    assert "Children&#x27;s own" in html
    assert "Adult social work" not in html


def test_the_panel_query_count_does_not_grow(org, admin, own):
    person = _person(org, admin, "adults")
    render_panel(admin, person)
    with CaptureQueriesContext(connection) as few:
        render_panel(admin, person)
    for n in range(4):
        actions.put_in_force(own(name=f"Own {n}"), actor=admin, service="any")
    with CaptureQueriesContext(connection) as many:
        render_panel(admin, person)
    assert len(many) == len(few) <= 3, [q["sql"] for q in many.captured_queries]


# --- Query counts and strictness -----------------------------------------------------------------------


def _grow(admin, own, n):
    """n more own frameworks, each with standards and statements, in force."""
    versions = []
    for i in range(n):
        version = own(
            name=f"Framework {len(FrameworkVersion.objects.all())}-{i}", standards={"1": ["a", "b"], "2": ["c"], "3": []}
        )
        actions.put_in_force(version, actor=admin, service="any")
        versions.append(version)
    return versions


@pytest.mark.parametrize("name", ["list", "framework", "version", "in-use", "import-preview"])
def test_query_counts_do_not_grow_with_rows(client_for, admin, own, shipped, name):
    client = client_for(admin)
    first = _grow(admin, own, 1)[0]
    content = IMPORT_CSV
    batch = actions.upload_framework_file(actor=admin, filename="a.csv", file_format="csv", content=content)

    def address():
        return {
            "list": url("list"),
            "framework": url("framework", first.framework_id),
            "version": url("version", first.pk),
            "in-use": url("in-use", FrameworkInUse.objects.get(version=first).pk),
            "import-preview": url("import-preview", batch.pk),
        }[name]

    client.get(address())  # warm up: session, frameworks in force on first use
    with CaptureQueriesContext(connection) as few:
        assert client.get(address()).status_code == 200
    _grow(admin, own, 4)
    for number in ("3", "4"):  # and more rows on the page about one version
        standard = actions.add_standard(first, actor=admin, number=number + "0", title="More")
        actions.add_statement(standard, actor=admin, number=f"{number}0.1", text="More")
    actions.add_rating_level(FrameworkInUse.objects.get(version=first), actor=admin, label="Extra")
    batch.content = content + "3,,Third\n3,3.1,More\n"
    batch.save()
    with CaptureQueriesContext(connection) as many:
        assert client.get(address()).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
STYLE_ATTR = re.compile(r"\sstyle=", re.IGNORECASE)


def test_every_frameworks_page_is_strict_with_one_h1_and_a_title(client_for, admin, own, shipped):
    version = own()
    in_use = actions.put_in_force(version, actor=admin, service="adults")
    level = RatingLevel.objects.filter(framework_in_use=in_use).first()
    standard = Standard.objects.filter(version=version).first()
    statement = Statement.objects.filter(standard=standard).first()
    batch = actions.upload_framework_file(actor=admin, filename="a.csv", file_format="csv", content="not,a framework\n")
    pages = [
        url("list"),
        url("framework-add"),
        url("import"),
        url("import-format"),
        url("import-preview", batch.pk),
        url("framework", version.framework_id),
        url("framework", shipped["adults"].framework_id),
        url("framework-edit", version.framework_id),
        url("version", version.pk),
        url("version", shipped["adults"].pk),
        url("version-edit", version.pk),
        url("version-use", shipped["children"].pk),
        url("version-new", version.pk),
        url("version-copy", shipped["children"].pk),
        url("version-delete", version.pk),
        url("standard-add", version.pk),
        url("standard-edit", standard.pk),
        url("standard-delete", standard.pk),
        url("statement-add", standard.pk),
        url("statement-edit", statement.pk),
        url("statement-delete", statement.pk),
        url("in-use", in_use.pk),
        url("in-use-edit", in_use.pk),
        url("in-use-stop", in_use.pk),
        url("level-add", in_use.pk),
        url("level-edit", level.pk),
        url("level-delete", level.pk),
    ]
    client = client_for(admin)
    for address in pages:
        response = client.get(address)
        assert response.status_code == 200, address
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), address
        assert not STYLE_ATTR.search(html), address
        assert html.count("<h1") == 1, address
        assert re.search(r"<title>[^<]+ – Trellis</title>", html), address
