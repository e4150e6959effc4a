"""One site: create, edit, (de)activate, delete; and the members section of its page.

The site list, its export, the hub and the client's site page show other apps' data, so they
are composed in `portal` (portal/views/sites.py), which uses the pieces here."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _

from janitorial_crm.mixins import ScopedActionView, ScopedCreateView, ScopedUpdateView
from sites import permissions, services
from sites.forms import ClientSiteForm, SiteMembershipForm
from sites.models import ClientSite

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
        return {"can_view_members": False}
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
        "can_view_members": True,
        "site": site,
        "memberships": memberships,
        "can_manage_members": can_manage,
        "member_form": form if can_manage else None,
    }


class ClientSiteCreateView(ScopedCreateView):
    model = ClientSite
    form_class = ClientSiteForm
    permission_required = "sites.add_clientsite"
    extra_context = {"cancel_url": reverse_lazy("portal:site_list")}

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
        cancel_url = reverse("portal:site_detail", kwargs={"code": self.kwargs["code"]})
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
        return HttpResponseRedirect(reverse("portal:site_list"))
