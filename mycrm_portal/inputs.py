"""One guard for every input: NUL and other control characters never reach a form, a query or the
database (PostgreSQL refuses a NUL in a string: a 500), whatever page or admin view is asked.

Query parameters lose every control character; form values keep tab and newline (text areas) and
lose the rest. Files are left alone (they are read, not stored as text). Also: a sign-in with a
username longer than any user has is refused before it reaches django-axes (whose column is 255).
"""

import re

from django import forms
from django.contrib.auth.forms import AuthenticationForm

_QUERY_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_FORM_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _cleaned(querydict, pattern):
    if not any(pattern.search(k) or any(pattern.search(v) for v in vs) for k, vs in querydict.lists()):
        return querydict  # the common case: nothing to copy
    copy = querydict.copy()
    copy.clear()
    for key, values in querydict.lists():
        copy.setlist(pattern.sub("", key), [pattern.sub("", v) for v in values])
    copy._mutable = False
    return copy


class InputGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/sandbox/"):
            return self.get_response(request)  # the emulated MyCRM takes what a real one would
        request.GET = _cleaned(request.GET, _QUERY_CONTROL)
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            request.POST = _cleaned(request.POST, _FORM_CONTROL)
        return self.get_response(request)


class SignInForm(AuthenticationForm):
    """Django's sign-in form, refusing an over-long username before authenticate() sees it."""

    def clean(self):
        username = self.data.get("username", "") or ""
        limit = self.fields["username"].max_length or 150
        if len(username) > limit:
            raise forms.ValidationError(
                f"A username has at most {limit} characters. Check what you typed.", code="too_long"
            )
        return super().clean()
