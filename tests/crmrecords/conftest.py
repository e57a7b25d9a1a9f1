import pytest


def made(sandbox, module="Leads", user_name="admin", **values):
    """A record made in MyCRM itself (not through the portal), as `user_name`."""
    base = {"lastname": "Smith", "assigned_user_id": "19x1"}
    return sandbox.record_create(module=module, values={**base, **values}, user_name=user_name)


@pytest.fixture
def make(sandbox):
    return lambda module="Leads", user_name="admin", **values: made(sandbox, module, user_name, **values)
