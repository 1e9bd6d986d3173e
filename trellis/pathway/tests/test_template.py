from pathlib import Path

import yaml

from trellis.pathway.models import Idea, Outcome, Resource, Stage
from trellis.pathway.template_loader import DATA_FILE, load_template


def test_the_five_stages_ship_in_order_with_the_seeds_content():
    stages = list(Stage.objects.order_by("position"))
    assert [s.name for s in stages] == ["Awareness", "Understanding", "Preparation", "Initial action", "Full implementation"]
    assert Outcome.objects.get(key="awareness-what").text == "Ensure stakeholders are aware of what the PQS is"
    assert stages[4].reflective_question == "How can we celebrate our strengths in supervision?"
    assert Idea.objects.filter(stage=stages[2]).count() == 5
    tools = Resource.objects.filter(stage=stages[4], group=Resource.Group.CHILDRENS_TOOLS)
    assert tools.count() == 6
    assert tools.first().title == "An evidence-informed approach to observing supervision"


def test_loading_twice_changes_nothing():
    assert load_template() == {"created": 0, "updated": 0, "removed": 0}


def test_a_template_update_rewords_the_template_but_keeps_organisations_work(tmp_path, admin):
    from trellis.pathway import actions

    outcome = Outcome.objects.get(key="awareness-what")
    progress = actions.mark_outcome(actor=admin, outcome=outcome, is_achieved=True, evidence="Intranet page live")
    action = actions.create_action(actor=admin, outcome=outcome, description="Brief the leadership team", owner_member=admin)

    data = yaml.safe_load(Path(DATA_FILE).read_text())
    data["stages"][0]["outcomes"][0]["text"] = "Ensure every stakeholder knows what the PQS is"
    data["stages"][1]["outcomes"] = [{"key": "understanding-new", "text": "A replacement outcome"}]
    changed = tmp_path / "pathway.yaml"
    changed.write_text(yaml.safe_dump(data))
    counts = load_template(changed)

    assert counts["updated"] >= 1
    progress.refresh_from_db()
    action.refresh_from_db()
    assert progress.is_achieved and progress.evidence == "Intranet page live"
    assert action.outcome.text == "Ensure every stakeholder knows what the PQS is"
    assert Outcome.objects.get(key="understanding-why").retired is True
