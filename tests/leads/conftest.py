import pytest

from leads.models import Lead, Status


@pytest.fixture
def lead(owner):
    """A queued lead of the owner's, made without the CRM."""
    return Lead.objects.create(
        submitted_by=owner, firstname="Ann", lastname="Smith", assigned_user_id="19x5", status=Status.QUEUED
    )
