from django.urls import path

from . import views

urlpatterns = [
    path("account/", views.crm_account, name="crm_account"),
    path("fields/", views.crm_fields, name="crm_fields"),
]
