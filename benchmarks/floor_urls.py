"""The portal's URLs and one more, for part B only (never mounted by the portal): a signed-in
response that renders nothing. It measures what every signed-in page pays before it does anything
of its own: every middleware, the session and the user read as Django's authentication does."""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from mycrm_portal.urls import urlpatterns as portal_urlpatterns


@never_cache
@require_GET
def signed_in_nothing(request):
    return HttpResponse(f"{request.user.pk}\n", content_type="text/plain")


urlpatterns = [path("bench/signed-in-nothing/", signed_in_nothing), *portal_urlpatterns]
