"""The sandbox's URLs, mounted at /sandbox/ when settings.SANDBOX_ENABLED (mycrm_portal/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="sandbox_home"),
    path("webservice.php", views.webservice_php, name="sandbox_webservice"),
    path("fcc", views.fcc_check, name="sandbox_fcc"),
]
