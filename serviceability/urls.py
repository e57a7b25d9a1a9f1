from django.urls import path

from serviceability import views

urlpatterns = [
    path("", views.address_check, name="address_check"),
    path("history/", views.address_check_history, name="address_check_history"),
    path("<int:pk>/", views.address_check_detail, name="address_check_detail"),
    path("<int:pk>/share/", views.share_link_create, name="share_link_create"),
    path("share/<int:pk>/revoke/", views.share_link_revoke, name="share_link_revoke"),
]
