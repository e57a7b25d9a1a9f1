from django.urls import path

from . import views

urlpatterns = []
for kind, prefix in (("lead", "leads"), ("contact", "contacts")):
    k = {"kind": kind}
    urlpatterns += [
        path(f"{prefix}/", views.submission_list, k, name=f"{kind}_list"),
        path(f"{prefix}/new/", views.submission_create, k, name=f"{kind}_create"),
        path(f"{prefix}/validate/", views.submission_validate, k, name=f"{kind}_validate"),
        path(f"{prefix}/<int:pk>/", views.submission_detail, k, name=f"{kind}_detail"),
        path(f"{prefix}/<int:pk>/edit/", views.submission_edit, k, name=f"{kind}_edit"),
        path(f"{prefix}/<int:pk>/status/", views.submission_status, k, name=f"{kind}_status"),
        path(f"{prefix}/<int:pk>/resend/", views.submission_resend, k, name=f"{kind}_resend"),
    ]
