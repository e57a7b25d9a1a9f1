"""Public URLs under /s/: a share link, and a catch-all so that every request here is rate-limited
and answered with the same page (no sign-in redirect, no default 404)."""

from django.urls import re_path

from serviceability import share_views

_LINK = r"(?P<token>[A-Za-z0-9_-]{1,64})"

urlpatterns = [
    re_path(rf"^{_LINK}/$", share_views.share_link_public, name="share_link_public"),
    # A link pasted into a text message often loses its trailing slash.
    re_path(rf"^{_LINK}$", share_views.share_link_public),
    re_path(r"^(?P<rest>.*)$", share_views.share_path_unknown, name="share_path_unknown"),
]
