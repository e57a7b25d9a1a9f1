from django.urls import path

from serviceability import bulk_views, views

urlpatterns = [
    path("", views.address_check, name="address_check"),
    path("history/", views.address_check_history, name="address_check_history"),
    path("bulk/", bulk_views.bulk_upload, name="bulk_upload"),
    path("bulk/<int:pk>/", bulk_views.bulk_list_detail, name="bulk_list_detail"),
    path("bulk/<int:pk>/csv/", bulk_views.bulk_list_csv, name="bulk_list_csv"),
    path("bulk/<int:pk>/rows/<int:number>/lead/", bulk_views.bulk_row_lead, name="bulk_row_lead"),
    path("<int:pk>/", views.address_check_detail, name="address_check_detail"),
    path("<int:pk>/share/", views.share_link_create, name="share_link_create"),
    path("share/<int:pk>/revoke/", views.share_link_revoke, name="share_link_revoke"),
]
