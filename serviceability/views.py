"""Address check pages: the check form with its results, a stored check's permalink, the rep's history.

Thin views: they check sign-in, validate the form, call ``services.address_check`` and render. With
htmx they render only the results partial of the same template, so every URL also works as a full
page without JavaScript (and as a link a rep can share).
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import reswap, retarget

from serviceability import services
from serviceability.forms import AddressCheckForm, has_address_params
from serviceability.links import audience_url, check_again_url, lead_create_url
from serviceability.models import AddressCheck
from serviceability.presentation import AUDIENCE_LABELS, clean_audience, result_from_snapshot, result_view

HISTORY_PAGE_SIZE = 25


def _wants_fragment(request) -> bool:
    # A history restore (back button with htmx's cache off) needs the whole page.
    return bool(request.htmx) and not request.htmx.history_restore_request


def _result_context(request, check: AddressCheck, audience: str) -> dict:
    result = result_from_snapshot(check.snapshot)
    return {
        "check": check,
        "result": result_view(result, audience) if result is not None else None,
        "audience": audience,
        "audiences": [(key, label, audience_url(check, key)) for key, label in AUDIENCE_LABELS.items()],
        "permalink": request.build_absolute_uri(check.get_absolute_url()),
        "check_again_url": check_again_url(check),
        "lead_url": lead_create_url(check),
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
    if not form.is_valid():
        if _wants_fragment(request):
            # The errors belong next to the fields: swap the form itself, and clear old results.
            response = render(request, f"{template}#invalid", {"form": form})
            return retarget(reswap(response, "outerHTML"), "#check-form")
        return render(request, template, {"form": form, "check": None})
    data = form.cleaned_data
    check = services.address_check(
        user=request.user, street=data["street"], city=data["city"], state=data["state"], zip_code=data["zip"]
    )
    context = {"form": form, **_result_context(request, check, clean_audience(request.GET.get("audience")))}
    # 200 even when the service is down: the page is right (it says so, keeps the form and offers a
    # retry), and htmx swaps only 2xx answers into the page.
    return render(request, f"{template}#results" if _wants_fragment(request) else template, context)


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
    return render(request, f"{template}#results" if _wants_fragment(request) else template, context)


@login_required
@require_GET
@never_cache
def address_check_history(request):
    paginator = Paginator(services.checks_of(user=request.user), HISTORY_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "serviceability/history.html", {"page": page})
