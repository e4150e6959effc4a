"""Members of a site and the client inspection grant (POST-only, htmx-friendly)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, View

from sites import permissions
from sites.forms import MembershipGrantForm, SiteMembershipForm
from sites.views.site_pages import SiteObjectMixin, members_context


class SiteMembershipMixin(SiteObjectMixin):
    """POST-only member endpoints of one site, for users who may manage its members.

    Answers the members section as a fragment to htmx, and a redirect to the site page
    otherwise, so the page works with and without JavaScript.
    """

    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        self.site = self.get_object()
        if not permissions.can_manage_members(request.user, self.site):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def members_response(self, form=None):
        if self.request.htmx:
            # Always 200: htmx swaps no 4xx response, and the section carries the errors.
            context = members_context(self.request, self.site, form=form)
            return TemplateResponse(self.request, "sites/includes/_members.html", context)
        return HttpResponseRedirect(self.site.get_absolute_url() + "#members")


class SiteMembershipCreateView(SiteMembershipMixin, CreateView):
    form_class = SiteMembershipForm
    template_name = "sites/sitemembership_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "site": self.site}

    def get_context_data(self, **kwargs):
        return super().get_context_data(site=self.site, **kwargs)

    def form_valid(self, form):
        try:
            with transaction.atomic():
                self.object = form.save()
        except IntegrityError:
            form.add_error("user", _("This person is already a member of the site."))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(user)s added to %(site)s.") % {"user": self.object.user, "site": self.site},
        )
        return self.members_response()

    def form_invalid(self, form):
        if self.request.htmx:
            return self.members_response(form=form)
        return super().form_invalid(form)


class SiteMembershipActionView(SiteMembershipMixin, View):
    def get_membership(self):
        return get_object_or_404(self.site.memberships.select_related("user"), pk=self.kwargs["pk"])


class SiteMembershipDeleteView(SiteMembershipActionView):
    def post(self, request, *args, **kwargs):
        membership = self.get_membership()
        membership.delete()
        messages.success(
            request,
            _("%(user)s removed from %(site)s.") % {"user": membership.user, "site": self.site},
        )
        return self.members_response()


class SiteMembershipGrantView(SiteMembershipActionView):
    """Grant or revoke a client member's access to the site's inspection outcomes."""

    def post(self, request, *args, **kwargs):
        membership = self.get_membership()
        form = MembershipGrantForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose whether the inspection grant is on or off."))
            return self.members_response()
        granted = form.cleaned_data["can_see_inspections"]
        if granted and not permissions.is_customer(membership.user):
            messages.error(
                request, _("Only client users need this grant: staff see inspections by role.")
            )
            return self.members_response()
        membership.can_see_inspections = granted
        membership.save(update_fields=["can_see_inspections", "updated_at"])
        if granted:
            text = _("%(user)s now sees the inspection outcomes of %(site)s.")
        else:
            text = _("%(user)s no longer sees the inspection outcomes of %(site)s.")
        messages.success(request, text % {"user": membership.user, "site": self.site})
        return self.members_response()
