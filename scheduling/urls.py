from django.urls import path

from scheduling import views

app_name = "scheduling"
urlpatterns = [
    path("", views.CleaningScheduleListView.as_view(), name="visit_list"),
    path("board/", views.CleaningScheduleListView.as_view(), name="board"),
    path("my-day/", views.CleaningScheduleListView.as_view(), name="my_day"),
    path("<int:pk>/", views.CleaningScheduleDetailView.as_view(), name="visit_detail"),
]
