"""Shared bits of the share link tests: real checks of the sandbox's demo addresses, links made
through the service, and the page text a customer sees."""

import re

from serviceability.models import AddressCheck, ShareLink
from serviceability.services import address_check
from serviceability.sharing import share_link_create
from tests.serviceability.helpers import demo_address

COMPANY = "Acme Broadband"
GONE_TEXT = "This link has expired or is no longer available. Ask your sales representative for a new one."
TOKEN_IN_URL = re.compile(r"/s/([A-Za-z0-9_-]+)/")


def checked(user, fixture: str = "seed-sample", *, unit: str = "", zip_code: str = "") -> AddressCheck:
    """A real check of the sandbox demo address that answers with ``fixture``."""
    street, city, state = demo_address(fixture)
    return address_check(user=user, street=f"{street} {unit}".strip(), city=city, state=state, zip_code=zip_code)


def shared(check: AddressCheck, user) -> tuple[ShareLink, str]:
    """A link to ``check`` made by ``user``, and its public path."""
    link, token = share_link_create(check=check, user=user)
    return link, f"/s/{token}/"


def visible_text(html: str) -> str:
    """The page's text without tags, whitespace collapsed (what a reader sees)."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())
