"""The notifications app's rows of the access matrix (see trellis/tenancy/tests/matrix.py).

Everyone, network guests too, has their own notices; marking one read is for its recipient alone, so
another member (even an organisation admin) is refused.
"""

from trellis.notifications.actions import notify
from trellis.tenancy.tests.matrix import OrgView

VIEWS = [
    OrgView("notifications:list", allowed="practitioner", denied=None),
    OrgView("notifications:read", allowed="@notice_recipient", denied="org_admin", method="post", target="notification"),
    OrgView("notifications:read-all", allowed="practitioner", denied=None, method="post"),
]


def objects(base):
    recipient = base["practitioner"]
    notification = notify(recipient, "A portfolio is waiting for your review", url="/o/northshire/")
    return {"notice_recipient": recipient, "notification": notification}
