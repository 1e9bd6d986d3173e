"""Seed 002's Preparation stage asks who the practice supervisors are: the stage page answers from the register."""

import datetime

from django.urls import reverse


def test_the_preparation_stage_summarises_the_supervisors_register(client_for, admin, person):
    boss = person("Maya Lead", stage="Practice supervisor", stage_start_date=datetime.date(2020, 1, 6))
    new = person("Nadia New", stage="Practice supervisor", stage_start_date=datetime.date(2026, 6, 1))
    person("Sam Worker", line_manager=boss)
    person("Tess Worker", line_manager=new)
    page = client_for(admin).get(reverse("pathway:stage", args=["northshire", "preparation"])).content.decode()
    assert "<strong>2 practice supervisors</strong>, 1 of them in their first 12 months" in page
    assert reverse("workforce:supervisors", args=["northshire"]) in page


def test_only_people_who_may_see_the_register_get_the_summary(client_for, supervisor):
    page = client_for(supervisor).get(reverse("pathway:stage", args=["northshire", "preparation"])).content.decode()
    assert "Your practice supervisors" not in page


def test_other_stages_do_not_show_it(client_for, admin):
    page = client_for(admin).get(reverse("pathway:stage", args=["northshire", "awareness"])).content.decode()
    assert "Your practice supervisors" not in page
