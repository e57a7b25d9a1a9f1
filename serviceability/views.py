"""Address check pages: the check form with its results, a stored check's permalink, the rep's history;
and the rep's side of customer share links (make one, revoke one).

Thin views: they check sign-in, validate the form, call ``services.address_check`` and render. With
htmx they render only the results partial of the same template, so every URL also works as a full
page without JavaScript (and as a link a rep can share).

A new share link's URL (it holds the token) is kept in the session of the rep who made it only
until the permalink page has shown it once; it must never go into a message, a log or a URL here.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from mycrm_portal import access
from serviceability import selectors, services, sharing
from serviceability.forms import AddressCheckForm, has_address_params
from serviceability.links import audience_url, check_again_url, lead_create_url
from serviceability.models import AddressCheck, ShareLink
from serviceability.presentation import AUDIENCE_LABELS, clean_audience, result_view

HISTORY_PAGE_SIZE = 25
NEW_SHARE_SESSION_KEY = "serviceability:new_share_link"


def _wants_fragment(request) -> bool:
    # A history restore (back button with htmx's cache off) needs the whole page.
    return bool(request.htmx) and not request.htmx.history_restore_request


def _result_context(request, check: AddressCheck, audience: str) -> dict:
    result = check.result
    return {
        "check": check,
        "result": result_view(result, audience) if result is not None else None,
        "audience": audience,
        "audiences": [(key, label, audience_url(check, key)) for key, label in AUDIENCE_LABELS.items()],
        "permalink": request.build_absolute_uri(check.get_absolute_url()),
        "check_again_url": check_again_url(check),
        "lead_url": lead_create_url(check),
        "can_share": result is not None and sharing.check_is_shareable(check),
    }


@login_required
@require_GET
@never_cache
@vary_on_headers("HX-Request")
def address_check(request):
    template = "serviceability/check.html"
    if not has_address_params(request.GET):
        return render(request, template, {"form": AddressCheckForm(), "check": None})
    form = AddressCheckForm(request.GET)
    # With htmx the answer is the check area alone (the form, folded once there is a result, and
    # the result); the errors of an invalid form sit next to its fields, old results cleared.
    area = f"{template}#area" if _wants_fragment(request) else template
    if not form.is_valid():
        return render(request, area, {"form": form, "check": None})
    data = form.cleaned_data
    check = services.address_check(
        user=request.user, street=data["street"], city=data["city"], state=data["state"], zip_code=data["zip"]
    )
    context = {"form": form, **_result_context(request, check, clean_audience(request.GET.get("audience")))}
    # 200 even when the service is down: the page is right (it says so, keeps the form and offers a
    # retry), and htmx swaps only 2xx answers into the page.
    return render(request, area, context)


@login_required
@require_GET
@never_cache
@vary_on_headers("HX-Request")
def address_check_detail(request, pk):
    # Any signed-in colleague may open a check: sharing it is what the link is for. Anonymous
    # visitors never get here (the location data is licensed).
    check = get_object_or_404(AddressCheck.objects.select_related("user"), pk=pk)
    context = _result_context(request, check, clean_audience(request.GET.get("audience")))
    template = "serviceability/detail.html"
    if _wants_fragment(request):
        return render(request, f"{template}#results", context)
    context["new_share"] = _pop_new_share(request, check)
    context["share_links"] = [
        (link, sharing.share_link_can_revoke(link=link, user=request.user))
        for link in sharing.share_links_active(check=check)
    ]
    context["share_link_days"] = settings.SHARE_LINK_DAYS
    return render(request, template, context)


def _pop_new_share(request, check: AddressCheck) -> dict | None:
    """The link this session just made for ``check``, handed out once (its URL holds the token)."""
    session = request.session  # the Django session, not an HTTP client
    new = session.get(NEW_SHARE_SESSION_KEY)
    if not isinstance(new, dict) or new.get("check") != check.pk:
        return None
    del request.session[NEW_SHARE_SESSION_KEY]
    return new


@login_required
@require_POST
def share_link_create(request, pk):
    # Anyone who may open the check (every signed-in colleague) may share it.
    check = get_object_or_404(AddressCheck, pk=pk)
    try:
        link, token = sharing.share_link_create(check=check, user=request.user)
    except sharing.ShareNotAllowed as exc:
        messages.error(request, str(exc))
        return redirect(check)
    url = request.build_absolute_uri(reverse("share_link_public", args=[token]))
    request.session[NEW_SHARE_SESSION_KEY] = {"check": check.pk, "link": link.pk, "url": url}
    return redirect(check)


@login_required
@require_POST
def share_link_revoke(request, pk):
    link = get_object_or_404(ShareLink.objects.select_related("address_check"), pk=pk)
    if not sharing.share_link_can_revoke(link=link, user=request.user):
        raise PermissionDenied("Only the rep who made a share link, or staff, may revoke it.")
    if sharing.share_link_revoke(link=link, user=request.user):
        messages.success(request, f"Share link {link.token_prefix}… revoked: it no longer opens.")
    else:
        messages.info(request, f"Share link {link.token_prefix}… was already revoked.")
    return redirect(link.address_check)


@login_required
@require_GET
@never_cache
def address_check_history(request):
    paginator = Paginator(selectors.address_check_list(user=request.user), HISTORY_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request, "serviceability/history.html", {"page": page, "sees_others": access.sees_others(request.user)}
    )
