from django.urls import path

from pickers.views import SOURCES, PickerOptionsView, SiteMemberOptionsView
from sites.converters import register_site_code

register_site_code()

app_name = "pickers"
urlpatterns = [
    path(
        f"{name.replace('_', '-')}/",
        PickerOptionsView.as_view(source=name),
        name=name,
    )
    for name in SOURCES
    if name != "site_members"
] + [
    path(
        "sites/<sitecode:code>/members/",
        SiteMemberOptionsView.as_view(),
        name="site_members",
    )
]
