from django.urls import path

from . import conversion, views

urlpatterns = [
    path("search/", views.crm_search, name="crm_search"),
    path("edits/<int:pk>/", views.crm_edit_conflict, name="crm_edit_conflict"),
    path("leads/<str:crm_id>/convert/", conversion.crm_lead_convert, name="crm_lead_convert"),
]
for kind, prefix in (("lead", "leads"), ("contact", "contacts")):
    urlpatterns += [
        path(f"{prefix}/<str:crm_id>/", views.crm_record, {"kind": kind}, name=f"crm_{kind}_detail"),
        path(f"{prefix}/<str:crm_id>/edit/", views.crm_record_edit, {"kind": kind}, name=f"crm_{kind}_edit"),
    ]
