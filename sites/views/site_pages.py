"""The site list, its CSV export, and one site: hub, portal page, create, edit, (de)activate."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from janitorial_crm.csv_export import csv_response
from janitorial_crm.mixins import (
    ScopedActionView,
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
)
from sites import permissions, services
from sites.filters import ClientSiteFilter, OperationsSiteFilter
from sites.forms import ClientSiteForm, SiteMembershipForm
from sites.models import ClientSite

# --- The list and its CSV export ------------------------------------------------------------


class SiteListMixin:
    """The filtered site list shared by the page and its CSV export."""

    model = ClientSite
    permission_required = "sites.view_clientsite"

    def shows_internals(self):
        return permissions.can_see_internals(self.request.user)

    def get_filterset_class(self):
        return OperationsSiteFilter if self.shows_internals() else ClientSiteFilter

    def get_queryset(self):
        queryset = super().get_queryset().select_related("primary_contact")
        if self.shows_internals():
            queryset = queryset.with_low_stock_count().with_last_inspection()
        return queryset.order_by("site_name", "pk")


class ClientSiteListView(SiteListMixin, ScopedListView):
    template_name = "sites/clientsite_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["shows_internals"] = self.shows_internals()
        context["can_create"] = permissions.can_create_site(user)
        context["can_export"] = permissions.can_export_sites(user)
        return context


class ClientSiteExportView(SiteListMixin, ScopedListView):
    """The filtered list as CSV, every matching row (no pagination)."""

    def has_permission(self):
        return permissions.can_export_sites(self.request.user)

    def shows_internals(self):
        return True  # only office users get here (can_export_sites)

    def get(self, request, *args, **kwargs):
        filterset = self.get_filterset(self.get_filterset_class())
        sites = filterset.qs
        header = [
            _("Code"),
            _("Name"),
            _("Client"),
            _("Service level"),
            _("Address"),
            _("Active"),
            _("Primary contact"),
            _("Low-stock items"),
            _("Last inspection"),
        ]

        def rows():
            for site in sites.iterator(chunk_size=500):
                last = site.last_inspected_at
                yield [
                    site.site_code,
                    site.site_name,
                    site.client_name,
                    site.get_service_level_display(),
                    " ".join(site.address.split()),
                    _("yes") if site.active else _("no"),
                    site.primary_contact or "",
                    site.low_stock_count,
                    timezone.localtime(last).date().isoformat() if last else "",
                ]

        stamp = timezone.localdate().isoformat()
        return csv_response(filename=f"sites-{stamp}.csv", header=header, rows=rows())


# --- One site -------------------------------------------------------------------------------


class BySiteCode:
    """Views of one site, named by its code in the URL (normalised by the URL converter)."""

    model = ClientSite
    slug_field = "site_code"
    slug_url_kwarg = "code"
    context_object_name = "site"


def members_context(request, site, form=None):
    """What the members section needs: the memberships, and the add form for managers."""
    user = request.user
    if not permissions.can_view_members(user, site):
        return {"show_members": False}
    memberships = list(
        site.memberships.select_related("user")
        .prefetch_related("user__groups")
        .order_by("user__full_name", "user__username")
    )
    for membership in memberships:
        # The inspection grant only means something for client users.
        membership.is_client = permissions.is_customer(membership.user)
    can_manage = permissions.can_manage_members(user, site)
    if can_manage and form is None:
        form = SiteMembershipForm(site=site)
    return {
        "show_members": True,
        "site": site,
        "memberships": memberships,
        "can_manage_members": can_manage,
        "member_form": form if can_manage else None,
    }


class ClientSiteDetailView(BySiteCode, ScopedDetailView):
    """The site hub for staff; the same URL is the client's portal page, without internals."""

    permission_required = "sites.view_clientsite"

    def get_queryset(self):
        return super().get_queryset().select_related("primary_contact")

    def get_template_names(self):
        if permissions.can_see_internals(self.request.user, self.object):
            return ["sites/clientsite_detail.html"]
        return ["sites/clientsite_portal.html"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, site = self.request.user, self.object
        can_change = permissions.can_change_site(user, site)
        context.update(
            can_change=can_change,
            can_delete=permissions.can_delete_site(user, site) and not site.has_history(),
            can_see_inspections=permissions.can_see_inspections(user, site),
        )
        context.update(members_context(self.request, site))
        return context


class ClientSiteCreateView(ScopedCreateView):
    model = ClientSite
    form_class = ClientSiteForm
    permission_required = "sites.add_clientsite"
    extra_context = {"cancel_url": reverse_lazy("sites:site_list")}

    def form_valid(self, form):
        try:
            self.object = services.site_create(site=form.save(commit=False))
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Site %(site)s created.") % {"site": self.object})
        return redirect(self.object)


class ClientSiteUpdateView(BySiteCode, ScopedUpdateView):
    form_class = ClientSiteForm
    permission_required = "sites.view_clientsite"
    object_permission = permissions.can_change_site

    def get_context_data(self, **kwargs):
        # The saved code, not the one being typed: a rejected form leaves the URL unchanged.
        cancel_url = reverse("sites:site_detail", kwargs={"code": self.kwargs["code"]})
        return super().get_context_data(cancel_url=cancel_url, **kwargs)

    def form_valid(self, form):
        try:
            self.object = services.site_update(site=form.save(commit=False))
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Site %(site)s saved.") % {"site": self.object})
        return redirect(self.object)


class SiteActionView(BySiteCode, ScopedActionView):
    """A POST-only action on one site, answered with a redirect to the site page."""

    permission_required = "sites.view_clientsite"
    object_permission = permissions.can_change_site

    def post(self, request, *args, **kwargs):
        return self.act(self.object) or redirect(self.object)

    def act(self, site):
        raise NotImplementedError


class ClientSiteDeactivateView(SiteActionView):
    def act(self, site):
        services.site_deactivate(site=site)
        messages.success(
            self.request,
            _("%(site)s is inactive: it stays in the history but is no longer planned.")
            % {"site": site},
        )


class ClientSiteReactivateView(SiteActionView):
    def act(self, site):
        services.site_reactivate(site=site)
        messages.success(self.request, _("%(site)s is active again.") % {"site": site})


class ClientSiteDeleteView(SiteActionView):
    """Deletes a site entered by mistake. A site with history is deactivated instead."""

    object_permission = permissions.can_delete_site

    def act(self, site):
        try:
            services.site_delete(site=site)
        except ValidationError as error:
            messages.error(self.request, " ".join(error.messages))
            return None
        messages.success(self.request, _("%(site)s deleted.") % {"site": site})
        return HttpResponseRedirect(reverse("sites:site_list"))
