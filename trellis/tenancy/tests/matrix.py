"""The shape of the access matrix in test_access.py, for apps to declare their own rows.

An app adds `tests/access.py` with `VIEWS` (a list of `OrgView`) and, if its URLs name objects,
`objects(base)`: given the dict of objects test_access.py builds (org, admin, leader, supervisor,
practitioner, staff, team, ...), return a dict of the app's own objects, keyed by the names its
`OrgView.target`s use. test_access.py collects every installed app's module.
"""

from dataclasses import dataclass, field


@dataclass
class OrgView:
    name: str
    # A role that may use it, or "@key": the membership `objects[key]`, for pages only someone assigned
    # may use (e.g. the reviewer assigned to a portfolio).
    allowed: str
    denied: str | None  # a role that may not (403); None when every member may
    method: str = "get"
    target: str | None = None  # which object the URL names: key into the `objects` fixture
    extra: dict = field(default_factory=dict)
