"""The frameworks app's rows of the outsider (404) and role (403) matrix in tenancy/tests/test_access.py.

Every member reads frameworks and rating scales; organisation admins manage them. The objects are an
organisation's own framework (a shipped one is visible to every organisation, so it cannot show the
outsider's 404).
"""

from trellis.frameworks import actions
from trellis.frameworks.models import RatingLevel
from trellis.tenancy.tests.matrix import OrgView

ADMIN, LEADER = "org_admin", "senior_leader"

VIEWS = [
    OrgView("frameworks:list", allowed="practitioner", denied=None),
    OrgView("frameworks:framework-add", allowed=ADMIN, denied=LEADER),
    OrgView("frameworks:import", allowed=ADMIN, denied=LEADER),
    OrgView("frameworks:import-format", allowed="practitioner", denied=None),
    OrgView("frameworks:import-template", allowed="mentor", denied=None, extra={"file_format": "yaml"}),
    OrgView("frameworks:import-preview", allowed=ADMIN, denied=LEADER, target="fw_import"),
    OrgView("frameworks:import-apply", allowed=ADMIN, denied=LEADER, method="post", target="fw_import"),
    OrgView("frameworks:framework", allowed="practitioner", denied=None, target="fw_framework"),
    OrgView("frameworks:framework-edit", allowed=ADMIN, denied=LEADER, target="fw_framework"),
    OrgView("frameworks:version", allowed="practice_supervisor", denied=None, target="fw_version"),
    OrgView("frameworks:version-edit", allowed=ADMIN, denied=LEADER, target="fw_version"),
    OrgView(
        "frameworks:version-download", allowed="practitioner", denied=None, target="fw_version", extra={"file_format": "csv"}
    ),
    OrgView("frameworks:version-use", allowed=ADMIN, denied="practice_supervisor", target="fw_version"),
    OrgView("frameworks:version-new", allowed=ADMIN, denied=LEADER, target="fw_version"),
    OrgView("frameworks:version-copy", allowed=ADMIN, denied="mentor", target="fw_version"),
    OrgView("frameworks:version-delete", allowed=ADMIN, denied=LEADER, target="fw_version"),
    OrgView("frameworks:standard-add", allowed=ADMIN, denied=LEADER, target="fw_version"),
    OrgView("frameworks:standard-edit", allowed=ADMIN, denied=LEADER, target="fw_standard"),
    OrgView("frameworks:standard-move", allowed=ADMIN, denied=LEADER, method="post", target="fw_standard"),
    OrgView("frameworks:standard-delete", allowed=ADMIN, denied="reviewer", target="fw_standard"),
    OrgView("frameworks:statement-add", allowed=ADMIN, denied=LEADER, target="fw_standard"),
    OrgView("frameworks:statement-edit", allowed=ADMIN, denied=LEADER, target="fw_statement"),
    OrgView("frameworks:statement-move", allowed=ADMIN, denied="moderator", method="post", target="fw_statement"),
    OrgView("frameworks:statement-delete", allowed=ADMIN, denied=LEADER, target="fw_statement"),
    OrgView("frameworks:in-use", allowed="practitioner", denied=None, target="fw_in_use"),
    OrgView("frameworks:in-use-edit", allowed=ADMIN, denied=LEADER, target="fw_in_use"),
    OrgView("frameworks:in-use-stop", allowed=ADMIN, denied=LEADER, target="fw_in_use"),
    OrgView("frameworks:level-add", allowed=ADMIN, denied=LEADER, target="fw_in_use"),
    OrgView("frameworks:level-edit", allowed=ADMIN, denied=LEADER, target="fw_level"),
    OrgView("frameworks:level-move", allowed=ADMIN, denied="practice_supervisor", method="post", target="fw_level"),
    OrgView("frameworks:level-delete", allowed=ADMIN, denied=LEADER, target="fw_level"),
]

FILE = """Framework name,Matrix standards
Short name,Matrix
Service,children
Version,2027

Standard,Statement,Text
1,,Supervising well
"""


def objects(base):
    admin = base["admin"]
    framework, version = actions.create_framework(
        actor=admin, name="Northshire practice standards", short_name="Northshire standards", service="children", label="2026"
    )
    standard = actions.add_standard(version, actor=admin, number="1", title="Leading reflective supervision")
    statement = actions.add_statement(
        standard, actor=admin, number="1.1", text="I agree a supervision agreement with each supervisee."
    )
    # For adults: the matrix's people work in children's services, and other apps' objects assume no
    # framework is in force for them.
    in_use = actions.put_in_force(version, actor=admin, service="adults")
    batch = actions.upload_framework_file(actor=admin, filename="matrix.csv", file_format="csv", content=FILE)
    return {
        "fw_framework": framework,
        "fw_version": version,
        "fw_standard": standard,
        "fw_statement": statement,
        "fw_in_use": in_use,
        "fw_level": RatingLevel.objects.filter(framework_in_use=in_use).order_by("value").first(),
        "fw_import": batch,
    }
