from django.urls import path

from serviceability import views

urlpatterns = [
    path("", views.address_check, name="address_check"),
    path("history/", views.address_check_history, name="address_check_history"),
    path("<int:pk>/", views.address_check_detail, name="address_check_detail"),
]
