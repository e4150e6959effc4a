"""Members of a site and the client inspection grant (POST-only, htmx-friendly)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from janitorial_crm.mixins import ScopedActionView, ScopedCreateView
from sites import permissions, services
from sites.forms import MembershipGrantForm, SiteMembershipForm
from sites.models import ClientSite, SiteMembership
from sites.views.site_pages import members_context


class SiteMembershipMixin:
    """POST-only member endpoints of one site, for users who may manage its members.

    The site is the parent in the URL (by its code); the gate scopes it and asks
    `can_manage_members` about it. Answers the members section as a fragment to htmx, and a
    redirect to the site page otherwise, so the page works with and without JavaScript.
    """

    model = SiteMembership
    permission_required = "sites.view_clientsite"
    object_permission = permissions.can_manage_members
    parent_model = ClientSite
    parent_lookup = ("site_code", "code")
    parent_field = "site"
    http_method_names = ["post"]

    def members_response(self, form=None):
        site = self.parent
        if self.request.htmx:
            # Always 200: htmx swaps no 4xx response, and the section carries the errors.
            context = members_context(self.request, site, form=form)
            return TemplateResponse(self.request, "sites/includes/_members.html", context)
        return HttpResponseRedirect(site.get_absolute_url() + "#members")


class SiteMembershipCreateView(SiteMembershipMixin, ScopedCreateView):
    form_class = SiteMembershipForm
    template_name = "sites/sitemembership_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "site": self.parent}

    def get_context_data(self, **kwargs):
        return super().get_context_data(site=self.parent, **kwargs)

    def form_valid(self, form):
        try:
            self.object = services.membership_add(membership=form.save(commit=False))
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(user)s added to %(site)s.") % {"user": self.object.user, "site": self.parent},
        )
        return self.members_response()

    def form_invalid(self, form):
        if self.request.htmx:
            return self.members_response(form=form)
        return super().form_invalid(form)


class SiteMembershipActionView(SiteMembershipMixin, ScopedActionView):
    def get_queryset(self):
        return super().get_queryset().select_related("user")


class SiteMembershipDeleteView(SiteMembershipActionView):
    def post(self, request, *args, **kwargs):
        membership = self.object
        services.membership_remove(membership=membership)
        messages.success(
            request,
            _("%(user)s removed from %(site)s.") % {"user": membership.user, "site": self.parent},
        )
        return self.members_response()


class SiteMembershipGrantView(SiteMembershipActionView):
    """Grant or revoke a client member's access to the site's inspection outcomes."""

    def post(self, request, *args, **kwargs):
        membership = self.object
        form = MembershipGrantForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose whether the inspection grant is on or off."))
            return self.members_response()
        granted = form.cleaned_data["can_see_inspections"]
        try:
            services.membership_grant_set(membership=membership, granted=granted)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return self.members_response()
        if granted:
            text = _("%(user)s now sees the inspection outcomes of %(site)s.")
        else:
            text = _("%(user)s no longer sees the inspection outcomes of %(site)s.")
        messages.success(request, text % {"user": membership.user, "site": self.parent})
        return self.members_response()
