from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views
from .inputs import SignInForm

urlpatterns = [
    path("", include("dashboard.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=SignInForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("crm/", include("mycrm_portal.crm.urls")),
    path("crm/", include("crmrecords.urls")),
    path("check/", include("serviceability.urls")),
    path("reports/", include("reports.urls")),
    path("s/", include("serviceability.share_urls")),
    path("", include("leads.urls")),
    path("admin/", admin.site.urls),
]

if settings.SANDBOX_ENABLED:
    urlpatterns.append(path("sandbox/", include("mycrm_portal.sandbox.urls")))

admin.site.site_header = f"{settings.COMPANY_NAME} portal administration"
admin.site.site_title = "Portal admin"
