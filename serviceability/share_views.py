"""The public share page, /s/<token>/: what a customer with no account sees of a rep's check.

Every answer under /s/ (the page, an unknown, expired or revoked link, a wrong method, any other
path) is counted against the client's SHARE_RATE_LIMIT_PER_MINUTE first, and carries noindex,
no-referrer and no-store: a revoked link must stop working at once, also in caches.

It must never render with the request's context (so no user, session, messages or CSRF token reach
the template, and no cookie is set), never pass the template anything but ``sharing.SharePage`` and
the company name, and never let the token reach a log: Django logs every 4xx response with its
path, so these responses are marked as logged and a line with the link prefix is written instead.
"""

import logging
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, HttpResponseNotAllowed
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt

from serviceability import sharing
from serviceability.ratelimit import client_address, rate_limit_hit

logger = logging.getLogger(__name__)

RATE_LIMIT_SCOPE = "share"


def _page(template: str, context: dict, *, status: int = 200) -> HttpResponse:
    return HttpResponse(render_to_string(template, {"company_name": settings.COMPANY_NAME, **context}), status=status)


def _unavailable(*, status: int) -> HttpResponse:
    # One page for unknown, expired and revoked links: it names no rep and no address.
    return _page("share/unavailable.html", {"busy": False}, status=status)


def _public(view):
    """Rate-limit, allow only GET and HEAD, and answer with the headers every public response needs.

    The views change nothing, so they are exempt from CSRF: a POST gets the rate limit and a 405
    here, instead of a CSRF failure that Django would log with the path.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        retry_after = rate_limit_hit(
            scope=RATE_LIMIT_SCOPE, key=client_address(request), limit=settings.SHARE_RATE_LIMIT_PER_MINUTE
        )
        if retry_after is not None:
            logger.info("Share page rate limit reached; retry after %d s", retry_after)
            response = _page("share/unavailable.html", {"busy": True}, status=429)
            response["Retry-After"] = str(retry_after)
        elif request.method not in ("GET", "HEAD"):
            response = HttpResponseNotAllowed(["GET", "HEAD"])
        else:
            response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "no-referrer"
        add_never_cache_headers(response)  # private, no-store, no-cache, max-age=0
        response._has_been_logged = True  # Django would log the path, token included
        return response

    return login_not_required(csrf_exempt(wrapper))


@_public
def share_link_public(request, token):
    try:
        link = sharing.share_link_resolve(token=token)
        page = sharing.share_page_for(link=link)
    except sharing.ShareLinkNotFound:
        logger.info("Share page: no link with prefix %s…", token[: sharing.PREFIX_LENGTH])
        return _unavailable(status=404)
    except sharing.ShareLinkGone:
        logger.info("Share page: link %s… expired or revoked", token[: sharing.PREFIX_LENGTH])
        return _unavailable(status=410)
    return _page("share/page.html", {"share": page})


@_public
def share_path_unknown(request, rest=""):
    return _unavailable(status=404)
