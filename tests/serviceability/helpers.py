"""Shared bits of the address check tests: the sandbox's demo addresses and its upstream call count."""

from pathlib import Path

from serviceability.models import AddressCheck


def demo_address(fixture: str) -> tuple[str, str, str]:
    """(street, city, state) of the sandbox demo address that answers with ``fixture`` ("seed-sample")."""
    from mycrm_portal.sandbox.fcc import DEMO_ADDRESSES

    for street, city, state, name, _description in DEMO_ADDRESSES:
        if Path(name).stem == fixture:
            return street, city, state
    raise LookupError(f"No sandbox demo address answers with {fixture!r}")


def upstream_calls(sandbox) -> int:
    return sandbox.counters("fcc").get("check", 0)


def check_params(street: str, city: str, state: str, **extra) -> dict[str, str]:
    return {"street": street, "city": city, "state": state, **extra}


def latest_check() -> AddressCheck:
    return AddressCheck.objects.order_by("-id").first()
