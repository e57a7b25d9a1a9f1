"""The sandbox's URLs, mounted at /sandbox/ when settings.SANDBOX_ENABLED (mycrm_portal/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="sandbox_home"),
    path("webservice.php", views.webservice_php, name="sandbox_webservice"),
    path("fcc", views.fcc_check, name="sandbox_fcc"),
    # MyCRM's web UI, as far as the portal links into it: one record's detail view.
    path("index.php", views.web_record, name="sandbox_web_record"),
]
