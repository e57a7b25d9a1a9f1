"""htmx and sign-in: a fragment request from an expired session must send the whole page to the
sign-in form, not swap the sign-in page into a corner of the current one."""

from django.conf import settings
from django.shortcuts import resolve_url


class HtmxLoginRedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.login_path = None

    def __call__(self, request):
        response = self.get_response(request)
        if request.headers.get("HX-Request") == "true" and response.status_code == 302:
            self.login_path = self.login_path or resolve_url(settings.LOGIN_URL)
            location = response.get("Location", "")
            if location.startswith(self.login_path):
                response.status_code = 204
                response["HX-Redirect"] = location
        return response
