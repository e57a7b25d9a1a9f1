"""The four roles of the access rule: a rep of team South, South's lead, the lead of team North
(with a rep of their own), and staff."""

import pytest

from mycrm_portal.models import Team
from tests.conftest import _make_user


@pytest.fixture
def people(django_user_model):
    rep = _make_user(django_user_model, "rita", first_name="Rita", last_name="Rep")
    lead_here = _make_user(django_user_model, "lena", first_name="Lena", last_name="Lead")
    lead_elsewhere = _make_user(django_user_model, "olaf", first_name="Olaf", last_name="Other")
    other_rep = _make_user(django_user_model, "omar", first_name="Omar", last_name="Otherrep")
    staff = _make_user(django_user_model, "sam", is_staff=True)
    south = Team.objects.create(name="South")
    south.leads.add(lead_here)
    south.members.add(rep)
    north = Team.objects.create(name="North")
    north.leads.add(lead_elsewhere)
    north.members.add(other_rep)
    return {"rep": rep, "lead_here": lead_here, "lead_elsewhere": lead_elsewhere, "staff": staff, "other": other_rep}


def as_(client, people, role):
    client.force_login(people[role])
    return client
